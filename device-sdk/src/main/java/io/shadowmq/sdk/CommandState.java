package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One state of an invoked command, as the platform publishes it on {@code things/T/commands/{commandId}/state}:
 * its status, and with it the progress ({@code running}), the output ({@code succeeded}) or the reason
 * ({@code failed}). Read-only: {@link #output()} returns a copy.
 *
 * <pre>{@code
 * command.onState(state -> System.out.println(state.status().wireName() + " " + state.progress().orElse(0) + " %"));
 * }</pre>
 */
public final class CommandState {

    private final String commandId;
    private final String thingId;
    private final String action;
    private final CommandStatus status;
    private final @Nullable Integer progress;
    private final JsonNode output;
    private final @Nullable String reason;
    private final long timestamp;

    /**
     * Example: {@code new CommandState(id, "washer-1", "start", CommandStatus.RUNNING, 35, null, null, ms)}.
     *
     * @param output the output of a succeeded command, or null
     * @param reason why it failed, expired or was cancelled, or null
     */
    public CommandState(
            @NotNull String commandId,
            @NotNull String thingId,
            @NotNull String action,
            @NotNull CommandStatus status,
            @Nullable Integer progress,
            @Nullable JsonNode output,
            @Nullable String reason,
            long timestamp) {
        this.commandId = commandId;
        this.thingId = thingId;
        this.action = action;
        this.status = status;
        this.progress = progress;
        this.output = output == null ? MissingNode.getInstance() : output.deepCopy();
        this.reason = reason;
        this.timestamp = timestamp;
    }

    /** The command's id. */
    public @NotNull String commandId() {
        return commandId;
    }

    /** The thing that carries it out. */
    public @NotNull String thingId() {
        return thingId;
    }

    /** The action, e.g. {@code start}. */
    public @NotNull String action() {
        return action;
    }

    /** Example: {@code CommandStatus.RUNNING}. */
    public @NotNull CommandStatus status() {
        return status;
    }

    /** 0..100 while running, when the thing reported it. */
    public @NotNull OptionalInt progress() {
        return progress == null ? OptionalInt.empty() : OptionalInt.of(progress);
    }

    /** The output of a succeeded command, a MissingNode otherwise. A copy. */
    public @NotNull JsonNode output() {
        return output.deepCopy();
    }

    /** Why it failed (the thing's reason), expired or was cancelled. */
    public @NotNull Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** When the platform took this state, epoch milliseconds. */
    public long timestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CommandState state
                && state.commandId.equals(commandId)
                && state.thingId.equals(thingId)
                && state.action.equals(action)
                && state.status == status
                && Objects.equals(state.progress, progress)
                && state.output.equals(output)
                && Objects.equals(state.reason, reason)
                && state.timestamp == timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(commandId, thingId, action, status, progress, output, reason, timestamp);
    }

    /** For logs: {@code CommandState[washer-1 start Xk2.. running 35%]}. */
    @Override
    public String toString() {
        return "CommandState[" + thingId + " " + action + " " + commandId + " " + status.wireName()
                + (progress != null ? " " + progress + "%" : "")
                + (output.isMissingNode() ? "" : " output=" + output)
                + (reason != null ? " reason=" + reason : "") + "]";
    }
}
