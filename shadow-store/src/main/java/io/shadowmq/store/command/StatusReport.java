package io.shadowmq.store.command;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Objects;

/**
 * What a thing reports about one of its commands ({@link CommandStore#report}).
 *
 * @param status   running, succeeded or failed
 * @param progress with running: how far, 0..100; null when not told
 * @param output   with succeeded: the action's output; null for none
 * @param reason   with failed: why, for people
 */
public record StatusReport(
        @NotNull CommandStatus status,
        @Nullable Integer progress,
        @Nullable JsonNode output,
        @Nullable String reason) {

    public StatusReport {
        Objects.requireNonNull(status, "status");
    }
}
