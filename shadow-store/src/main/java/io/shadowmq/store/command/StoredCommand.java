package io.shadowmq.store.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Map;
import java.util.Optional;

/**
 * A command as its Redis hash holds it: the command, the revision its transitions compare against, and whether its
 * action may run beside others. The one place that knows the hash's fields.
 */
record StoredCommand(@NotNull Command command, long rev, boolean concurrent) {

    /** The command in {@code fields} (a HGETALL); empty for an absent or unreadable hash. */
    static @NotNull Optional<StoredCommand> parse(@NotNull ThingId thing, @NotNull Map<String, String> fields) {
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        try {
            String progress = fields.get("progress");
            Command command = new Command(
                    fields.get("commandId"),
                    thing,
                    fields.get("action"),
                    json(fields.get("input")),
                    CommandStatus.fromWireName(fields.get("status")).orElseThrow(),
                    Long.parseLong(fields.get("createdAt")),
                    Long.parseLong(fields.get("expiresAt")),
                    fields.get("invokedBy"),
                    progress == null ? null : Integer.valueOf(progress),
                    fields.containsKey("output") ? json(fields.get("output")) : null,
                    fields.get("reason"),
                    Long.parseLong(fields.get("updatedAt")));
            return Optional.of(new StoredCommand(
                    command, Long.parseLong(fields.get("rev")), "1".equals(fields.get("concurrent"))));
        } catch (RuntimeException | MalformedJsonException unreadable) {
            return Optional.empty();
        }
    }

    /** JSON as a hash field holds it: '' (or absent) is none. */
    static @NotNull String text(@Nullable JsonNode json) {
        return json == null || json.isMissingNode() || json.isNull() ? "" : SafeJson.writeString(json);
    }

    private static JsonNode json(@Nullable String text) throws MalformedJsonException {
        return text == null || text.isEmpty() ? MissingNode.getInstance() : SafeJson.read(text);
    }
}
