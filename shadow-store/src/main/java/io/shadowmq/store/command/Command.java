package io.shadowmq.store.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Objects;

/**
 * One command: an invocation of an action of a thing, and what became of it.
 *
 * @param commandId 22 URL-safe characters, safe as an MQTT topic level
 * @param thingId   the thing that is to act
 * @param action    the action's name
 * @param input     the input ({@code MissingNode} for none)
 * @param status    where it stands
 * @param createdAt when it was invoked, epoch ms
 * @param expiresAt when it expires unless final by then, epoch ms
 * @param invokedBy a thing id, an API key's name or {@code admin}
 * @param progress  the last progress a running report told, 0..100
 * @param output    with succeeded: the action's output
 * @param reason    with failed or expired: why
 * @param updatedAt when the status last changed, epoch ms
 */
public record Command(
        @NotNull String commandId,
        @NotNull ThingId thingId,
        @NotNull String action,
        @NotNull JsonNode input,
        @NotNull CommandStatus status,
        long createdAt,
        long expiresAt,
        @NotNull String invokedBy,
        @Nullable Integer progress,
        @Nullable JsonNode output,
        @Nullable String reason,
        long updatedAt) {

    public Command {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(invokedBy, "invokedBy");
    }

    /**
     * The REST shape: {@code {"commandId","thingId","action","input","status","createdAt","expiresAt","invokedBy",
     * "progress"?,"output"?,"reason"?,"updatedAt"}}. An action without input shows {@code "input":{}}.
     */
    public @NotNull ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("commandId", commandId);
        json.put("thingId", thingId.value());
        json.put("action", action);
        json.set("input", inputJson());
        json.put("status", status.wireName());
        json.put("createdAt", createdAt);
        json.put("expiresAt", expiresAt);
        json.put("invokedBy", invokedBy);
        addOutcome(json);
        json.put("updatedAt", updatedAt);
        return json;
    }

    /** What the thing is sent: {@code {"commandId","action","input","expiresAt","invokedBy"}}. */
    public @NotNull ObjectNode toDeviceJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("commandId", commandId);
        json.put("action", action);
        json.set("input", inputJson());
        json.put("expiresAt", expiresAt);
        json.put("invokedBy", invokedBy);
        return json;
    }

    /**
     * The state message of every change (feed {@code command} events, MQTT {@code .../state}, SSE):
     * {@code {"commandId","thingId","action","status","progress"?,"output"?,"reason"?,"timestamp"}}, the timestamp
     * being {@link #updatedAt}.
     */
    public @NotNull ObjectNode toStateJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("commandId", commandId);
        json.put("thingId", thingId.value());
        json.put("action", action);
        json.put("status", status.wireName());
        addOutcome(json);
        json.put("timestamp", updatedAt);
        return json;
    }

    private JsonNode inputJson() {
        return input.isMissingNode() || input.isNull() ? JsonNodeFactory.instance.objectNode() : input.deepCopy();
    }

    private void addOutcome(ObjectNode json) {
        if (progress != null) {
            json.put("progress", progress);
        }
        if (output != null && !output.isMissingNode()) {
            json.set("output", output.deepCopy());
        }
        if (reason != null) {
            json.put("reason", reason);
        }
    }
}
