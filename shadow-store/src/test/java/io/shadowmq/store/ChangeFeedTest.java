package io.shadowmq.store;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.DocumentsPayload;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedChange;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChangeFeedTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    private final ShadowStore store = redis.store();

    @Test
    void anotherProcessFollowingTheFeedSeesEveryAcceptedChangeOfEveryKind() {
        ThingId fridge = freshThing("fridge");
        Owner alice = freshOwner();
        provision(store, fridge, "fridge", alice);
        List<FeedEvent> seen = new CopyOnWriteArrayList<>();
        try (ShadowStore broker = StoreFixture.connect(redis.uri());
                FeedSubscription follow = broker.feed().follow(event -> {
                    if (event.thing().equals(fridge)) {
                        seen.add(event);
                    }
                })) {
            StoreFixture.await(follow.ready());

            StoreFixture.await(store.shadows()
                    .update(
                            fridge,
                            Requester.thing(fridge),
                            request("{\"state\":{\"desired\":{\"superCool\":{\"isOn\":true}}}}")));
            StoreFixture.await(store.presence().connected(fridge, alice, "s1", 5));
            StoreFixture.await(store.shadows().delete(fridge));
            StoreFixture.await(store.things().rotateSecret(fridge));
            StoreFixture.await(store.things().deprovision(fridge));

            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 5);
        }
        assertThat(seen)
                .extracting(FeedEvent::kind)
                .containsExactly(
                        FeedEventKind.SHADOW_UPDATED,
                        FeedEventKind.PRESENCE,
                        FeedEventKind.SHADOW_DELETED,
                        FeedEventKind.SECRET_ROTATED,
                        FeedEventKind.THING_DELETED);
        FeedEvent updated = seen.get(0);
        assertThat(updated.version()).isEqualTo(1);
        assertThat(updated.owner()).isEqualTo(alice);
        assertThat(updated.body().at("/current/state/desired/superCool/isOn").asBoolean())
                .isTrue();
        assertThat(updated.body().at("/previous/version").asLong()).isZero();
    }

    @Test
    void aReaderResumesAfterTheLastEventItSawAndAHouseholdStaysInOnePartition() {
        Owner bob = freshOwner();
        ThingId washer = freshThing("washer");
        ThingId speaker = freshThing("speaker");
        provision(store, washer, "washer", bob);
        provision(store, speaker, "speaker", bob);
        int partition = store.feed().partitionOf(bob);
        String before = await(store.feed().latestId(partition)).orElseThrow();

        StoreFixture.await(store.shadows()
                .update(washer, Requester.thing(washer), request("{\"state\":{\"desired\":{\"program\":\"eco\"}}}")));
        StoreFixture.await(store.shadows()
                .update(speaker, Requester.thing(speaker), request("{\"state\":{\"desired\":{\"volume\":30}}}")));
        StoreFixture.await(store.shadows()
                .update(washer, Requester.thing(washer), request("{\"state\":{\"desired\":{\"program\":\"wool\"}}}")));

        List<FeedEvent> all = StoreFixture.await(store.feed().readAfter(partition, before, 100))
                .orElseThrow();
        List<FeedEvent> afterFirst = StoreFixture.await(
                        store.feed().readAfter(partition, all.get(0).id(), 100))
                .orElseThrow();

        assertThat(all).extracting(FeedEvent::thing).containsExactly(washer, speaker, washer);
        assertThat(afterFirst)
                .extracting(FeedEvent::id)
                .containsExactly(all.get(1).id(), all.get(2).id());
    }

    @Test
    void theWriterSaysWhetherAnUpdateGaveTheThingSomethingNewToDo() {
        ThingId fridge = freshThing("fridge");
        Owner alice = freshOwner();
        provision(store, fridge, "fridge", alice);
        int partition = store.feed().partitionOf(alice);
        String before = await(store.feed().latestId(partition)).orElseThrow();

        StoreFixture.await(store.shadows()
                .update(
                        fridge,
                        Requester.thing(fridge),
                        request("{\"state\":{\"desired\":{\"targetTemperature\":4}}}")));
        StoreFixture.await(store.shadows()
                .update(fridge, Requester.thing(fridge), request("{\"state\":{\"reported\":{\"temperature\":7}}}")));
        StoreFixture.await(store.shadows()
                .update(
                        fridge,
                        Requester.thing(fridge),
                        request("{\"state\":{\"reported\":{\"targetTemperature\":4}}}")));

        List<FeedEvent> events =
                StoreFixture.await(store.feed().readAfter(partition, before, 100)).orElseThrow().stream()
                        .filter(event -> event.thing().equals(fridge))
                        .toList();
        assertThat(events).extracting(FeedEvent::newDelta).containsExactly(true, false, false);
        // The flag and the body agree: a follower that had to decide from the body decides the same.
        for (FeedEvent event : events) {
            assertThat(DocumentsPayload.read(event.body()).deltaChanged()).isEqualTo(event.newDelta());
        }
        assertThat(events.get(1).rawBody()).contains("\"temperature\":7");
    }

    @Test
    void onARedisClusterTheEntryFollowsTheCommitAndSaysTheSame() {
        ThingId speaker = freshThing("speaker");
        Owner bob = freshOwner();
        List<FeedEvent> seen = new CopyOnWriteArrayList<>();
        try (ShadowStore split = ShadowStore.connectAnnouncingAfterCommit(
                        StoreFixture.config(redis.uri()), StoreFixture.MODELS);
                FeedSubscription follow = store.feed().follow(event -> {
                    if (event.thing().equals(speaker)) {
                        seen.add(event);
                    }
                })) {
            StoreFixture.await(follow.ready());
            provision(split, speaker, "speaker", bob);

            StoreFixture.await(split.shadows()
                    .update(speaker, Requester.thing(speaker), request("{\"state\":{\"desired\":{\"volume\":30}}}")));
            StoreFixture.await(split.shadows()
                    .update(speaker, Requester.thing(speaker), request("{\"state\":{\"reported\":{\"volume\":30}}}")));
            StoreFixture.await(split.presence().connected(speaker, bob, "node-a/1", 5));
            StoreFixture.await(split.presence().disconnected(speaker, bob, "node-a/0", 6)); // superseded: not announced
            StoreFixture.await(split.presence().disconnected(speaker, bob, "node-a/1", 7));

            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);
        }
        assertThat(seen)
                .extracting(FeedEvent::kind)
                .containsExactly(
                        FeedEventKind.SHADOW_UPDATED,
                        FeedEventKind.SHADOW_UPDATED,
                        FeedEventKind.PRESENCE,
                        FeedEventKind.PRESENCE);
        assertThat(seen.subList(0, 2)).extracting(FeedEvent::version).containsExactly(1L, 2L);
        assertThat(seen).extracting(FeedEvent::newDelta).containsExactly(true, false, false, false);
        assertThat(seen.get(3).body().get("connected").asBoolean()).isFalse();
        assertThat(seen.get(0).body().at("/current/state/desired/volume").asInt())
                .isEqualTo(30);
    }

    @Test
    void aChangeWhoseDocumentsOutgrowARequestStillReachesFollowers(@TempDir Path models) throws Exception {
        // 400 short strings, reported and desired: the state stays under 32 KiB, but the documents payload
        // (previous and current, each with a timestamp per leaf) is larger than any request may be (64 KiB).
        StringBuilder properties = new StringBuilder();
        StringBuilder reported = new StringBuilder();
        StringBuilder desired = new StringBuilder();
        String text = "x".repeat(20);
        for (int i = 0; i < 400; i++) {
            String comma = i == 0 ? "" : ",";
            properties.append(comma).append("\"note").append(i).append("\":{\"type\":\"string\"}");
            reported.append(comma)
                    .append("\"note")
                    .append(i)
                    .append("\":\"r")
                    .append(text)
                    .append("\"");
            desired.append(comma)
                    .append("\"note")
                    .append(i)
                    .append("\":\"d")
                    .append(text)
                    .append("\"");
        }
        Files.writeString(
                models.resolve("notebook.json"),
                "{\"@context\":\"https://www.w3.org/2022/wot/td/v1.1\",\"@type\":\"tm:ThingModel\","
                        + "\"title\":\"Notebook\",\"properties\":{" + properties + "}}");
        ThingId notebook = freshThing("notebook");
        Owner carol = freshOwner();
        List<FeedEvent> seen = new CopyOnWriteArrayList<>();
        try (ShadowStore writer =
                        ShadowStore.connect(StoreFixture.config(redis.uri()), ThingModels.loadDirectory(models));
                FeedSubscription follow = store.feed().follow(event -> {
                    if (event.thing().equals(notebook)) {
                        seen.add(event);
                    }
                })) {
            StoreFixture.await(follow.ready());
            provision(writer, notebook, "notebook", carol);
            StoreFixture.await(writer.shadows()
                    .update(
                            notebook,
                            Requester.thing(notebook),
                            request("{\"state\":{\"reported\":{" + reported + "}}}")));
            assertThat(StoreFixture.await(writer.shadows()
                            .update(
                                    notebook,
                                    Requester.thing(notebook),
                                    request("{\"state\":{\"desired\":{" + desired + "}}}"))))
                    .isInstanceOf(UpdateOutcome.Accepted.class);

            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        }
        FeedEvent second = seen.get(1);
        assertThat(second.rawBody().length()).isGreaterThan(SafeJson.MAX_DOCUMENT_BYTES);
        assertThat(second.newDelta()).isTrue();
        assertThat(second.body().at("/current/state/desired/note399").asText()).startsWith("dxxx");
    }

    @Test
    void everyPartitionIsFollowedInOrderThroughABacklogByOneReadOrByOneReadPerPartitionOnACluster() {
        try (ShadowStore split =
                ShadowStore.connectAnnouncingAfterCommit(StoreFixture.config(redis.uri()), StoreFixture.MODELS)) {
            for (ShadowStore follower : List.of(store, split)) {
                // 5 households in each partition, 25 changes each: 1,000 entries arrive while the reads are in
                // flight, more than one read brings (256) when a follower falls behind, so they have to catch up.
                List<Owner> households = new ArrayList<>();
                int[] perPartition = new int[store.feed().partitions()];
                while (households.size() < 5 * perPartition.length) {
                    Owner owner = freshOwner();
                    if (perPartition[store.feed().partitionOf(owner)]++ < 5) {
                        households.add(owner);
                    }
                }
                ThingId thing = freshThing("speaker");
                Map<Owner, List<Long>> seen = new ConcurrentHashMap<>();
                try (FeedSubscription follow = follower.feed().follow(event -> {
                    if (event.thing().equals(thing)) {
                        seen.computeIfAbsent(event.owner(), owner -> new CopyOnWriteArrayList<>())
                                .add(event.version());
                    }
                })) {
                    StoreFixture.await(follow.ready());
                    // Each household's changes one after another (so their order is known), all households at once.
                    List<CompletableFuture<?>> sent = new ArrayList<>();
                    for (Owner owner : households) {
                        CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
                        for (long version = 1; version <= 25; version++) {
                            long next = version;
                            chain = chain.thenCompose(done -> store.feedWriter()
                                    .append(FeedChange.of(
                                            FeedEventKind.SHADOW_UPDATED, thing, owner, next, SafeJson.object())));
                        }
                        sent.add(chain);
                    }
                    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                            .join();

                    await().atMost(Duration.ofSeconds(10))
                            .until(() ->
                                    seen.values().stream().mapToInt(List::size).sum() == 25 * households.size());
                    assertThat(follow.liveSince()).isNotEqualTo(Long.MAX_VALUE);
                }
                List<Long> inOrder = LongStream.rangeClosed(1, 25).boxed().toList();
                assertThat(seen)
                        .hasSize(households.size())
                        .allSatisfy((owner, versions) -> assertThat(versions).isEqualTo(inOrder));
            }
        }
    }
}
