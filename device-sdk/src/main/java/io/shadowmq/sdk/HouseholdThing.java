package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.internal.RequestValidator;
import io.shadowmq.sdk.internal.ShadowSession;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Another thing of the device's household, as {@link ShadowClient#thing(String, String)} returns it: the device may
 * write its desired state (writable properties only), read its shadow and invoke its actions (docs/protocol.md). Its
 * answer topics are subscribed on first use and after every reconnect. A thing outside the household answers 403.
 *
 * <pre>{@code
 * HouseholdThing fridge = client.thing("fridge-1", "fridge");
 * fridge.desireAsync(Map.of("superCool", Map.of("isOn", true))).join();
 * double temperature = fridge.getAsync().join().reported().path("temperature").asDouble();
 * fridge.invoke("superCool", Map.of("hours", 6)).thenCompose(InvokedCommand::finalState);
 * }</pre>
 */
public final class HouseholdThing {

    private final ShadowSession session;
    private final ThingId thing;
    private final RequestValidator validator;

    HouseholdThing(@NotNull ShadowSession session, @NotNull ThingId thing, @Nullable ThingModel model) {
        this.session = session;
        this.thing = thing;
        this.validator = new RequestValidator(model, session.limits());
    }

    /** Example: {@code client.thing("fridge-1").thingId() // "fridge-1"}. */
    public @NotNull String thingId() {
        return thing.value();
    }

    /**
     * Asks the thing to change: a merge patch of its {@code desired} state. With the thing's model, a read-only
     * property, an unknown one or a value out of range is refused before sending, with the platform's 422 message.
     * Updates are paced like reports, but never coalesced.
     *
     * <pre>{@code car.desireAsync(Map.of("cabin", Map.of("heater", Map.of("isOn", true, "targetTemperature", 21))));}</pre>
     */
    public @NotNull CompletableFuture<UpdateAccepted> desireAsync(@NotNull Map<String, ?> patch) {
        return desireAsync(ShadowClient.toPatch(patch));
    }

    /**
     * {@link #desireAsync(Map)} with a Jackson tree; changing it after the call changes nothing that is sent.
     *
     * <pre>{@code
     * ObjectNode patch = SafeJson.object();
     * patch.put("volume", 20);
     * speaker.desireAsync(patch);
     * }</pre>
     */
    public @NotNull CompletableFuture<UpdateAccepted> desireAsync(@NotNull ObjectNode patch) {
        return session.update(thing, validator, Section.DESIRED, patch);
    }

    /**
     * Invokes {@code action} of the thing with {@code input}: with the thing's model, an unknown action (404) or an
     * input that does not fit (422) is refused before sending. Completes when the platform accepted (queued) it, with
     * the command and its states; fails with {@link ShadowRejectedException} when the platform refuses it.
     *
     * <pre>{@code
     * InvokedCommand start = client.thing("washer-1", "washer").invoke("start", Map.of("program", "eco")).join();
     * start.onState(state -> System.out.println(state));
     * }</pre>
     */
    public @NotNull CompletableFuture<InvokedCommand> invoke(@NotNull String action, @NotNull Map<String, ?> input) {
        return invoke(action, ShadowClient.toPatch(input), null);
    }

    /** {@link #invoke(String, Map)} with a Jackson tree; {@code null} or a MissingNode for an action without input. */
    public @NotNull CompletableFuture<InvokedCommand> invoke(@NotNull String action, @Nullable JsonNode input) {
        return invoke(action, input, null);
    }

    /**
     * {@link #invoke(String, JsonNode)} with a time-to-live instead of the action's default (1 s .. 7 days): a command
     * not ended by then expires.
     *
     * <pre>{@code speaker.invoke("announce", SafeJson.object().put("text", "Dinner!"), Duration.ofMinutes(5));}</pre>
     */
    public @NotNull CompletableFuture<InvokedCommand> invoke(
            @NotNull String action, @Nullable JsonNode input, @Nullable Duration ttl) {
        JsonNode given = input == null || input.isNull() ? MissingNode.getInstance() : input;
        return session.invoke(thing, validator, action, given, ttl).thenApply(InvokedCommand::new);
    }

    /**
     * Reads the thing's shadow, read-only like {@link ShadowClient#getAsync()}; 404 when it has none.
     *
     * <pre>{@code boolean open = car.getAsync().join().reported().at("/doors/trunk/isOpen").asBoolean();}</pre>
     */
    public @NotNull CompletableFuture<ShadowState> getAsync() {
        return session.get(thing).thenApply(ShadowState::new);
    }
}
