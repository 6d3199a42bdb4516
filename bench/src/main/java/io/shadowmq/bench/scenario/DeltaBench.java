package io.shadowmq.bench.scenario;

import io.shadowmq.bench.load.LoadStep;
import io.shadowmq.bench.load.OpenLoop;
import io.shadowmq.bench.load.StepResult;
import io.shadowmq.bench.mqtt.DeviceFleet;
import io.shadowmq.bench.mqtt.ThingCredentials;
import io.shadowmq.bench.target.BenchPlatform;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@code delta}: a backend {@code PATCH}es a device's desired volume over REST at a fixed rate; the round trip ends
 * when that device receives the {@code update/delta} over MQTT. The devices never report, so every new desired
 * volume changes the delta and must be pushed. A delta is matched to its PATCH by (device, volume): each device
 * cycles through 100 volumes, so two PATCHes in flight for the same device never look alike.
 */
public final class DeltaBench {

    private static final Logger log = LoggerFactory.getLogger(DeltaBench.class);

    private static final String VOLUME_FIELD = "\"volume\":";
    private static final int VOLUMES = 100;
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(60);
    private static final int HTTP_THREADS = 2;

    private final BenchSettings settings;
    private final Progress progress;

    public DeltaBench(@NotNull BenchSettings settings, @NotNull Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs one step of {@code settings.deltaRate()} PATCHes per second over {@code things}. */
    public @NotNull StepResult run(@NotNull BenchPlatform platform, @NotNull List<ThingCredentials> things)
            throws Exception {
        ExecutorService http = Executors.newFixedThreadPool(HTTP_THREADS);
        Deltas deltas = new Deltas(new ShadowHttp(platform, things), ShadowHttp.client(http));
        try (DeviceFleet fleet = DeviceFleet.of(platform.host(), platform.mqttPort(), things, deltas)) {
            fleet.connectAllRetryingRefused(SUBSCRIBE_TIMEOUT);
            fleet.subscribeAll(
                    device -> List.of(ShadowTopic.delta(ThingId.of(fleet.thingId(device)))), SUBSCRIBE_TIMEOUT);
            progress.say(
                    "delta",
                    "%,d devices wait for deltas; PATCH desired at %,.0f/s for %d s"
                            .formatted(
                                    things.size(),
                                    settings.deltaRate(),
                                    settings.stepDuration().toSeconds()));
            OpenLoop loop = new OpenLoop(settings.drain());
            // Warm-up, not counted, as before every ladder: a fresh JVM's first seconds measure the JIT compiler.
            StepResult warmup = loop.run(settings.deltaRate(), settings.stepDuration(), deltas);
            progress.say(
                    "delta",
                    "warm-up done (not counted), p99 %.2f ms"
                            .formatted(warmup.latency().p99()));
            StepResult step = loop.run(settings.deltaRate(), settings.stepDuration(), deltas);
            progress.step("delta", step, settings.p99LimitMillis());
            return step;
        } finally {
            http.shutdownNow();
        }
    }

    /** Sends the PATCHes and matches the deltas that come back. */
    private static final class Deltas implements OpenLoop.Sender, DeviceFleet.Listener {

        private final ShadowHttp shadows;
        private final AtomicIntegerArray nextVolume;
        /** (device × VOLUMES + volume) → the step and seq waiting for that delta. */
        private final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();

        private final HttpClient client;

        private record Pending(LoadStep step, long seq) {}

        Deltas(ShadowHttp shadows, HttpClient client) {
            this.client = client;
            this.shadows = shadows;
            this.nextVolume = new AtomicIntegerArray(shadows.things());
        }

        @Override
        public void send(@NotNull LoadStep step, long seq) {
            int device = (int) (seq % shadows.things());
            int volume = nextVolume.getAndUpdate(device, v -> (v + 1) % VOLUMES);
            pending.put(device * VOLUMES + volume, new Pending(step, seq));
            Futures.whenComplete(
                    client.sendAsync(
                            shadows.patchDesiredVolume(device, volume), HttpResponse.BodyHandlers.discarding()),
                    log,
                    "bench desired-state write",
                    (response, error) -> {
                        if (error != null || response.statusCode() != 200) {
                            pending.remove(device * VOLUMES + volume);
                            step.failed(seq);
                        }
                    });
        }

        @Override
        public void onMessage(int device, @NotNull String topic, @NotNull String payload) {
            int at = payload.indexOf(VOLUME_FIELD);
            if (at < 0) {
                return;
            }
            int from = at + VOLUME_FIELD.length();
            int to = from;
            while (to < payload.length() && Character.isDigit(payload.charAt(to))) {
                to++;
            }
            if (to == from) {
                return;
            }
            Pending waiting = pending.remove(device * VOLUMES + Integer.parseInt(payload, from, to, 10));
            if (waiting != null) {
                waiting.step().succeeded(waiting.seq());
            }
        }
    }
}
