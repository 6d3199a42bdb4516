package io.shadowmq.extension.presence;

import io.shadowmq.extension.harness.TestStores;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.presence.PresenceStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker closes its connection of a thing only when a newer connection elsewhere took over: against a real Redis,
 * with two brokers' worth of presence records ("node-a" here, "node-b" elsewhere) and no HiveMQ.
 */
class SessionTakeoverTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static final AtomicInteger ids = new AtomicInteger();
    private static final Owner OWNER = Owner.of("alice");
    static ShadowStore store;

    private final List<ThingId> closed = new CopyOnWriteArrayList<>();
    private final SessionTakeover takeover = new SessionTakeover(store.presence(), closed::add);
    private final PresenceStore presence = store.presence();

    @BeforeAll
    static void connect() {
        store = TestStores.connect(redis);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void aConnectionHereIsClosedOnceTheThingConnectedOnAnotherBroker() throws Exception {
        ThingId car = connectedHere("node-a/run-1/1");

        done(presence.connected(car, OWNER, "node-b/run-1/1", 2000));
        takeover.onPresenceChanged(car);

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(closed).containsExactly(car));
    }

    @Test
    void theConnectionThatIsTheThingsCurrentSessionStaysOpen() throws Exception {
        ThingId car = connectedHere("node-a/run-1/1");

        takeover.onPresenceChanged(car); // its own connect, seen on the feed

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(closed::isEmpty);
    }

    @Test
    void aConnectionWhoseConnectIsNotRecordedYetIsTheNewerOneAndStaysOpen() throws Exception {
        ThingId car = provision();
        done(presence.connected(car, OWNER, "node-b/run-1/1", 1000)); // the older connection, on the other broker
        takeover.started(car.value(), "node-a/run-1/1"); // this one: authenticated, not recorded yet

        takeover.onPresenceChanged(car);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(closed::isEmpty);
    }

    @Test
    void aConnectionThatEndedHereIsNotClosedAgain() throws Exception {
        ThingId car = connectedHere("node-a/run-1/1");
        takeover.ended(car.value(), "node-a/run-1/1");
        done(presence.connected(car, OWNER, "node-b/run-1/1", 2000));

        takeover.onPresenceChanged(car);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(closed::isEmpty);
    }

    private ThingId connectedHere(String session) throws Exception {
        ThingId thing = provision();
        takeover.started(thing.value(), session);
        assertThat(done(presence.connected(thing, OWNER, session, 1000)).orElseThrow())
                .isTrue();
        takeover.recorded(thing.value(), session);
        return thing;
    }

    private static ThingId provision() throws Exception {
        ThingId thing = ThingId.of("car-takeover-" + ids.incrementAndGet() + "-" + System.nanoTime() % 100_000);
        done(store.things().provision(thing, "car", OWNER)).orElseThrow();
        return thing;
    }

    private static <T> T done(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
