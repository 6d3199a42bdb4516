package io.shadowmq.bench.report;

import io.shadowmq.bench.load.StepResult;
import io.shadowmq.bench.scenario.BenchSettings;
import io.shadowmq.bench.scenario.CostBench;
import io.shadowmq.bench.scenario.IdleBench;
import io.shadowmq.bench.scenario.RecoveryBench;
import io.shadowmq.bench.scenario.RestReadBench;
import io.shadowmq.bench.scenario.RoundTripRun;
import io.shadowmq.bench.scenario.SearchBench;
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
        @Nullable CostBench.Result cost,
        @Nullable CostBench.Result costFloor,
        @Nullable RecoveryBench.Result recovery,
        @Nullable SearchBench.Result search,
        @NotNull List<String> goals,
        @NotNull List<String> notes) {

    /**
     * Where it ran.
     *
     * @param redis the Redis the targets ran, version and binary (see {@code RedisVersion})
     */
    public record Machine(
            int cores,
            long memoryBytes,
            @NotNull String jdk,
            @NotNull String os,
            @NotNull String redis) {

        public static @NotNull Machine current(@NotNull String redis) {
            long memory = ((com.sun.management.OperatingSystemMXBean)
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
            return new Machine(
                    Runtime.getRuntime().availableProcessors(),
                    memory,
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    redis);
        }

        /** One line for above the table: {@code machine: 2 cores, 23 GiB, OpenJDK ..., Linux ..., Redis 7.0.15 (...)}. */
        public @NotNull String line() {
            return "machine: %d cores, %d GiB, %s, %s, %s".formatted(cores, memoryBytes >> 30, jdk, os, redis);
        }
    }
}
