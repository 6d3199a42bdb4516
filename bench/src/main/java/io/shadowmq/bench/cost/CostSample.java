package io.shadowmq.bench.cost;

/**
 * What the processes of a run had used up to one moment; two samples bound a measuring window.
 *
 * @param jvmCpuNanos      this JVM's process CPU time (broker, extension, REST service and load generator share it)
 * @param allocatedBytes   bytes allocated in this JVM's heap since it started, all threads, finished ones too;
 *                         -1 when the JVM cannot tell
 * @param redisCpuTicks    the Redis server's user + system CPU time in clock ticks; -1 when there is no Redis (or
 *                         it cannot be read)
 */
public record CostSample(long jvmCpuNanos, long allocatedBytes, long redisCpuTicks) {}
