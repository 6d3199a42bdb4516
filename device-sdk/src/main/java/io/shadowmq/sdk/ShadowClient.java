package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.internal.ShadowSession;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A device's connection to its shadow on a ShadowMQ platform: report state, receive what it is asked to do (the
 * delta), and write the desired state of other things of its household.
 *
 * <pre>{@code
 * ShadowClient client = ShadowClient.builder()
 *         .host("localhost").port(1883)
 *         .thing("car-1").secret(secret).type("car")
 *         .build();
 * client.onDelta(delta -> heater.apply(delta.state()));
 * client.connect().join();
 * client.reportAsync(Map.of("range", 310, "fuel", Map.of("level", 62.5)));
 * client.thing("fridge-1", "fridge").desireAsync(Map.of("targetTemperature", 4));
 * }</pre>
 *
 * <p><b>Requests</b> return a {@link CompletableFuture} that completes with the platform's answer, or fails with a
 * {@link ShadowException}: {@link ShadowRejectedException} (code and message of docs/protocol.md, also when the SDK
 * refuses a request before sending because the platform would), {@link ShadowTimeoutException},
 * {@link ShadowBufferFullException}, {@link ShadowConnectException}, {@link ShadowClosedException}.
 *
 * <p><b>Connection.</b> The client reconnects forever, with exponential backoff and jitter. After every (re)connect it
 * subscribes again, reads the shadow and hands a delta missed while offline to the {@link DeltaListener}s, exactly
 * once per shadow version. Reports made while offline are coalesced (the latest value per property wins) into one
 * update sent on reconnect; their futures complete when it is accepted.
 *
 * <p><b>Threading.</b> The client is thread-safe. Listeners are called, and futures completed, on the MQTT client's
 * thread: return quickly, and never block there on another request of this client (use {@code thenAccept},
 * {@code thenCompose} or your own executor).
 */
public final class ShadowClient implements AutoCloseable {

    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final ShadowSession session;
    private final ScheduledExecutorService scheduler;

    ShadowClient(@NotNull ShadowSession session, @NotNull ScheduledExecutorService scheduler) {
        this.session = session;
        this.scheduler = scheduler;
    }

    /** A builder with the defaults. Example: {@code ShadowClient.builder().thing("car-1").secret(s).build()}. */
    public static @NotNull ShadowClientBuilder builder() {
        return new ShadowClientBuilder();
    }

    /** The thing this client is. Example: {@code client.thingId() // "car-1"}. */
    public @NotNull String thingId() {
        return session.thing().value();
    }

    /**
     * Connects (once; later calls return the same outcome). Completes when connected and subscribed; right after, the
     * client reads the shadow and hands over a pending delta. A broker that cannot be reached is retried forever (add
     * {@code .orTimeout(..)} for a bound); it fails with {@link ShadowConnectException} only when the broker refuses
     * the thing's credentials on the first attempt.
     *
     * <pre>{@code client.connect().orTimeout(30, TimeUnit.SECONDS).join();}</pre>
     */
    public @NotNull CompletableFuture<Void> connect() {
        return session.connect();
    }

    /** True while connected and subscribed. Example: {@code if (!client.isConnected()) led.blink();} */
    public boolean isConnected() {
        return session.isConnected();
    }

    /**
     * Reports the thing's state: a JSON merge patch of {@code reported} (nested maps for objects, {@code null} to
     * delete a property). Checked against the thing's model and limits before it is sent; sent at once when
     * connected and within the rate, else coalesced with other waiting reports into one update.
     *
     * <pre>{@code client.reportAsync(Map.of("cabin", Map.of("temperature", 19.5))).thenAccept(a -> log(a.version()));}</pre>
     */
    public @NotNull CompletableFuture<UpdateAccepted> reportAsync(@NotNull Map<String, ?> patch) {
        return reportAsync(toPatch(patch));
    }

