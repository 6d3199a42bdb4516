package io.shadowmq.bench.cost;

import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Samples what this JVM and a Redis server process have used so far: the JVM's process CPU time
 * ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}), the bytes allocated by all its threads
 * ({@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}, JDK 14+), and Redis's user + system time
 * from {@code /proc/<pid>/stat}. Whatever cannot be measured on this machine is said in {@link #limitations()}.
 */
public final class CostMeter {

    /** Linux's clock tick on every common architecture; used when {@code getconf CLK_TCK} cannot be run. */
    static final long ASSUMED_CLOCK_TICKS = 100;

    private final long clockTicksPerSecond;
    private final List<String> limitations = new ArrayList<>();

    public CostMeter() {
        OptionalLong ticks = clockTicksFromGetconf();
        if (ticks.isEmpty()) {
            limitations.add("getconf CLK_TCK could not be run: Redis CPU assumes " + ASSUMED_CLOCK_TICKS
                    + " clock ticks per second");
        }
        this.clockTicksPerSecond = ticks.orElse(ASSUMED_CLOCK_TICKS);
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean)) {
            limitations.add("this JVM does not report its process CPU time");
        }
        if (!allocationCounted()) {
            limitations.add("this JVM does not count allocated bytes per thread: allocation not measured");
        }
    }

    /** The unit of {@link CostSample#redisCpuTicks()}. */
    public long clockTicksPerSecond() {
        return clockTicksPerSecond;
    }

    /** What could not be measured, and what was assumed instead; empty when everything was measured. */
    public @NotNull List<String> limitations() {
        return List.copyOf(limitations);
    }

    /** A sample now; {@code redisPid} empty (or unreadable) leaves Redis unmeasured (-1). */
    public @NotNull CostSample sample(@NotNull OptionalLong redisPid) {
        long allocated = allocationCounted()
                ? ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes()
                : -1;
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
        long redis = redisPid.isPresent() ? redisCpuTicks(redisPid.getAsLong()) : -1;
        return new CostSample(cpu, allocated, redis);
    }

    /**
     * User + system time, in clock ticks, from one line of {@code /proc/<pid>/stat}: fields 14 and 15, counted
     * after the command name in parentheses (which may itself hold spaces and parentheses).
     *
     * @throws IllegalArgumentException if the line is not in that format
     */
    static long cpuTicksOfStat(@NotNull String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line (no command name): " + statLine);
        }
        String[] after = statLine.substring(close + 1).trim().split("\\s+");
        // after[0] is field 3 (state), so field n is after[n - 3].
        if (after.length < 13) {
            throw new IllegalArgumentException("a /proc/<pid>/stat line too short for utime/stime: " + statLine);
        }
        return Long.parseLong(after[14 - 3]) + Long.parseLong(after[15 - 3]);
    }

    private long redisCpuTicks(long pid) {
        try {
            return cpuTicksOfStat(
                    Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            String why = "Redis CPU not measured: /proc/" + pid + "/stat could not be read (" + e.getMessage() + ")";
            if (!limitations.contains(why)) {
                limitations.add(why);
            }
            return -1;
        }
    }

    private static boolean allocationCounted() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled();
    }

    private static OptionalLong clockTicksFromGetconf() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!getconf.waitFor(5, TimeUnit.SECONDS) || getconf.exitValue() != 0) {
                getconf.destroyForcibly();
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(out));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }
}
