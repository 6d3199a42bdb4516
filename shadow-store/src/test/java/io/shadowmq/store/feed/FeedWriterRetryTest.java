package io.shadowmq.store.feed;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.redis.StoreCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The append that must follow a commit on a Redis Cluster, tried again while Redis does not answer: driven by the test
 * through the writer's retry pauses and its clock, against a real Redis that is stopped and started again.
 */
class FeedWriterRetryTest {

    private static final int PARTITIONS = 4;
    private static final Owner OWNER = Owner.of("household-retry");
    private static final ThingId THING = ThingId.of("car-retry");

    private RedisServerProcess redis;
    private RedissonClient client;
    private StoreCall call;
    /** The writer's retries, each waiting for its pause to pass: the test runs them. */
    private final Queue<Runnable> paused = new ConcurrentLinkedQueue<>();

    private final AtomicLong nanos = new AtomicLong();
    private FeedWriter writer;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.builder().build().start();
        StoreConfig config = StoreConfig.of(redis.uri(), Pepper.parse("test-pepper-of-at-least-16-bytes"))
                .withTimeout(Duration.ofMillis(500));
        client = Redisson.create(ShadowStore.redissonConfig(config));
        call = new StoreCall(config.timeout());
        writer = new FeedWriter(client, call, PARTITIONS, 1000, false, nanos::get, paused::add);
    }

    @AfterEach
    void stop() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
        redis.stop();
    }

    @Test
    void anEntryThatCouldNotBeAppendedIsAppendedOnceRedisAnswersAgain() throws Exception {
        redis.stop();
        CompletableFuture<Outcome<String>> appended = writer.appendAfterCommit(
                        FeedChange.shadowUpdated(THING, OWNER, 7, "{}", true))
                .toCompletableFuture();

        await().atMost(Duration.ofSeconds(10)).until(() -> !paused.isEmpty());
        assertThat(appended).as("the caller's answer waits for the entry").isNotDone();

        redis.restart();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Runnable retry = paused.poll();
                    if (retry != null) {
                        nanos.addAndGet(FeedWriter.ANNOUNCE_RETRY_PAUSE.toNanos());
                        retry.run();
                    }
                    return appended.isDone();
                });

        assertThat(appended.join().isOk()).isTrue();
        ChangeFeed feed = new ChangeFeed(client, call, PARTITIONS, true);
        List<FeedEvent> events = feed.readAfter(feed.partitionOf(OWNER), null, 10)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .orElseThrow();
        // At least once: an attempt that timed out may have been written after all.
        assertThat(events).isNotEmpty().allSatisfy(event -> {
            assertThat(event.thing()).isEqualTo(THING);
            assertThat(event.version()).isEqualTo(7);
        });
    }

    @Test
    void theRetryGivesUpOnceItsTimeIsOverAndAnswersUnavailable() {
        redis.stop();
        CompletableFuture<Outcome<String>> appended = writer.appendAfterCommit(
                        FeedChange.of(FeedEventKind.PRESENCE, THING, OWNER, 0, "{}"))
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> !paused.isEmpty());

        nanos.addAndGet(FeedWriter.ANNOUNCE_RETRY_FOR.toNanos() + 1);
        paused.remove().run();

        Outcome<String> outcome = appended.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected<String>) outcome).rejection().code()).isEqualTo(503);
        assertThat(paused).as("no retry after the deadline").isEmpty();
    }
}
