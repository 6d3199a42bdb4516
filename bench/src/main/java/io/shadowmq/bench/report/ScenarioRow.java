package io.shadowmq.bench.report;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One line of the result table: a scenario's throughput, its latency, how it compares with the limit beneath it
 * (or its goal, where nothing was measured beneath it), and its goal (docs/benchmarks.md) with a verdict.
 *
 * @param throughput  already formatted with its unit, e.g. {@code "4,000 upd/s"}
 * @param p50Millis   {@code null} where latency has no meaning (idle)
 * @param vsLimit     e.g. {@code "0.42x echo"}
 * @param goalMet     {@code null} when the run could not decide (e.g. a skipped scenario)
 */
public record ScenarioRow(
        @NotNull String scenario,
        @NotNull String throughput,
        @Nullable Double p50Millis,
        @Nullable Double p99Millis,
        @NotNull String vsLimit,
        @NotNull String goal,
        @Nullable Boolean goalMet) {

    /** A scenario that broke during the run, with the reason (the notes have the whole exception). */
    public static @NotNull ScenarioRow failed(@NotNull String scenario, @NotNull String why) {
        return new ScenarioRow(
                scenario, "FAILED", null, null, why.length() > 60 ? why.substring(0, 60) + "..." : why, "", false);
    }

    /** A scenario that did not run, and why. */
    public static @NotNull ScenarioRow skipped(@NotNull String scenario, @NotNull String why) {
        return new ScenarioRow(scenario, "skipped", null, null, why, "", null);
    }
}
