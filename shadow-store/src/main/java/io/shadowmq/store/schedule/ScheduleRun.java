package io.shadowmq.store.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Optional;

/**
 * What became of one occurrence of a schedule.
 *
 * @param occurrence when it was due (epoch ms)
 * @param status     {@code fired}, {@code skipped} (its condition was false), {@code missed} (no process ran it within
 *                   the grace period) or {@code failed} (the write or invocation was refused)
 * @param reason     why it was skipped, missed or failed; null when fired
 * @param value      the reported value the condition saw; null without a condition
 * @param commandId  the command it queued, if it invoked an action
 * @param version    the shadow version its desired write made, if it wrote desired
 * @param at         when it was handled (epoch ms)
 */
public record ScheduleRun(
        long occurrence,
        @NotNull String status,
        @Nullable String reason,
        @Nullable JsonNode value,
        @Nullable String commandId,
        @Nullable Long version,
        long at) {

    public static final String FIRED = "fired";
    public static final String SKIPPED = "skipped";
    public static final String MISSED = "missed";
    public static final String FAILED = "failed";

    public @NotNull ObjectNode toJson() {
        ObjectNode json = SafeJson.object();
        json.put("occurrence", occurrence);
        json.put("status", status);
        if (reason != null) {
            json.put("reason", reason);
        }
        if (value != null) {
            json.set("value", value);
        }
        if (commandId != null) {
            json.put("commandId", commandId);
        }
        if (version != null) {
            json.put("version", version);
        }
        json.put("at", at);
        return json;
    }

    /** A run as {@link #toJson()} wrote it; empty for text it did not write. */
    static @NotNull Optional<ScheduleRun> parse(@NotNull String stored) {
        try {
            JsonNode json = SafeJson.read(stored);
            return Optional.of(new ScheduleRun(
                    json.path("occurrence").asLong(),
                    json.path("status").asText(),
                    json.has("reason") ? json.get("reason").asText() : null,
                    json.get("value"),
                    json.has("commandId") ? json.get("commandId").asText() : null,
                    json.has("version") ? json.get("version").asLong() : null,
                    json.path("at").asLong()));
        } catch (MalformedJsonException e) {
            return Optional.empty();
        }
    }
}
