package io.shadowmq.bench.scenario;

import io.shadowmq.bench.mqtt.ConnectStorm;
import io.shadowmq.bench.mqtt.DeviceFleet;
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
 * <p>The broker and the load generator share one JVM, so the figures include the client side (the HiveMQ MQTT
 * Client's per-connection state) — an upper bound for the broker's own cost. Redis is a separate process and not
 * counted.
 */
public final class IdleBench {

    /** Memory of M idle connected things. */
    public record Result(int things, int connected, int refusedInStorm, double connectSeconds, long heapBytesPerThing,
                         long rssBytesPerThing, long heapUsedBytes, long heapMaxBytes) {
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final Progress progress;

    public IdleBench(@NotNull Progress progress) {
        this.progress = progress;
    }

    public @NotNull Result run(@NotNull BenchPlatform platform, @NotNull List<ThingCredentials> things) throws Exception {
        long heapBefore = settledHeap();
        long rssBefore = rss();
        try (DeviceFleet fleet = DeviceFleet.of(platform.host(), platform.mqttPort(), things, (d, t, p) -> { })) {
            progress.say("idle", "connecting %,d devices".formatted(things.size()));
            // Refusals in the storm are connect-storm's finding; idle measures the whole fleet at rest.
            ConnectStorm storm = fleet.connectAllRetryingRefused(CONNECT_TIMEOUT);
            fleet.subscribeAll(device -> List.of("things/" + fleet.thingId(device) + "/shadow/#"), CONNECT_TIMEOUT);
            Thread.sleep(SETTLE.toMillis());
            long heapAfter = settledHeap();
            long rssAfter = rss();
            int connected = Math.max(1, things.size());
            Result result = new Result(things.size(), things.size(), storm.failed(), storm.seconds(),
                    (heapAfter - heapBefore) / connected, (rssAfter - rssBefore) / connected, heapAfter,
                    Runtime.getRuntime().maxMemory());
            progress.say("idle", "%,d connected (%,d refused in the first storm, then retried): heap %,d B/thing, RSS %,d B/thing (client side included)".formatted(
                    result.connected(), result.refusedInStorm(), result.heapBytesPerThing(), result.rssBytesPerThing()));
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
