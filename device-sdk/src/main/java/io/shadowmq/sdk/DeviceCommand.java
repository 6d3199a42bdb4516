package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;

import java.util.Objects;

/**
 * A command the thing received: which action, with which input, from whom, until when. Read-only:
 * {@link #input()} returns a copy.
 *
 * <pre>{@code String program = command.input().path("program").asText();}</pre>
 */
public final class DeviceCommand {

    private final String commandId;
    private final String action;
    private final JsonNode input;
    private final long expiresAt;
    private final String invokedBy;

    /**
     * Example: {@code new DeviceCommand("Xk2...", "start", input, expiresAt, "car-1")}.
     *
     * @param input     the input, {@code MissingNode} for none
     * @param expiresAt epoch milliseconds after which the platform no longer takes a status for it
     * @param invokedBy the thing id, API key name or {@code admin} that invoked it
     */
    public DeviceCommand(
            @NotNull String commandId,
            @NotNull String action,
            @NotNull JsonNode input,
            long expiresAt,
            @NotNull String invokedBy) {
        this.commandId = commandId;
        this.action = action;
        this.input = input.deepCopy();
        this.expiresAt = expiresAt;
        this.invokedBy = invokedBy;
    }

    /** The platform's id of the command, e.g. {@code Xk2l0sJ4cQ7mW1n9bR5tYe}. */
    public @NotNull String commandId() {
        return commandId;
    }

    /** The action, e.g. {@code start}. */
    public @NotNull String action() {
        return action;
    }

    /** The input, e.g. {@code {"program":"eco"}}; a MissingNode when the action takes none. A copy. */
    public @NotNull JsonNode input() {
        return input.deepCopy();
    }

    /** Epoch milliseconds; a status sent later is refused. */
    public long expiresAt() {
        return expiresAt;
    }

    /** Who invoked it: a thing id, an API key's name, or {@code admin}. */
    public @NotNull String invokedBy() {
        return invokedBy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeviceCommand command
                && command.commandId.equals(commandId)
                && command.action.equals(action)
                && command.input.equals(input)
                && command.expiresAt == expiresAt
                && command.invokedBy.equals(invokedBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(commandId, action, input, expiresAt, invokedBy);
    }

    @Override
    public String toString() {
        return "DeviceCommand[" + commandId + ", " + action + ", input=" + input + ", by " + invokedBy + "]";
    }
}
