package io.shadowmq.store;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisSentinel;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.feed.FeedSubscription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis with Sentinel — a master, one replica, three sentinels (quorum 2, {@code down-after-milliseconds} 1000) —
 * and a store connected through a Redisson sentinel configuration. The master is killed with SIGKILL under a stream
 * of updates; the sentinels promote the replica and Redisson follows them. Measured and printed: how long updates
 * stopped, how many acknowledged updates the promoted replica never received (replication is asynchronous). Every
 * thing's stored version must be its last acknowledged one, and a follower of the change feed must have seen every
 * acknowledged update that survived (once or more: at-least-once, told apart by version).
 */
@Tag("slow")
class SentinelFailoverTest {

    private static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(2);
    private static final Duration LOAD_AFTER_RESUME = Duration.ofSeconds(3);
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);
    private static final int THINGS = 6;

    @TempDir
    Path dir;

    @Test
    void updatesResumeOnceTheSentinelsPromoteTheReplicaOfAKilledMaster() throws Exception {
        try (RedisSentinel redis = RedisSentinel.start(1, 3, DOWN_AFTER, FAILOVER_TIMEOUT)) {
            killTheMasterUnderLoad(redis, 0, "asynchronous replication, one replica");
        }
    }

    /**
     * With two replicas the one not promoted is attached to the new master by the sentinels, so {@code WAIT 1} can
     * be met again without anyone's help, and no acknowledged update may be lost.
     */
    @Test
    void withReplicaAcksAndTwoReplicasNoAcknowledgedUpdateIsLost() throws Exception {
        try (RedisSentinel redis = RedisSentinel.start(2, 3, DOWN_AFTER, FAILOVER_TIMEOUT)) {
            int lost = killTheMasterUnderLoad(redis, 1, "replicaAcks=1 (WAIT 1), two replicas");
            assertThat(lost).isZero();
        }
    }

    /** Kills the master under load, checks and prints what happened; the number of acknowledged updates lost. */
    private int killTheMasterUnderLoad(RedisSentinel redis, int replicaAcks, String mode) throws Exception {
        Path yaml = dir.resolve("redis-sentinel.yaml");
        Files.writeString(
                yaml,
                "sentinelServersConfig:\n  masterName: \"" + redis.masterName() + "\"\n"
                        + "  sentinelAddresses:\n"
                        + redis.sentinelUris().stream()
                                .map(uri -> "    - \"" + uri + "\"\n")
                                .collect(Collectors.joining()));
        StoreConfig config = StoreConfig.ofRedissonFile(yaml, StoreFixture.PEPPER)
                .withTimeout(Duration.ofSeconds(2))
                .withReplicaAcks(replicaAcks);
        RedisServerProcess doomed = redis.master();

        try (ShadowStore store = ShadowStore.connect(config, StoreFixture.MODELS);
                ShadowStore followerStore = ShadowStore.connect(config, StoreFixture.MODELS)) {
            AtomicBoolean stop = new AtomicBoolean();
            List<FailoverWriter> writers = new ArrayList<>();
            for (int i = 0; i < THINGS; i++) {
                ThingId thing = freshThing("sfo");
                provision(store, thing, "car", freshOwner());
                writers.add(new FailoverWriter(store, thing, stop));
            }
            FeedVersionsSeen seenByFollower = new FeedVersionsSeen();
            ExecutorService threads = Executors.newFixedThreadPool(writers.size());
            try (FeedSubscription follow = followerStore.feed().follow(seenByFollower)) {
                await(follow.ready());
                CompletableFuture<Void> running = FailoverWriter.startAll(writers, threads);

                Pacing.letRunFor(LOAD_BEFORE_KILL);
                String loadAtKill = Files.readString(Path.of("/proc/loadavg")).strip();
                doomed.kill(); // returns once the process is gone: every later acknowledgement is the new master's
                long killedAt = System.nanoTime();
                RedisServerProcess promoted = redis.awaitMasterOtherThan(doomed, GIVE_UP_AFTER);
                long promotedAfter = (System.nanoTime() - killedAt) / 1_000_000;
                for (FailoverWriter writer : writers) {
                    writer.awaitAcknowledgedAfter(killedAt, GIVE_UP_AFTER);
                }
                Pacing.letRunFor(LOAD_AFTER_RESUME);
                stop.set(true);
                running.join();
                // the follower's reads of the last entries (an acknowledged update lost in the failover never comes)
                Pacing.awaitAtMost(
                        Duration.ofSeconds(2),
                        () -> writers.stream()
                                .allMatch(writer -> writer.acks().stream()
                                        .allMatch(ack -> seenByFollower.saw(writer.thing(), ack.version()))));

                long slowest = writers.stream()
                        .mapToLong(w -> w.outageMillis(killedAt))
                        .max()
                        .orElseThrow();
                int acknowledged =
                        writers.stream().mapToInt(w -> w.acks().size()).sum();
                int lost = writers.stream()
                        .mapToInt(FailoverWriter::lostAcknowledged)
                        .sum();
                int unannounced = 0;
                List<String> storedBehind = new ArrayList<>();
                for (FailoverWriter writer : writers) {
                    unannounced += (int) writer.survivingVersions().stream()
                            .filter(v -> !seenByFollower.saw(writer.thing(), v))
                            .count();
                    Outcome<ShadowDocument> stored = await(store.shadows().get(writer.thing()));
                    long version = stored instanceof Outcome.Ok<ShadowDocument> ok
                            ? ok.value().version()
                            : -1;
                    if (version != writer.lastAcknowledgedVersion()) {
                        storedBehind.add(writer.thing() + " stored " + version + ", acknowledged "
                                + writer.lastAcknowledgedVersion());
                    }
                }
                System.out.printf(
                        "sentinel failover with %s (down-after-milliseconds %d, load average at the kill"
                                + " %s): %d updates acknowledged; replica promoted %d ms after the kill; updates of"
                                + " the %d things stopped for at most %d ms (each: %s); %d acknowledged updates lost; %d surviving updates never reached"
                                + " the feed follower; %d announcements for %d versions; %d writer retries%n",
                        mode,
                        DOWN_AFTER.toMillis(),
                        loadAtKill,
                        acknowledged,
                        promotedAfter,
                        THINGS,
                        slowest,
                        writers.stream()
                                .map(w -> w.outageMillis(killedAt))
                                .sorted()
                                .toList(),
                        lost,
                        unannounced,
                        seenByFollower.announcements(),
                        seenByFollower.distinctVersions(),
                        writers.stream().mapToInt(FailoverWriter::retries).sum());

                assertThat(redis.replicas()).contains(promoted);
                assertThat(slowest).isLessThan(GIVE_UP_AFTER.toMillis());
                assertThat(storedBehind)
                        .as("things whose stored version is not the last acknowledged one")
                        .isEmpty();
                assertThat(unannounced)
                        .as("surviving acknowledged updates the feed follower never saw")
                        .isZero();
                return lost;
            } finally {
                stop.set(true);
                threads.shutdownNow();
            }
        }
    }
}
