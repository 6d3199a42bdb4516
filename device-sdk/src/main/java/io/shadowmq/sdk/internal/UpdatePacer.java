package io.shadowmq.sdk.internal;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps the updates of one thing under the platform's rate limit (docs/protocol.md: 20 updates/s per thing, burst 40), so
 * the SDK waits instead of collecting 429s. A token bucket, like the broker's, but with half the burst: the broker's
 * bucket is shared by everyone who writes the thing, and clocks and networks jitter. Not thread-safe.
 *
 * <pre>{@code
 * UpdatePacer pacer = new UpdatePacer(20, System::nanoTime);
 * if (pacer.tryAcquire()) send(); else schedule(flush, pacer.nanosUntilNextPermit());
 * }</pre>
 */
final class UpdatePacer {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;
    private long pausedUntilNanos;

    /** @param perSecond the sustained rate; the burst is one second's worth (the broker allows two), at least 1 */
    UpdatePacer(double perSecond, @NotNull LongSupplier nanoClock) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("updates per second must be positive, was " + perSecond);
        }
        this.perSecond = perSecond;
        this.burst = Math.max(1, Math.floor(perSecond));
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastNanos = nanoClock.getAsLong();
        this.pausedUntilNanos = lastNanos;
    }

    /** Takes a permit to send one update now, if there is one. */
    boolean tryAcquire() {
        refill();
        if (tokens < 1 || nanoClock.getAsLong() - pausedUntilNanos < 0) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** How long until {@link #tryAcquire()} can succeed; 0 when it can now. */
    long nanosUntilNextPermit() {
        refill();
        long now = nanoClock.getAsLong();
        long untilToken = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perSecond * 1e9);
        return Math.max(untilToken, Math.max(0, pausedUntilNanos - now));
    }

    /** The platform said 429 anyway (others write this thing too): send nothing for a while, then go slowly. */
    void pause(@NotNull Duration duration) {
        refill();
        pausedUntilNanos = nanoClock.getAsLong() + duration.toNanos();
        tokens = Math.min(tokens, 1);
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
        lastNanos = now;
    }
}
