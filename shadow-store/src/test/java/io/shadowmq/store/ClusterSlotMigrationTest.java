package io.shadowmq.store;

import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.ClusterSlot;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.redis.process.SlotMigration;
import io.shadowmq.store.redis.RedisKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis Cluster reshaped under load: the slot holding one thing's keys moves to another master while updates
 * flow to it and to other things. Redisson follows MOVED and ASK; a script refused with TRYAGAIN (its keys split
 * between the two masters mid-move) was never run, so the store retries it within its timeout. Every update is
 * acknowledged at its first attempt, and every acknowledged update is in the shadow afterwards.
 */
class ClusterSlotMigrationTest {

    private static final int WRITERS_PER_THING = 2;
    private static final long HALF_MOVED_MILLIS = 1_200;

    @RegisterExtension
    static final ClusterStoreExtension redis = new ClusterStoreExtension();

    @Test
    void updatesFlowingWhileTheirThingsSlotMovesAreAllAcknowledgedAndNoneIsLost() throws Exception {
        ShadowStore store = redis.store();
        ThingId moving = freshThing("moving");
        ThingId staying = freshThing("staying");
        provision(store, moving, "car", freshOwner());
        provision(store, staying, "car", freshOwner());
        int slot = ClusterSlot.of(RedisKeys.shadow(moving));
        RedisServerProcess source = redis.cluster().masterOfSlot(slot);
        RedisServerProcess target = redis.cluster().masters().stream()
                .filter(m -> m != source)
                .findFirst()
                .orElseThrow();

        AtomicBoolean stop = new AtomicBoolean();
        List<Writer> writers = new ArrayList<>();
        for (ThingId thing : List.of(moving, staying)) {
            for (int w = 0; w < WRITERS_PER_THING; w++) {
                writers.add(new Writer(store, thing, "w" + w, stop));
            }
        }
        ExecutorService threads = Executors.newFixedThreadPool(writers.size());
        List<CompletableFuture<Void>> running = writers.stream()
                .map(w -> CompletableFuture.runAsync(w::run, threads))
                .toList();

        Pacing.letRunFor(Duration.ofMillis(300)); // the writers are under way
        SlotMigration migration = redis.cluster().beginSlotMigration(slot, target);
        while (migration.moveKeys(10) > 0) {
            // a batch at a time, as redis-cli moves them, with traffic in between
        }
        // Until the slot is given to the target, the target refuses the thing's update script with TRYAGAIN (the
        // new clientToken key is on neither master): a slot held half-moved for over a second, as a slow reshard
        // would, outlasts Redisson's default retry of once after a second.
        Pacing.letRunFor(Duration.ofMillis(HALF_MOVED_MILLIS));
        migration.finish();
        Pacing.letRunFor(Duration.ofMillis(300)); // writes after the slot moved
        stop.set(true);
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        threads.shutdown();

        assertThat(redis.cluster().masterOfSlot(slot)).isSameAs(target);
        for (ThingId thing : List.of(moving, staying)) {
            List<Writer> its =
                    writers.stream().filter(w -> w.thing.equals(thing)).toList();
            int acknowledged = its.stream().mapToInt(w -> w.acknowledged.get()).sum();
            assertThat(its)
                    .as("updates of %s that were never acknowledged", thing)
                    .allSatisfy(w -> assertThat(w.failed.get()).isZero());
            assertThat(acknowledged).as("updates of %s acknowledged", thing).isGreaterThan(10);
            assertThat(await(store.shadows().getLatest(thing)).orElseThrow().version())
                    .as("version of %s: one per acknowledged update, none lost, none applied twice", thing)
                    .isEqualTo(acknowledged);
        }
        int retried = writers.stream().mapToInt(w -> w.retried.get()).sum();
        assertThat(retried)
                .as("updates the writers had to send again after a 503")
                .isZero();
        System.out.printf(
                "slot migration under load: %d updates acknowledged, %d attempts retried by the writers,"
                        + " slowest update %d ms%n",
                writers.stream().mapToInt(w -> w.acknowledged.get()).sum(),
                retried,
                writers.stream().mapToLong(w -> w.slowestMillis.get()).max().orElse(0));
    }

    /** Sends one update after another, each with its own clientToken, retrying a 503 with the same token. */
    private static final class Writer {
        private static final int ATTEMPTS = 5;
        final ShadowStore store;
        final ThingId thing;
        final String name;
        final AtomicBoolean stop;
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger retried = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong slowestMillis = new AtomicLong();

        Writer(ShadowStore store, ThingId thing, String name, AtomicBoolean stop) {
            this.store = store;
            this.thing = thing;
            this.name = name;
            this.stop = stop;
        }

        void run() {
            for (int i = 1; !stop.get(); i++) {
                String body = "{\"state\":{\"reported\":{\"range\":" + (i % 2000) + "}},\"clientToken\":\"" + name + "-"
                        + i + "\"}";
                boolean done = false;
                for (int attempt = 1; attempt <= ATTEMPTS && !done; attempt++) {
                    long start = System.nanoTime();
                    UpdateOutcome outcome = await(store.shadows().update(thing, Requester.thing(thing), request(body)));
                    slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    if (outcome instanceof UpdateOutcome.Accepted) {
                        acknowledged.incrementAndGet();
                        done = true;
                    } else {
                        retried.incrementAndGet();
                        System.out.println(thing + " " + name + "-" + i + " attempt " + attempt + ": " + outcome);
                    }
                }
                if (!done) {
                    failed.incrementAndGet();
                }
            }
        }
    }
}
