package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.summary.SummaryRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.internal.RequestValidator;
import io.shadowmq.sdk.internal.ShadowSession;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Another thing of the device's household, as {@link ShadowClient#thing(String, String)} returns it: the device may
 * write its desired state, read its shadow, ask for its summary and invoke its actions (docs/protocol.md), as far as
 * the thing's model lets household members and the household's grants widen that: what it may not do answers
 * {@link ShadowAccessDeniedException} (403) naming the path or action. Its answer topics are subscribed on first use
 * and after every reconnect. A thing outside the household answers 403.
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
     * Reads the thing's shadow, read-only like {@link ShadowClient#getAsync()}; 404 when it has none. What the device
     * may not read of it (the car's {@code location}, say) is left out.
     *
     * <pre>{@code boolean open = car.getAsync().join().reported().at("/doors/trunk/isOpen").asBoolean();}</pre>
     */
    public @NotNull CompletableFuture<ShadowState> getAsync() {
        return getAsync(List.of());
    }

    /**
     * Reads only {@code paths} of the thing's shadow (dotted, {@code *} one level, a last {@code **} everything below;
     * a plain path is the property and everything below it): the answer holds those and the version. With the thing's
     * model, a path matching no property is refused before sending (422, as the platform). A path the device may not
     * read fails with {@link ShadowAccessDeniedException} naming it; nothing is read then.
     *
     * <pre>{@code
     * ShadowState seen = car.getAsync(List.of("range", "windows.**")).join();
     * car.getAsync(List.of("location")); // fails: 403 location: speaker-1 may not read location of car-1
     * }</pre>
     */
    public @NotNull CompletableFuture<ShadowState> getAsync(@NotNull List<String> paths) {
        Optional<Rejection> refused = validator.checkReadPaths(paths);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(new ShadowRejectedException(
                    refused.get().code(), refused.get().message(), true));
        }
        return session.get(thing, List.copyOf(paths)).thenApply(ShadowState::new);
    }

    /**
     * Asks what a voice assistant would say about the thing, in {@code lang} ({@code en}, {@code de} or {@code zh};
     * null: {@code en}) with times of day in {@code timezone} (an IANA id; null: UTC). A language or zone the platform
     * does not know is refused before sending (400, as the platform). Only what the device may read is spoken of.
     *
     * <pre>{@code String words = car.summaryAsync("de", "Europe/Berlin").join().text();}</pre>
     */
    public @NotNull CompletableFuture<ThingSummary> summaryAsync(@Nullable String lang, @Nullable String timezone) {
        Outcome<SummaryRequest> request = SummaryRequest.of(lang, timezone);
        if (request instanceof Outcome.Rejected<SummaryRequest> rejected) {
            return CompletableFuture.failedFuture(new ShadowRejectedException(
                    rejected.rejection().code(), rejected.rejection().message(), true));
        }
        return session.summary(thing, request.orElseThrow()).thenApply(ThingSummary::of);
    }
}
