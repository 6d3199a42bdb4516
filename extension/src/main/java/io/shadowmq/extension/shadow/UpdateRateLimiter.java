package io.shadowmq.extension.shadow;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Token bucket per thing for shadow updates (docs/protocol.md: default 20 updates/s, burst 40): a thing's shadow takes at
 * most that many updates a second on this broker node, whoever sends them. Idle buckets are forgotten.
 */
public final class UpdateRateLimiter {

    private final double perSecond;
    private final double burst;
    private final String what;
    private final LongSupplier nanoClock;
    private final Cache<ThingId, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(1))
            .maximumSize(1_000_000)
            .build();

    public UpdateRateLimiter(double perSecond, int burst) {
        this(perSecond, burst, "updates", System::nanoTime);
    }

    /**
     * The same bucket for other requests, e.g. {@code new UpdateRateLimiter(20, 40, "command requests")}: its
     * {@link #describe()} names them.
     */
    public UpdateRateLimiter(double perSecond, int burst, @NotNull String what) {
        this(perSecond, burst, what, System::nanoTime);
    }

    UpdateRateLimiter(double perSecond, int burst, @NotNull LongSupplier nanoClock) {
        this(perSecond, burst, "updates", nanoClock);
    }

    private UpdateRateLimiter(double perSecond, int burst, @NotNull String what, @NotNull LongSupplier nanoClock) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.what = what;
        this.nanoClock = nanoClock;
    }

    /** Takes one token for {@code thing}; false when its bucket is empty (answer 429). */
    public boolean tryAcquire(@NotNull ThingId thing) {
        return buckets.get(thing, ignored -> new Bucket(burst, nanoClock.getAsLong()))
                .take(perSecond, burst, nanoClock.getAsLong());
    }

    public @NotNull String describe() {
        return (perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond)) + " "
                + what + "/s per thing, burst " + (long) burst;
    }

    private static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.lastNanos = nowNanos;
        }

        synchronized boolean take(double perSecond, double burst, long nowNanos) {
            tokens = Math.min(burst, tokens + (nowNanos - lastNanos) / 1e9 * perSecond);
            lastNanos = nowNanos;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
