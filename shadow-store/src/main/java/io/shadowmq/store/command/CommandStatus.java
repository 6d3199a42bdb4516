package io.shadowmq.store.command;

import org.jetbrains.annotations.NotNull;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a command stands: {@code queued -> delivered -> running -> succeeded | failed}, or {@code expired} (its
 * time-to-live passed before a final state), or {@code cancelled} (only while queued). The wire name is lower case.
 */
public enum CommandStatus {
    QUEUED("queued"),
    DELIVERED("delivered"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    EXPIRED("expired"),
    CANCELLED("cancelled");

    private final String wireName;

    CommandStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The name in JSON, Redis and topics: {@code "queued"}, ... */
    public @NotNull String wireName() {
        return wireName;
    }

    /** True for succeeded, failed, expired and cancelled: nothing changes a command after them. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == EXPIRED || this == CANCELLED;
    }

    /** True for delivered and running: the thing has the command (it is sent again when the thing reconnects). */
    public boolean isInFlight() {
        return this == DELIVERED || this == RUNNING;
    }

    public static @NotNull Optional<CommandStatus> fromWireName(@NotNull String name) {
        return Arrays.stream(values())
                .filter(status -> status.wireName.equals(name))
                .findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
