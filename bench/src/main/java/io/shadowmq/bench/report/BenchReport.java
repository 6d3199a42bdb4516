package io.shadowmq.bench.report;

import io.shadowmq.bench.load.StepResult;
import io.shadowmq.bench.scenario.BenchSettings;
import io.shadowmq.bench.scenario.IdleBench;
import io.shadowmq.bench.scenario.RestReadBench;
import io.shadowmq.bench.scenario.RoundTripRun;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;

/**
 * Everything one {@code ./shadowmq bench} measured, as written to {@code bench-results/bench-<time>.json}. A
 * scenario that did not run is {@code null}; {@code notes} say why, and how the run was set up (rate limit, fd cap).
 */
public record BenchReport(
        @NotNull String startedAt,
        @NotNull String command,
        @NotNull Machine machine,
        @NotNull BenchSettings settings,
        @NotNull List<ScenarioRow> table,
        @Nullable RoundTripRun updates,
        @Nullable RoundTripRun echo,
        @Nullable RoundTripRun peer,
        @Nullable StepResult delta,
        @Nullable RestReadBench.Result restRead,
        @Nullable IdleBench.Result idle,
        @Nullable RoundTripRun floor,
        @Nullable RoundTripRun floorRedis,
        @NotNull List<String> notes) {

    /** Where it ran. */
    public record Machine(
            int cores,
            long memoryBytes,
            @NotNull String jdk,
            @NotNull String os) {

        public static @NotNull Machine current() {
            long memory = ((com.sun.management.OperatingSystemMXBean)
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
            return new Machine(
                    Runtime.getRuntime().availableProcessors(),
                    memory,
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"));
        }
    }
}
