package io.shadowmq.extension.config;

/**
 * A token bucket per thing for shadow requests: {@code updatesPerSecond} sustained, up to {@code burst} at once.
 * Above it requests are rejected with 429 (docs/protocol.md).
 * <pre>{@code new RateLimit(20, 40)  // the default}</pre>
 */
public record RateLimit(int updatesPerSecond, int burst) {

    public static final RateLimit DEFAULT = new RateLimit(20, 40);

    public RateLimit {
        if (updatesPerSecond < 1) {
            throw new IllegalArgumentException("updates per second must be at least 1, was " + updatesPerSecond);
        }
        if (burst < updatesPerSecond) {
            // A bucket smaller than one second's refill would make the per-second rate unreachable.
            throw new IllegalArgumentException(
                    "burst (" + burst + ") must be at least the updates per second (" + updatesPerSecond + ")");
        }
    }
}