    /**
     * {@link #reportAsync(Map)} with a Jackson tree. The client takes its own copy at once: changing the tree after
     * the call changes nothing that is sent or checked.
     *
     * <pre>{@code
     * ObjectNode patch = SafeJson.object();
     * patch.putObject("fuel").put("level", 61.0);
     * client.reportAsync(patch);
     * }</pre>
     */
    public @NotNull CompletableFuture<UpdateAccepted> reportAsync(@NotNull ObjectNode patch) {
        return session.report(patch);
    }

    /**
     * Reads the thing's shadow: reported, desired, the delta ({@link ShadowState#delta()}), metadata and version.
     * Fails with {@link ShadowRejectedException} 404 when the thing has no shadow yet. The value is read-only (its
     * accessors return copies): changing what you got changes nothing the client keeps.
     *
     * <pre>{@code int range = client.getAsync().join().reported().path("range").asInt();}</pre>
     */
    public @NotNull CompletableFuture<ShadowState> getAsync() {
        return session.get(session.thing()).thenApply(ShadowState::new);
    }

    /**
     * Deletes the thing's shadow. The version is kept: the next report continues from it.
     *
     * <pre>{@code client.deleteAsync().thenAccept(deleted -> log("deleted at version " + deleted.version()));}</pre>
     */
    public @NotNull CompletableFuture<DeleteAccepted> deleteAsync() {
        return session.delete();
    }

    /**
     * Another thing of the household (same owner), to write its desired state and read its shadow. Without its model
     * the SDK checks requests for size and shape only and leaves the model to the platform.
     *
     * <pre>{@code client.thing("speaker-1").getAsync().thenAccept(doc -> say(doc.reported().path("volume")));}</pre>
     */
    public @NotNull HouseholdThing thing(@NotNull String thingId) {
        return new HouseholdThing(session, ThingId.of(thingId), null);
    }

    /** The thing by id only: this thing with its own model, another one without. */
    private HouseholdThing household(String thingId) {
        ThingId id = ThingId.of(thingId);
        return new HouseholdThing(session, id, id.equals(session.thing()) ? session.model() : null);
    }

    /**
     * Another thing of the household, whose desired writes are checked against the bundled model of {@code type}
     * before they are sent (unknown property, range, read-only).
     *
     * <pre>{@code client.thing("fridge-1", "fridge").desireAsync(Map.of("targetTemperature", 4));}</pre>
     */
    public @NotNull HouseholdThing thing(@NotNull String thingId, @NotNull String type) {
        return thing(thingId, ShadowClientBuilder.bundledModel(type));
    }

    /**
     * Another thing of the household with your own model of it.
     *
     * <pre>{@code client.thing("lamp-1", myModels.get("lamp").orElseThrow()).desireAsync(Map.of("isOn", true));}</pre>
     */
    public @NotNull HouseholdThing thing(@NotNull String thingId, @NotNull ThingModel model) {
        return new HouseholdThing(session, ThingId.of(thingId), model);
    }

    /**
     * Calls {@code listener} with every new delta: once per shadow version, newest only, including the delta missed
     * while offline. Register before {@link #connect()} so that the first one is not missed.
     *
     * <pre>{@code client.onDelta(delta -> System.out.println("asked to: " + delta.state()));}</pre>
     */
    public @NotNull ShadowClient onDelta(@NotNull DeltaListener listener) {
        session.addDeltaListener(listener);
        return this;
    }

    /**
     * Calls {@code listener} with the whole shadow before and after every accepted update of this thing.
     *
     * <pre>{@code client.onDocuments(change -> show(change.current().desired()));}</pre>
     */
    public @NotNull ShadowClient onDocuments(@NotNull DocumentsListener listener) {
        session.addDocumentsListener(payload -> listener.onDocuments(new ShadowDocuments(payload)));
        return this;
    }

