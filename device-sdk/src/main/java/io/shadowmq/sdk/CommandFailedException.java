package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;

/**
 * Thrown by (or completing the stage of) a {@link CommandHandler} to fail the command with exactly this reason; any
 * other exception fails it with its message.
 *
 * <pre>{@code
 * client.onCommand("start", (command, progress) -> {
 *     if (door.isOpen()) throw new CommandFailedException("door open");
 *     ...
 * });
 * }</pre>
 */
public final class CommandFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Example: {@code new CommandFailedException("door open")}. */
    public CommandFailedException(@NotNull String reason) {
        super(reason);
    }

    /** The reason the invoker reads in the command's {@code failed} state. */
    public @NotNull String reason() {
        return getMessage();
    }
}
