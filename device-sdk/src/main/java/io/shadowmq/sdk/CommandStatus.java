package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a command stands (docs/protocol.md, "Commands"): {@code queued -> delivered -> running -> succeeded | failed},
 * or {@code expired} (its time-to-live passed first), {@code cancelled} (while still queued). {@code running} may
 * repeat with progress.
 *
 * <pre>{@code if (state.status().isFinal()) System.out.println("done: " + state.status().wireName());}</pre>
 */
public enum CommandStatus {
    QUEUED,
    DELIVERED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    EXPIRED,
    CANCELLED;

    /** The name on the wire, e.g. {@code succeeded}. */
    public @NotNull String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Succeeded, failed, expired or cancelled: nothing follows. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == EXPIRED || this == CANCELLED;
    }

    /** The status of a wire name, or empty for anything else. Example: {@code fromWire("running")}. */
    public static @NotNull Optional<CommandStatus> fromWire(@NotNull String wireName) {
        for (CommandStatus status : values()) {
            if (status.wireName().equals(wireName)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