    /**
     * Carries out {@code action} of this thing's model with {@code handler}: each command for it is handed over once,
     * also when the platform delivers it again after a reconnect (its last status is sent again instead). The SDK
     * publishes {@code running} when the handler starts, {@code running} with the progress the handler reports,
     * {@code succeeded} with the output the stage completes with (checked against the action's output schema first)
     * or {@code failed} with the reason it fails with. A command for an action without a handler fails with
     * {@code no handler for action x}. Register before {@link #connect()}: commands queued while the thing was
     * offline arrive right after it connects.
     *
     * <pre>{@code
     * client.onCommand("start", (command, progress) -> washer.run(command.input().path("program").asText(),
     *         percent -> progress.report(percent)));   // a CompletionStage<JsonNode> of the output
     * }</pre>
     */
    public @NotNull ShadowClient onCommand(@NotNull String action, @NotNull CommandHandler handler) {
        session.onCommand(action, handler);
        return this;
    }

    /**
     * Invokes {@code action} of a thing of the household (or of this thing) with {@code input}; completes when the
     * platform accepted (queued) it, with the command and its states, or fails with {@link ShadowRejectedException}
     * (404 unknown action, 422 input, 403 not allowed, 429 too many open commands). The input is checked against
     * this thing's model when {@code thingId} is this thing; use {@link #thing(String, String)} and
     * {@link HouseholdThing#invoke} to check against another thing's model.
     *
     * <pre>{@code
     * client.invoke("washer-1", "start", Map.of("program", "eco"))
     *         .thenCompose(command -> command.onState(System.out::println).finalState());
     * }</pre>
     */
    public @NotNull CompletableFuture<InvokedCommand> invoke(
            @NotNull String thingId, @NotNull String action, @NotNull Map<String, ?> input) {
        return household(thingId).invoke(action, input);
    }

    /** {@link #invoke(String, String, Map)} with a Jackson tree ({@code MissingNode} or {@code null}: no input). */
    public @NotNull CompletableFuture<InvokedCommand> invoke(
            @NotNull String thingId, @NotNull String action, @Nullable JsonNode input) {
        return household(thingId).invoke(action, input);
    }

    /**
     * Rejects a desired value this thing will not take, e.g. the heater below 10 % fuel: the platform removes it from
     * desired (and so from the delta), and whoever set it reads the outcome {@code rejected} with {@code reason}.
     * {@code path} is dotted, e.g. {@code cabin.heater.isOn}; with the thing's model, a path it does not know is
     * refused before sending (422).
     *
     * <pre>{@code client.rejectDesired("cabin.heater.isOn", "fuel below 10 %");}</pre>
     */
    public @NotNull CompletableFuture<UpdateAccepted> rejectDesired(@NotNull String path, @NotNull String reason) {
        return session.rejectDesired(path, reason);
    }

    /**
     * Calls {@code listener} when the connection comes and goes.
     *
     * <pre>{@code client.onConnection(new ConnectionListener() { public void onConnected() { led.green(); } });}</pre>
     */
    public @NotNull ShadowClient onConnection(@NotNull ConnectionListener listener) {
        session.addConnectionListener(listener);
        return this;
    }

    /**
     * Disconnects and stops reconnecting; requests not yet answered and buffered reports fail with
     * {@link ShadowClosedException}. Completes when the DISCONNECT is sent (or there was no connection).
     *
     * <pre>{@code client.closeAsync().thenRun(() -> System.out.println("bye"));}</pre>
     */
    public @NotNull CompletableFuture<Void> closeAsync() {
        return session.close().whenComplete((done, error) -> scheduler.shutdownNow());
    }

    /**
     * {@link #closeAsync()}, waiting up to two seconds for the DISCONNECT to go out. Do not call it from a listener.
     *
     * <pre>{@code try (ShadowClient client = builder.build()) { ... }}</pre>
     */
    @Override
    public void close() {
        try {
            closeAsync().get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Closing is best effort: the connection is abandoned either way.
        }
    }

    /** A map of JSON-like values (maps, lists, strings, numbers, booleans, null) as a merge patch. */
    static @NotNull ObjectNode toPatch(@NotNull Map<String, ?> patch) {
        JsonNode tree = SafeJson.mapper().valueToTree(patch);
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("a patch must be a JSON object");
        }
        return object;
    }
}
