package io.shadowmq.store.history;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * How much of each thing's reported history the store keeps: at most {@code maxPoints} points (one per update that
 * changed a reported value), none older than {@code retention}. Trimmed as the points are appended, and on reading.
 */
public record HistoryPolicy(int maxPoints, @NotNull Duration retention) {

    public static final int DEFAULT_MAX_POINTS = 10_000;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final HistoryPolicy DEFAULT = new HistoryPolicy(DEFAULT_MAX_POINTS, DEFAULT_RETENTION);

    public HistoryPolicy {
        if (maxPoints < 1) {
            throw new IllegalArgumentException("history maxPoints must be at least 1, was " + maxPoints);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("history retention must be positive, was " + retention);
        }
    }
}
