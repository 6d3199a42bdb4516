package io.shadowmq.extension.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shadowmq.extension.config.AuthFailureLimit;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing: after {@code maxFailures} failed CONNECTs within {@code window} for one thing id or
 * from one source address, further attempts for it are refused without a store lookup for {@code blockFor}.
 */
public final class AuthFailureBrake {

    private final AuthFailureLimit limit;
    private final LongSupplier nanoClock;
    private final Cache<String, Attempts> attempts;

    public AuthFailureBrake(@NotNull AuthFailureLimit limit) {
        this(limit, System::nanoTime);
    }

    AuthFailureBrake(@NotNull AuthFailureLimit limit, @NotNull LongSupplier nanoClock) {
        this.limit = limit;
        this.nanoClock = nanoClock;
        Duration keep = limit.window().compareTo(limit.blockFor()) > 0 ? limit.window() : limit.blockFor();
        this.attempts = Caffeine.newBuilder().expireAfterAccess(keep).maximumSize(1_000_000).build();
    }

    /** True while {@code key} (a thing id or an address, prefixed by kind) is blocked. */
    public boolean isBlocked(@NotNull String key) {
        Attempts entry = attempts.getIfPresent(key);
        return entry != null && entry.blocked(nanoClock.getAsLong());
    }

    public void recordFailure(@NotNull String key) {
        attempts.get(key, ignored -> new Attempts()).fail(nanoClock.getAsLong(), limit);
    }

    private static final class Attempts {
        private long windowStart;
        private int failures;
        private long blockedUntil;

        synchronized boolean blocked(long now) {
            return blockedUntil != 0 && now - blockedUntil < 0;
        }

        synchronized void fail(long now, AuthFailureLimit limit) {
            if (failures == 0 || now - windowStart > limit.window().toNanos()) {
                windowStart = now;
                failures = 0;
            }
            failures++;
            if (failures >= limit.maxFailures()) {
                blockedUntil = now + limit.blockFor().toNanos();
                failures = 0;
            }
        }
    }
}
