package io.shadowmq.store;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

            StoreFixture.await(store.shadows().update(fridge, request("{\"state\":{\"desired\":{\"superCool\":{\"isOn\":true}}}}")));
            StoreFixture.await(store.presence().connected(fridge, alice, "s1", 5));
            StoreFixture.await(store.shadows().delete(fridge));
            StoreFixture.await(store.things().rotateSecret(fridge));
            StoreFixture.await(store.things().deprovision(fridge));

            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 5);
        }
        assertThat(seen).extracting(FeedEvent::kind).containsExactly(FeedEventKind.SHADOW_UPDATED,
                FeedEventKind.PRESENCE, FeedEventKind.SHADOW_DELETED, FeedEventKind.SECRET_ROTATED, FeedEventKind.THING_DELETED);
        FeedEvent updated = seen.get(0);
        assertThat(updated.version()).isEqualTo(1);
        assertThat(updated.owner()).isEqualTo(alice);
        assertThat(updated.body().at("/current/state/desired/superCool/isOn").asBoolean()).isTrue();
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

        StoreFixture.await(store.shadows().update(washer, request("{\"state\":{\"desired\":{\"program\":\"eco\"}}}")));
        StoreFixture.await(store.shadows().update(speaker, request("{\"state\":{\"desired\":{\"volume\":30}}}")));
        StoreFixture.await(store.shadows().update(washer, request("{\"state\":{\"desired\":{\"command\":\"start\"}}}")));

        List<FeedEvent> all = StoreFixture.await(store.feed().readAfter(partition, before, 100)).orElseThrow();
        List<FeedEvent> afterFirst = StoreFixture.await(store.feed().readAfter(partition, all.get(0).id(), 100)).orElseThrow();

        assertThat(all).extracting(FeedEvent::thing).containsExactly(washer, speaker, washer);
        assertThat(afterFirst).extracting(FeedEvent::id).containsExactly(all.get(1).id(), all.get(2).id());
    }
}
