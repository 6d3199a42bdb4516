package io.shadowmq.bench.cost;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The cost of one request over a measuring window: what the window used, divided by the requests sent in it.
 *
 * @param jvmMicros   JVM CPU time per request, µs
 * @param redisMicros Redis server CPU time per request, µs; {@code null} when not measured
 * @param allocatedKb bytes allocated in the JVM per request, KB (1,000 bytes); {@code null} when not measured
 */
public record CostPerRequest(
        double jvmMicros,
        @Nullable Double redisMicros,
        @Nullable Double allocatedKb) {

    /**
     * The cost per request between two samples.
     *
     * @param requests          requests sent in the window (at least 1)
     * @param clockTicksPerSecond the unit of {@link CostSample#redisCpuTicks()} ({@code getconf CLK_TCK})
     */
    public static @NotNull CostPerRequest between(
            @NotNull CostSample before, @NotNull CostSample after, long requests, long clockTicksPerSecond) {
        if (requests < 1) {
            throw new IllegalArgumentException("a cost per request needs at least one request, got " + requests);
        }
        double jvm = (after.jvmCpuNanos() - before.jvmCpuNanos()) / 1_000.0 / requests;
        Double redis = before.redisCpuTicks() < 0 || after.redisCpuTicks() < 0
                ? null
                : (after.redisCpuTicks() - before.redisCpuTicks()) * 1e6 / clockTicksPerSecond / requests;
        Double kb = before.allocatedBytes() < 0 || after.allocatedBytes() < 0
                ? null
                : (after.allocatedBytes() - before.allocatedBytes()) / 1_000.0 / requests;
        return new CostPerRequest(jvm, redis, kb);
    }

    /** JVM plus Redis CPU, µs; the JVM's alone when Redis was not measured. */
    public double cpuMicros() {
        return jvmMicros + (redisMicros == null ? 0 : redisMicros);
    }

    /** This cost minus {@code floor}'s: what the request costs above the least a request of its shape costs. */
    public @NotNull CostPerRequest minus(@NotNull CostPerRequest floor) {
        return new CostPerRequest(
                jvmMicros - floor.jvmMicros,
                redisMicros == null || floor.redisMicros == null ? null : redisMicros - floor.redisMicros,
                allocatedKb == null || floor.allocatedKb == null ? null : allocatedKb - floor.allocatedKb);
    }
}
