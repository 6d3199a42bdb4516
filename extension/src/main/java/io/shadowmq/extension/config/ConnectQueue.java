package io.shadowmq.extension.config;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Objects;

/**
 * How CONNECT credential checks are admitted to the store ({@code ConnectAdmission}): at most
 * {@code concurrentChecks} at once, the others wait their turn in arrival order for at most {@code maxWait}.
 * <pre>{@code new ConnectQueue(256, Duration.ofSeconds(10))  // the default}</pre>
 */
public record ConnectQueue(int concurrentChecks, @NotNull Duration maxWait) {

    /**
     * 10,000-thing storms on 2 cores (./shadowmq bench --scenarios idle), none refused: 64 checks at once took
     * 13.6-14.5 s, 256 took 11.9-12.0 s, 1,024 took 11.7-12.3 s; without admission up to two thirds were refused after
     * the store timeout. 256 keeps Redis busy without a long queue in front of it (docs/benchmarks.md).
     */
    public static final ConnectQueue DEFAULT = new ConnectQueue(256, Duration.ofSeconds(10));

    public ConnectQueue {
        Objects.requireNonNull(maxWait, "maxWait");
        if (concurrentChecks < 1) {
            throw new IllegalArgumentException("concurrent checks must be at least 1, was " + concurrentChecks);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("the wait for a turn cannot be negative, was " + maxWait);
        }
    }
}
