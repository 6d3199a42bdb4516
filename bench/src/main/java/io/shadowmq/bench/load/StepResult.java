package io.shadowmq.bench.load;

import org.jetbrains.annotations.NotNull;

/**
 * What one fixed-rate step achieved: the rate asked for, the rate of successful answers over the step, how many
 * requests failed (refused, not sent) or were lost (no answer within the drain time), and the latency percentiles
 * from intended send time to answer.
 */
public record StepResult(
        double targetRate,
        double achievedRate,
        long sent,
        long succeeded,
        long failed,
        long lost,
        @NotNull Percentiles latency) {

    /** Errors of any kind: failed plus lost. */
    public long errors() {
        return failed + lost;
    }

    /** True when the step held: no errors and p99 within {@code p99LimitMillis}. */
    public boolean held(double p99LimitMillis) {
        return errors() == 0 && succeeded > 0 && latency.p99() <= p99LimitMillis;
    }
}
