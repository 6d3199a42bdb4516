package io.shadowmq.bench.scenario;

import io.shadowmq.bench.mqtt.FleetProcess;
import io.shadowmq.bench.mqtt.ThingCredentials;
import io.shadowmq.bench.target.BenchPlatform;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code idle}: connects M devices (each subscribed to its shadow topics, as a real device is) and measures what
 * they cost at rest: heap after a full GC and the process RSS, before and after, per device.
 * <p>The devices live in their own JVM ({@link FleetProcess}), so the figures are the broker's (HiveMQ plus the
 * extension) per connected thing, and the broker's process holds one socket per thing. The first connect of that
 * fleet is also a storm of the whole fleet at once, reported with the result. Redis is a separate process and not
 * counted.
 */
public final class IdleBench {

    /** Memory of M idle connected things. */
    public record Result(
            int things,
            int connected,
            int refusedInStorm,
            double connectSeconds,
            long heapBytesPerThing,
            long rssBytesPerThing,
            long heapUsedBytes,
            long heapMaxBytes) {}

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final Progress progress;

    public IdleBench(@NotNull Progress progress) {
        this.progress = progress;
    }

    public @NotNull Result run(
            @NotNull BenchPlatform platform, @NotNull List<ThingCredentials> things, @NotNull Path workDir)
            throws Exception {
        long heapBefore = settledHeap();
        long rssBefore = rss();
        progress.say("idle", "connecting %,d devices from a separate fleet process".formatted(things.size()));
        try (FleetProcess fleet =
                FleetProcess.start(platform.host(), platform.mqttPort(), things, workDir, CONNECT_TIMEOUT)) {
            FleetProcess.Connected connected = fleet.connected();
            Thread.sleep(SETTLE.toMillis());
            long heapAfter = settledHeap();
            long rssAfter = rss();
            int devices = Math.max(1, connected.devices());
            Result result = new Result(
                    things.size(),
                    connected.devices(),
                    connected.refusedInStorm(),
                    connected.stormSeconds(),
                    (heapAfter - heapBefore) / devices,
                    (rssAfter - rssBefore) / devices,
                    heapAfter,
                    Runtime.getRuntime().maxMemory());
            progress.say(
                    "idle",
                    ("%,d connected (first storm: %,d of %,d in %.2f s, %,d refused, then retried): "
                                    + "broker heap %,d B/thing, RSS %,d B/thing")
                            .formatted(
                                    result.connected(),
                                    connected.stormConnected(),
                                    connected.devices(),
                                    connected.stormSeconds(),
                                    result.refusedInStorm(),
                                    result.heapBytesPerThing(),
                                    result.rssBytesPerThing()));
            return result;
        }
    }

    @SuppressWarnings("java:S1215") // an explicit GC is the point: we measure what stays live
    private static long settledHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resident set size of this process from /proc (Linux); 0 where there is none. */
    private static long rss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }
}
