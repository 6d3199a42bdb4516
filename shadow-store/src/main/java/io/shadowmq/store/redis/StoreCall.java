package io.shadowmq.store.redis;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Bounds a Redis call in time and turns every way it can fail into a typed outcome: a timeout or a broken
 * connection is 503 (the caller may retry), a bug in our own code is 500. No exception reaches the caller.
 *
 * <p>When Redis has gone silent — a call failed and no call got an answer for a whole timeout — calls fail fast with
 * 503 for {@link #FAIL_FAST_FOR}: requests queued behind each other for one thing would otherwise each wait out the
 * full timeout, and a device's queue of N requests would take N timeouts to drain during an outage. A call that
 * times out while others are being answered only fails itself: Redis is busy, not gone, and failing everything for a
 * second would turn a burst into an outage (the benchmark's storm of 10,000 CONNECTs showed it: 2,166 of the 4,180
 * refusals were this fail-fast, tripped by timeouts while Redis kept answering).
 */
public final class StoreCall {

    private static final Logger log = LoggerFactory.getLogger(StoreCall.class);

    /** How long calls fail fast after Redis did not answer, before the next call tries Redis again. */
    public static final Duration FAIL_FAST_FOR = Duration.ofSeconds(1);

    private final Duration timeout;
    private final LongSupplier nanoClock;
    private final AtomicLong failFastUntilNanos;
    private final AtomicLong lastAnswerNanos;

    public StoreCall(@NotNull Duration timeout) {
        this(timeout, System::nanoTime);
    }

    /** @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime}; tests move a manual one) */
    public StoreCall(@NotNull Duration timeout, @NotNull LongSupplier nanoClock) {
        this.timeout = timeout;
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.failFastUntilNanos = new AtomicLong(now);
        this.lastAnswerNanos = new AtomicLong(now);
    }

    /** The monotonic clock this call's bounds are measured with (the store's components share it). */
    public @NotNull LongSupplier nanoClock() {
        return nanoClock;
    }

    public @NotNull Duration timeout() {
        return timeout;
    }

    /** Runs {@code call}, maps its value, and completes within the timeout, always normally. */
    public <R, T> @NotNull CompletableFuture<Outcome<T>> run(
            @NotNull String what, @NotNull CompletionStage<R> call, @NotNull Function<R, Outcome<T>> mapper) {
        if (nanoClock.getAsLong() - failFastUntilNanos.get() < 0) {
            call.toCompletableFuture().cancel(false);
            return CompletableFuture.completedFuture(Outcome.rejected(
                    Rejection.storeUnavailable("store unavailable: Redis did not answer a moment ago, retry shortly")));
        }
        return call.toCompletableFuture()
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((value, error) -> {
                    long now = nanoClock.getAsLong();
                    if (error == null) {
                        lastAnswerNanos.set(now);
                        return safeMap(what, value, mapper);
                    }
                    Throwable cause = unwrap(error);
                    if (isInfrastructure(cause) && !isBusy(cause) && now - lastAnswerNanos.get() >= timeout.toNanos()) {
                        failFastUntilNanos.set(now + FAIL_FAST_FOR.toNanos());
                    }
                    return failed(what, error);
                });
    }

    /** Like {@link #run} for a call that itself already yields an outcome (composed calls). */
    public <T> @NotNull CompletableFuture<Outcome<T>> bound(
            @NotNull String what, @NotNull CompletionStage<Outcome<T>> call) {
        return run(what, call, Function.identity());
    }

    private static <R, T> Outcome<T> safeMap(String what, R value, Function<R, Outcome<T>> mapper) {
        try {
            return mapper.apply(value);
        } catch (RuntimeException bug) {
            log.error("store {}: unexpected answer from Redis", what, bug);
            return Outcome.rejected(Rejection.internal("internal error in " + what));
        }
    }

    /** Maps a failure of a Redis call: infrastructure -> 503, anything else -> 500. */
    public static <T> @NotNull Outcome<T> failed(@NotNull String what, @NotNull Throwable error) {
        Throwable cause = unwrap(error);
        if (isInfrastructure(cause)) {
            log.warn("store {}: Redis unavailable: {}", what, describe(cause));
            return Outcome.rejected(Rejection.storeUnavailable("store unavailable: " + describe(cause)));
        }
        log.error("store {}: failed", what, cause);
        return Outcome.rejected(Rejection.internal("internal error in " + what));
    }

    /**
     * Redis is up but this process has more commands in flight than connections: failing everything fast for a
     * second would turn a burst into an outage (the benchmark's connect storm showed it), so only this call fails.
     */
    static boolean isBusy(Throwable cause) {
        return String.valueOf(cause.getMessage()).contains("Unable to acquire connection");
    }

    static boolean isInfrastructure(Throwable cause) {
        return cause instanceof TimeoutException
                || cause instanceof java.io.IOException
                || cause instanceof org.redisson.client.RedisException
                || cause instanceof io.netty.channel.ChannelException
                || cause instanceof java.util.concurrent.CancellationException
                || cause instanceof IllegalStateException
                        && String.valueOf(cause.getMessage()).contains("shutdown");
    }

    private static String describe(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "no answer within the store timeout";
        }
        String message = cause.getMessage();
        if (message == null) {
            return cause.getClass().getSimpleName();
        }
        // Redisson messages can carry whole command dumps; the first sentence says what happened.
        int cut = message.indexOf(". ");
        return cut > 0 && cut < 200
                ? message.substring(0, cut)
                : message.length() > 200 ? message.substring(0, 200) : message;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
