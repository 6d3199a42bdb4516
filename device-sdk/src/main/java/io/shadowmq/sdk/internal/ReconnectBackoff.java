package io.shadowmq.sdk.internal;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next connection attempt: exponential backoff with "equal jitter". Attempt {@code n}
 * waits a random time between half and all of {@code min(max, initial * 2^(n-1))}, so a thousand devices that lost
 * the broker at the same moment do not all come back in the same millisecond, yet none waits longer than
 * {@code max}.
 *
 * <pre>{@code
 * ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), Math::random);
 * backoff.delay(1);   // 250..500 ms
 * backoff.delay(10);  // 15..30 s
 * }</pre>
 */
public final class ReconnectBackoff {

    /** The first retry waits up to this long unless configured otherwise. */
    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(500);
    /** No retry waits longer than this unless configured otherwise. */
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
    public ReconnectBackoff(@NotNull Duration initial, @NotNull Duration max, @NotNull DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got initial " + initial + ", max " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The wait before attempt {@code attempt} (1 = the first retry after a connection was lost or refused). */
    @NotNull
    Duration delay(int attempt) {
        long ceiling = ceiling(attempt);
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (ceiling - half)));
    }

    /** The largest wait of an attempt, before jitter. */
    long ceiling(int attempt) {
        long ceiling = initialNanos;
        for (int i = 1; i < attempt && ceiling < maxNanos; i++) {
            ceiling = ceiling > maxNanos / 2 ? maxNanos : ceiling * 2;
        }
        return Math.min(ceiling, maxNanos);
    }
}
