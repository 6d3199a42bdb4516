package io.shadowmq.store.redis;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a timed-out call makes later calls fail fast. The calls here are plain futures standing for Redis answers
 * (or their absence): what is tested is {@link StoreCall}'s own rule, not Redis — {@code RedisOutageTest} stops a
 * real Redis.
 */
class StoreCallTest {

    private static final Duration TIMEOUT = Duration.ofMillis(100);

    /** The calls' monotonic clock: moved by the test, never by waiting. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aTimeoutWhileRedisIsSilentMakesTheNextCallsFailFast() {
        StoreCall call = new StoreCall(TIMEOUT, nanos::get);
        advance(TIMEOUT.plusMillis(20)); // no answer for longer than a timeout: Redis looks gone

        Outcome<String> timedOut =
                call.run("silent", new CompletableFuture<String>(), Outcome::ok).join();
        CompletableFuture<String> next = new CompletableFuture<>();
        Outcome<String> failedFast = call.run("next", next, Outcome::ok).getNow(null);

        assertThat(rejection(timedOut).message()).contains("no answer within the store timeout");
        assertThat(failedFast).as("answered at once, without waiting for Redis").isNotNull();
        assertThat(rejection(failedFast).code()).isEqualTo(Rejection.STORE_UNAVAILABLE);
        assertThat(rejection(failedFast).message()).contains("did not answer a moment ago");
        assertThat(next).as("the call that was not made is cancelled").isCancelled();
    }

    @Test
    void aTimeoutWhileOtherCallsAreAnsweredFailsOnlyItself() {
        StoreCall call = new StoreCall(TIMEOUT, nanos::get);
        CompletableFuture<Outcome<String>> slow = call.run("slow", new CompletableFuture<String>(), Outcome::ok);
        // Redis keeps answering other calls while the slow one waits: busy, not gone.
        for (int i = 0; i < 5; i++) {
            advance(TIMEOUT.dividedBy(4));
            assertThat(call.run("answered", CompletableFuture.completedFuture("ok"), Outcome::ok)
                            .join())
                    .isEqualTo(Outcome.ok("ok"));
        }
        assertThat(rejection(slow.join()).code()).isEqualTo(Rejection.STORE_UNAVAILABLE);

        Outcome<String> after = call.run(
                        "after",
                        CompletableFuture.supplyAsync(
                                () -> "fresh", CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS)),
                        Outcome::ok)
                .join();

        assertThat(after).as("the next call still goes to Redis").isEqualTo(Outcome.ok("fresh"));
    }

    private static Rejection rejection(Outcome<?> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected<?>) outcome).rejection();
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
