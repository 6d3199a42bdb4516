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

    /** Measured on 2 cores: 10,000 things connecting at once all got in, none refused (docs/benchmarks.md). */
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
