package io.shadowmq.bench.load;

import org.HdrHistogram.Histogram;
import org.jetbrains.annotations.NotNull;

/**
 * Latency percentiles of one measurement, in milliseconds.
 * <pre>{@code Percentiles.of(histogramInMicros).p99()  // 4.2}</pre>
 */
public record Percentiles(double p50, double p90, double p99, double p999, double max, long count) {

    public static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0, 0);

    /** Summarises a histogram whose values are microseconds. */
    public static @NotNull Percentiles of(@NotNull Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return NONE;
        }
        return new Percentiles(
                millis(micros.getValueAtPercentile(50)),
                millis(micros.getValueAtPercentile(90)),
                millis(micros.getValueAtPercentile(99)),
                millis(micros.getValueAtPercentile(99.9)),
                millis(micros.getMaxValue()),
                micros.getTotalCount());
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
