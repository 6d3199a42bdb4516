package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.sdk.CommandFailedException;
import io.shadowmq.sdk.CommandProgress;
import io.shadowmq.sdk.DeviceCommand;
import io.shadowmq.sdk.ShadowClient;
import io.shadowmq.sdk.ShadowDelta;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link SimulatedDevice} as a thing of the platform, with nothing but the public SDK: it reports the device's
 * state, acts on every delta (rejecting the desired values the device refuses), carries out the device's actions
 * (one {@link ShadowClient#onCommand} handler each; progress in steps of {@value #PROGRESS_STEP} %), and lets simulated
 * time pass in ticks, reporting what changed. {@code timeScale} speeds the simulated time up (60: one real second is a
 * simulated minute), for demos and tests.
 *
 * <p>The device is only touched on the simulator's own thread: deltas and commands arrive on the MQTT client's thread
 * and are handed over.
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

    /** Progress is reported when it crossed a multiple of this, not on every tick. */
    static final int PROGRESS_STEP = 10;

    private final ShadowClient client;
    private final SimulatedDevice device;
    private final Duration simulatedTick;
    private final Duration tick;
    private final Consumer<String> narrator;
    private final ScheduledExecutorService thread;
    private volatile ScheduledFuture<?> ticking;
    /** What the platform has been told, to report only changes; touched on {@link #thread} only. */
    private @Nullable ObjectNode lastReported;
    /** The commands the device carries out now; touched on {@link #thread} only. */
    private final List<Running> running = new ArrayList<>();

    /** A command under way: how to follow it, how to tell the SDK, the progress told last. */
    private static final class Running {
        final DeviceCommand command;
        final SimulatedCommand simulated;
        final CommandProgress progress;
        final CompletableFuture<JsonNode> outcome;
        int reported;

        Running(
                DeviceCommand command,
                SimulatedCommand simulated,
                CommandProgress progress,
                CompletableFuture<JsonNode> outcome) {
            this.command = command;
            this.simulated = simulated;
            this.progress = progress;
            this.outcome = outcome;
        }
    }

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
        for (String action : device.actions()) {
            client.onCommand(action, (command, progress) -> {
                CompletableFuture<JsonNode> outcome = new CompletableFuture<>();
                try {
                    thread.execute(() -> begin(command, progress, outcome));
                } catch (RejectedExecutionException closed) {
                    outcome.completeExceptionally(new CommandFailedException("the device is shutting down"));
                }
                return outcome;
            });
        }
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
        Map<String, String> refused = device.onDesired(delta.state());
        refused.forEach((path, reason) -> {
            narrator.accept(client.thingId() + " rejects desired " + path + ": " + reason);
            client.rejectDesired(path, reason).exceptionally(error -> {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                narrator.accept(client.thingId() + " could not reject " + path + ": " + cause.getMessage());
                return null;
            });
        });
        reportChanges();
        follow();
    }

    private void begin(DeviceCommand command, CommandProgress progress, CompletableFuture<JsonNode> outcome) {
        narrator.accept(client.thingId() + " runs " + command.action() + " " + SafeJson.writeString(command.input())
                + " for " + command.invokedBy());
        try {
            running.add(new Running(command, device.begin(command.action(), command.input()), progress, outcome));
        } catch (RuntimeException refused) {
            narrator.accept(client.thingId() + " refuses " + command.action() + ": " + refused.getMessage());
            outcome.completeExceptionally(refused);
        }
        reportChanges();
        follow();
    }

    /** Tells the SDK how far each command got: progress in steps, then the outcome. On {@link #thread}. */
    private void follow() {
        for (Iterator<Running> it = running.iterator(); it.hasNext(); ) {
            Running command = it.next();
            CommandRun now = command.simulated.now();
            if (now.ended()) {
                it.remove();
                narrator.accept(client.thingId() + " " + command.command.action() + " "
                        + (now.succeeded() ? "succeeded" : "failed: " + now.failure()));
                if (now.succeeded()) {
                    command.outcome.complete(now.output());
                } else {
                    command.outcome.completeExceptionally(new CommandFailedException(String.valueOf(now.failure())));
                }
            } else if (now.progress() / PROGRESS_STEP > command.reported / PROGRESS_STEP) {
                command.reported = now.progress();
                command.progress.report(now.progress());
            }
        }
    }

    private void advance() {
        try {
            device.advance(simulatedTick);
            reportChanges();
            follow();
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
