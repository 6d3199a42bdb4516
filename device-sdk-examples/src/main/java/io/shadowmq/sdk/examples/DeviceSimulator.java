package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.sdk.ShadowClient;
import io.shadowmq.sdk.ShadowDelta;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link SimulatedDevice} as a thing of the platform, with nothing but the public SDK: it reports the device's
 * state, acts on every delta, and lets simulated time pass in ticks, reporting what changed. {@code timeScale}
 * speeds the simulated time up (60: one real second is a simulated minute), for demos and tests.
 *
 * <p>The device is only touched on the simulator's own thread: deltas arrive on the MQTT client's thread and are
 * handed over.
 *
 * <pre>{@code
 * ShadowClient client = ShadowClient.builder().thing("car-1").secret(secret).type("car").build();
 * try (DeviceSimulator car = new DeviceSimulator(client, new CarSimulator(), 60, Duration.ofSeconds(1),
 *         System.out::println)) {
 *     car.start().join();
 *     ...
 * }
 * }</pre>
 */
public final class DeviceSimulator implements AutoCloseable {

    private final ShadowClient client;
    private final SimulatedDevice device;
    private final Duration simulatedTick;
    private final Duration tick;
    private final Consumer<String> narrator;
    private final ScheduledExecutorService thread;
    private volatile ScheduledFuture<?> ticking;
    /** What the platform has been told, to report only changes; touched on {@link #thread} only. */
    private @Nullable ObjectNode lastReported;

    /**
     * @param timeScale simulated seconds per real second, e.g. 60
     * @param tick      how often (real time) the device advances and reports
     * @param narrator  one line per thing that happens, e.g. {@code System.out::println}
     */
    public DeviceSimulator(
            @NotNull ShadowClient client,
            @NotNull SimulatedDevice device,
            double timeScale,
            @NotNull Duration tick,
            @NotNull Consumer<String> narrator) {
        if (!(timeScale > 0) || tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("time scale and tick must be positive");
        }
        this.client = client;
        this.device = device;
        this.tick = tick;
        this.simulatedTick = Duration.ofNanos((long) (tick.toNanos() * timeScale));
        this.narrator = narrator;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "simulator-" + client.thingId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Reports the device's state and starts the clock; completes when the client is connected. Reports made before
     * that wait in the SDK's buffer.
     */
    public @NotNull CompletableFuture<Void> start() {
        client.onDelta(delta -> thread.execute(() -> act(delta)));
        thread.execute(this::reportChanges);
        ticking = thread.scheduleAtFixedRate(this::advance, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
        return client.connect();
    }

    /** The client the device runs on, e.g. to write other things' desired state. */
    public @NotNull ShadowClient client() {
        return client;
    }

    @Override
    public void close() {
        ScheduledFuture<?> started = ticking;
        if (started != null) {
            started.cancel(false);
        }
        thread.shutdownNow();
        client.close();
    }

    private void act(ShadowDelta delta) {
        narrator.accept(client.thingId() + " asked to " + SafeJson.writeString(delta.state()) + " (version "
                + delta.version() + ")");
        device.onDesired(delta.state());
        reportChanges();
    }

    private void advance() {
        try {
            device.advance(simulatedTick);
            reportChanges();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again; keep the device alive and say why.
            narrator.accept(client.thingId() + " simulation step failed: " + e);
        }
    }

    private void reportChanges() {
        ObjectNode current = device.reported();
        ObjectNode changes = ReportDiff.changes(lastReported, current);
        if (changes.isEmpty()) {
            return;
        }
        lastReported = current;
        narrator.accept(client.thingId() + " reports " + SafeJson.writeString(changes));
        // Only a failure matters here: the device narrates it and reports everything again with the next change.
        client.reportAsync(changes).exceptionally(error -> {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            narrator.accept(client.thingId() + " report failed: " + cause.getMessage());
            try {
                thread.execute(() -> lastReported = null);
            } catch (RejectedExecutionException closed) {
                // the simulator was closed meanwhile: nothing more to report
            }
            return null;
        });
    }
}
