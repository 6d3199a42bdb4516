package io.shadowmq.store;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.feed.FeedSubscription;
import io.shadowmq.store.presence.PresenceRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisOutageTest {

    @TempDir
    static Path dataDir;

    static RedisServerProcess redis;
    static ShadowStore store;

    @BeforeAll
    static void connect() throws Exception {
        // With a data dir (append-only file) a restarted Redis comes back with everything it acknowledged.
        redis = RedisServerProcess.builder().dataDir(dataDir).build().start();
        store = ShadowStore.connect(
                StoreFixture.config(redis.uri()).withTimeout(Duration.ofMillis(800)), StoreFixture.MODELS);
    }

    @AfterAll
    static void close() {
        store.close();
        redis.stop();
    }

    @Test
    void withRedisDownEveryCallAnswers503InTimeAndWorksAgainAfterRestart() throws Exception {
        ThingId car = freshThing("car");
        provision(store, car, "car", freshOwner());
        StoreFixture.await(
                store.shadows().update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":1}}}")));
        List<CompletableFuture<UpdateOutcome>> inFlight = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            inFlight.add(store.shadows()
                    .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":" + i + "}}}"))
                    .toCompletableFuture());
        }

        redis.stop(); // mid-operation: some of those updates are still queued or on the wire
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long started = System.nanoTime();
        UpdateOutcome during = store.shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":2}}}"))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Outcome<?> get = StoreFixture.await(store.shadows().get(car));
        Outcome<?> verify = StoreFixture.await(store.things().verifySecret(car, "whatever"));
        Outcome<?> ping = StoreFixture.await(store.ping());

        assertThat(during).isInstanceOf(UpdateOutcome.Rejected.class);
        assertThat(((UpdateOutcome.Rejected) during).rejection().code()).isEqualTo(503);
        assertThat(tookMillis)
                .as("503 arrives within the store timeout, not after a hang")
                .isLessThan(4000);
        assertThat(((Outcome.Rejected<?>) get).rejection().code()).isEqualTo(503);
        assertThat(((Outcome.Rejected<?>) verify).rejection().code()).isEqualTo(503);
        assertThat(ping.isOk()).isFalse();

        // Every in-flight update ended accepted or 503, none hung; the accepted ones are a prefix 2..N.
        long accepted = inFlight.stream()
                .map(CompletableFuture::join)
                .filter(o -> o instanceof UpdateOutcome.Accepted)
                .count();
        assertThat(inFlight)
                .allSatisfy(f -> assertThat(f.join() instanceof UpdateOutcome.Accepted
                                || ((UpdateOutcome.Rejected) f.join())
                                                .rejection()
                                                .code()
                                        == 503)
                        .isTrue());

        redis.restart();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> StoreFixture.await(store.ping()).isOk());
        UpdateOutcome recovered = StoreFixture.await(store.shadows()
                .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":999}}}")));
        assertThat(recovered).isInstanceOf(UpdateOutcome.Accepted.class);
        // Nothing acknowledged was lost across the restart, and versions continue without going backwards.
        assertThat(((UpdateOutcome.Accepted) recovered).current().version()).isGreaterThanOrEqualTo(2 + accepted);
    }

    @Test
    void readsAnsweredFromMemoryAnswer503WhileRedisIsDownNotWhatWasLastKnown() throws Exception {
        ThingId car = freshThing("car");
        provision(store, car, "car", freshOwner());
        StoreFixture.await(
                store.shadows().update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":7}}}")));
        try (FeedSubscription follow = store.follow(event -> {})) {
            StoreFixture.await(follow.ready());
            StoreFixture.await(store.shadows().get(car));
            long fromMemory = store.shadows().readsFromMemory();
            assertThat(StoreFixture.await(store.shadows().get(car)).isOk()).isTrue();
            assertThat(store.shadows().readsFromMemory()).isEqualTo(fromMemory + 1);

            redis.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> follow.liveSince() == Long.MAX_VALUE);
            Outcome<?> during = StoreFixture.await(store.shadows().get(car));
            assertThat(((Outcome.Rejected<?>) during).rejection().code()).isEqualTo(503);

            redis.restart();
            await().atMost(Duration.ofSeconds(15)).until(() -> follow.liveSince() != Long.MAX_VALUE);
            assertThat(StoreFixture.await(store.shadows().get(car))
                            .orElseThrow()
                            .version())
                    .isEqualTo(1);
        }
    }

    @Test
    void aPresenceWriteMadeWhileRedisIsDownLandsOnceRedisIsBack() throws Exception {
        Presence car = provisionedCar();

        redis.stop();
        CompletableFuture<Outcome<Boolean>> connected =
                car.recorder.connected(car.thing, car.owner, "node-a/1", 1_000).toCompletableFuture();
        awaitSeenDown(); // the first attempts fail
        assertThat(connected).isNotDone();
        redis.restart();

        assertThat(connected.get(30, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(StoreFixture.await(store.presence().status(car.thing))
                        .orElseThrow()
                        .connected())
                .isTrue();
    }

    @Test
    void aDisconnectWaitsForItsSessionsConnectSoTheyNeverLandOutOfOrder() throws Exception {
        Presence car = provisionedCar();

        redis.stop();
        CompletableFuture<Outcome<Boolean>> connected =
                car.recorder.connected(car.thing, car.owner, "node-a/2", 1_000).toCompletableFuture();
        awaitSeenDown();
        // The device goes away while its connect is still being retried; then Redis comes back.
        CompletableFuture<Outcome<Boolean>> disconnected = car.recorder
                .disconnected(car.thing, car.owner, "node-a/2", 2_000)
                .toCompletableFuture();
        redis.restart();

        Outcome<Boolean> lastConnect = connected.get(30, TimeUnit.SECONDS);
        assertThat(disconnected.get(30, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(StoreFixture.await(store.presence().status(car.thing))
                        .orElseThrow()
                        .connected())
                .as("offline: the disconnect came last (connect outcome: %s)", lastConnect)
                .isFalse();
    }

    /** Waits until the store's calls find Redis gone (the stopped server's connections are refused or time out). */
    private static void awaitSeenDown() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !StoreFixture.await(store.ping()).isOk());
    }

    /** A provisioned car and a presence recorder that retries quickly and often enough to outlast a restart. */
    private record Presence(ThingId thing, Owner owner, PresenceRecorder recorder) {}

    private static Presence provisionedCar() {
        ThingId car = freshThing("car");
        Owner owner = freshOwner();
        provision(store, car, "car", owner);
        return new Presence(car, owner, new PresenceRecorder(store.presence(), Duration.ofMillis(200), 8));
    }
}
