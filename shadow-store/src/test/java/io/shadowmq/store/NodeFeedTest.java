package io.shadowmq.store;

import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedSubscription;
import io.shadowmq.store.feed.NodeFeed;
import io.shadowmq.store.redis.RedisKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The change feed routed to broker nodes: a node is told of the changes of the things it watches and of every
 * credential change, nothing else; a node that is gone stops being written to.
 */
class NodeFeedTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    private final ShadowStore writer = redis.store();

    @Test
    void aNodeIsToldOnlyOfTheThingsItWatchesAndAnIdleNodeReadsNothing() {
        Owner alice = freshOwner();
        ThingId watched = freshThing("car");
        ThingId other = freshThing("car");
        provision(writer, watched, "car", alice);
        provision(writer, other, "car", alice);
        try (Node busy = new Node(redis.uri());
                Node idle = new Node(redis.uri())) {
            StoreFixture.await(busy.node.hold("client-1", watched));

            for (int i = 1; i <= 20; i++) {
                report(watched, i);
                report(other, i);
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> busy.seen.size() == 20);
            await().during(Duration.ofMillis(300)).until(() -> busy.seen.size() == 20);
            assertThat(busy.seen).extracting(FeedEvent::thing).containsOnly(watched);
            assertThat(busy.seen)
                    .extracting(FeedEvent::version)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20)
                            .boxed()
                            .toList());
            assertThat(idle.seen).isEmpty();
            assertThat(idle.node.meter().entriesRead()).isZero();
        }
    }

    @Test
    void everyNodeHearsOfACredentialChangeWhateverItWatches() {
        ThingId car = freshThing("car");
        provision(writer, car, "car", freshOwner());
        try (Node a = new Node(redis.uri());
                Node b = new Node(redis.uri())) {
            StoreFixture.await(writer.things().rotateSecret(car));

            await().atMost(Duration.ofSeconds(10)).until(() -> a.seen.size() == 1 && b.seen.size() == 1);
            assertThat(a.seen.get(0).kind()).isEqualTo(FeedEventKind.SECRET_ROTATED);
            assertThat(b.seen.get(0).thing()).isEqualTo(car);
        }
    }

    @Test
    void aThingNobodyHoldsAnyMoreIsNoLongerRoutedToTheNode() {
        ThingId car = freshThing("car");
        provision(writer, car, "car", freshOwner());
        try (Node node = new Node(redis.uri())) {
            StoreFixture.await(node.node.hold("speaker-1", car));
            StoreFixture.await(node.node.hold("car-client", car));
            node.node.releaseAll("speaker-1");
            report(car, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.seen.size() == 1);

            node.node.releaseAll("car-client");
            await().atMost(Duration.ofSeconds(5)).until(() -> members(car).isEmpty());
            report(car, 2);

            await().during(Duration.ofMillis(500)).until(() -> node.seen.size() == 1);
            assertThat(node.node.watches(car)).isFalse();
        }
    }

    @Test
    void onARedisClusterTheWriterRoutesRightAfterTheCommit() {
        ThingId car = freshThing("car");
        provision(writer, car, "car", freshOwner());
        try (ShadowStore split = ShadowStore.connectAnnouncingAfterCommit(
                        StoreFixture.config(redis.uri()), StoreFixture.MODELS);
                Node node = new Node(redis.uri())) {
            StoreFixture.await(node.node.hold("car-client", car));

            StoreFixture.await(split.shadows()
                    .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":7}}}")));

            await().atMost(Duration.ofSeconds(10)).until(() -> node.seen.size() == 1);
            assertThat(node.seen
                            .get(0)
                            .body()
                            .at("/current/state/reported/range")
                            .asInt())
                    .isEqualTo(7);
        }
    }

    @Test
    void aChangeCommittedByTheNodesOwnProcessReachesItsFollowOnceWithoutItsInbox() {
        ThingId car = freshThing("car");
        provision(writer, car, "car", freshOwner());
        try (Node node = new Node(redis.uri());
                Node other = new Node(redis.uri())) {
            StoreFixture.await(node.node.hold("car-client", car));
            StoreFixture.await(other.node.hold("speaker-1", car));

            for (int range = 1; range <= 5; range++) {
                StoreFixture.await(node.store
                        .shadows()
                        .update(
                                car,
                                Requester.thing(car),
                                request("{\"state\":{\"reported\":{\"range\":" + range + "}}}")));
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> node.seen.size() == 5 && other.seen.size() == 5);
            await().during(Duration.ofMillis(300)).until(() -> node.seen.size() == 5);
            assertThat(node.seen).extracting(FeedEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(node.seen
                            .get(4)
                            .body()
                            .at("/current/state/reported/range")
                            .asInt())
                    .isEqualTo(5);
            assertThat(node.seen.get(4).newDelta()).isFalse();
            assertThat(node.node.meter().entriesRead())
                    .as("nothing read back from its inbox")
                    .isZero();
            assertThat(other.seen).extracting(FeedEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L);
            long inboxEntries =
                    withRedis(client -> client.getStream(RedisKeys.nodeInbox(node.node.node()), StringCodec.INSTANCE)
                            .size());
            assertThat(inboxEntries).isZero();
        }
    }

    @Test
    void aShadowVersionArrivingAfterANewerOneIsNotPassedOn() {
        ThingId car = freshThing("car");
        Owner owner = freshOwner();
        provision(writer, car, "car", owner);
        try (Node node = new Node(redis.uri())) {
            StoreFixture.await(node.node.hold("car-client", car));
            report(car, 1);
            report(car, 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.seen.size() == 2);

            // version 1 again (a redelivery, or another writer's change that took the slower path), then version 3
            node.node.deliverCommittedHere(updated(car, owner, 1));
            node.node.deliverCommittedHere(updated(car, owner, 3));

            assertThat(node.seen).extracting(FeedEvent::version).containsExactly(1L, 2L, 3L);
        }
    }

    private static FeedEvent updated(ThingId thing, Owner owner, long version) {
        return FeedEvent.committedHere(
                io.shadowmq.store.feed.FeedChange.shadowUpdated(thing, owner, version, "{}", false), "", 0);
    }

    @Test
    void onARedisClusterTheCommittingNodeIsNotRoutedToEither() {
        ThingId car = freshThing("car");
        provision(writer, car, "car", freshOwner());
        try (ShadowStore split =
                ShadowStore.connectAnnouncingAfterCommit(StoreFixture.config(redis.uri()), StoreFixture.MODELS)) {
            NodeFeed node =
                    split.nodeFeed("node-" + UUID.randomUUID().toString().substring(0, 8));
            List<FeedEvent> seen = new CopyOnWriteArrayList<>();
            FeedSubscription follow = split.follow(node, seen::add);
            try {
                StoreFixture.await(follow.ready());
                StoreFixture.await(node.hold("car-client", car));

                StoreFixture.await(split.shadows()
                        .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":9}}}")));

                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
                await().during(Duration.ofMillis(300)).until(() -> seen.size() == 1);
                assertThat(seen.get(0).version()).isEqualTo(1);
                assertThat(node.meter().entriesRead()).isZero();
            } finally {
                follow.close();
            }
        }
    }

    @Test
    void aNodeThatDiedIsDroppedByTheNextWriterAndItsInboxIsNotMadeAgain() {
        ThingId car = freshThing("car");
        provision(writer, car, "car", freshOwner());
        String nodeId = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        try (ShadowStore broker = StoreFixture.connect(redis.uri())) {
            NodeFeed node = broker.nodeFeed(nodeId, Duration.ofMillis(600));
            FeedSubscription follow = broker.follow(node, event -> {});
            StoreFixture.await(follow.ready());
            StoreFixture.await(node.hold("car-client", car));
            follow.close(); // the node stops renewing its inbox, as a killed broker does
        }
        assertThat(members(car)).containsExactly(nodeId);
        await().atMost(Duration.ofSeconds(5)).until(() -> !exists(RedisKeys.nodeInbox(nodeId)));

        report(car, 1);

        assertThat(members(car)).isEmpty();
        assertThat(exists(RedisKeys.nodeInbox(nodeId))).isFalse();
    }

    @Test
    void readsAreAnsweredFromMemoryOnlyForWatchedThings() {
        ThingId watched = freshThing("car");
        ThingId unwatched = freshThing("car");
        Owner alice = freshOwner();
        provision(writer, watched, "car", alice);
        provision(writer, unwatched, "car", alice);
        report(watched, 1);
        report(unwatched, 1);
        try (Node node = new Node(redis.uri())) {
            StoreFixture.await(node.node.hold("car-client", watched));
            read(node.store, watched);
            read(node.store, unwatched);
            long fromMemory = node.store.shadows().readsFromMemory();

            read(node.store, watched);
            read(node.store, unwatched);

            assertThat(node.store.shadows().readsFromMemory()).isEqualTo(fromMemory + 1);
            report(watched, 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.seen.size() == 1);
            assertThat(read(node.store, watched).version()).isEqualTo(2);
        }
    }

    @Test
    void aProcessThatWatchesWhatItKeepsServesItFromMemoryAndIsToldOfItsChangesOnly() {
        ThingId kept = freshThing("car");
        ThingId notKept = freshThing("car");
        Owner alice = freshOwner();
        provision(writer, kept, "car", alice);
        provision(writer, notKept, "car", alice);
        report(kept, 1);
        report(notKept, 1);
        try (ShadowStore service = StoreFixture.connect(redis.uri());
                FeedSubscription follow = service.followWhatIsKept(
                        "service-" + UUID.randomUUID().toString().substring(0, 8))) {
            StoreFixture.await(follow.ready());
            read(service, kept);
            long fromMemory = service.shadows().readsFromMemory();

            assertThat(read(service, kept).version()).isEqualTo(1);
            assertThat(service.shadows().readsFromMemory()).isEqualTo(fromMemory + 1);
            report(kept, 2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> read(service, kept).version() == 2);

            assertThat(members(kept)).hasSize(1);
            assertThat(members(notKept)).isEmpty();
        }
    }

    private void report(ThingId thing, int range) {
        UpdateOutcome outcome = StoreFixture.await(writer.shadows()
                .update(
                        thing,
                        Requester.thing(thing),
                        request("{\"state\":{\"reported\":{\"range\":" + range + "}}}")));
        assertThat(outcome).isInstanceOf(UpdateOutcome.Accepted.class);
    }

    private static ShadowDocument read(ShadowStore store, ThingId thing) {
        return StoreFixture.await(store.shadows().get(thing)).orElseThrow();
    }

    private java.util.Set<String> members(ThingId thing) {
        return withRedis(client -> client.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                .readAll());
    }

    private boolean exists(String key) {
        return withRedis(client -> client.getKeys().countExists(key) == 1);
    }

    private <T> T withRedis(java.util.function.Function<RedissonClient, T> query) {
        RedissonClient client = Redisson.create(ShadowStore.redissonConfig(StoreFixture.config(redis.uri())));
        try {
            return query.apply(client);
        } finally {
            client.shutdown();
        }
    }

    /** A broker node's side: its own store, its node feed followed, what reached it. */
    private static final class Node implements AutoCloseable {
        final ShadowStore store;
        final NodeFeed node;
        final FeedSubscription follow;
        final List<FeedEvent> seen = new CopyOnWriteArrayList<>();

        Node(String uri) {
            store = StoreFixture.connect(uri);
            node = store.nodeFeed("node-" + UUID.randomUUID().toString().substring(0, 8));
            follow = store.follow(node, seen::add);
            StoreFixture.await(follow.ready());
        }

        @Override
        public void close() {
            follow.close();
            store.close();
        }
    }
}
