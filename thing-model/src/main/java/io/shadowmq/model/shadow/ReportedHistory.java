package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.util.Map;
import java.util.Optional;

/**
 * One point of a thing's reported history: the reported leaves an accepted update changed, with the shadow's version
 * and timestamp, as the store keeps it ({@code {"v":7,"t":1764000000000,"c":{"cabin.temperature":21.5}}}; a leaf
 * the update removed is {@code null}). An update that changes no reported leaf leaves no point.
 *
 * @param version   the shadow's version after the update
 * @param timestamp when the update was accepted (epoch ms)
 * @param changes   the changed reported leaves by dotted path, e.g. {@code {"cabin.temperature":21.5}}
 */
public record ReportedHistory(
        long version, long timestamp, @NotNull ObjectNode changes) {

    /** The point of the change from {@code previous} to {@code current}; empty when no reported leaf changed. */
    public static @NotNull Optional<ReportedHistory> of(
            @NotNull ShadowDocument previous, @NotNull ShadowDocument current) {
        ObjectNode changes = SafeJson.object();
        collect("", previous.reported(), current.reported(), changes);
        return changes.isEmpty()
                ? Optional.empty()
                : Optional.of(new ReportedHistory(current.version(), current.timestamp(), changes));
    }

    private static void collect(String prefix, JsonNode before, JsonNode after, ObjectNode into) {
        if (after.isObject()) {
            for (Map.Entry<String, JsonNode> member : after.properties()) {
                collect(prefix + member.getKey() + ".", before.path(member.getKey()), member.getValue(), into);
            }
        } else if (before.isMissingNode() || !StateTrees.sameValue(before, after)) {
            into.set(prefix.substring(0, prefix.length() - 1), after);
        }
        if (before.isObject()) {
            for (Map.Entry<String, JsonNode> member : before.properties()) {
                if (!after.has(member.getKey())) {
                    removed(prefix + member.getKey(), member.getValue(), into);
                }
            }
        }
    }

    private static void removed(String path, JsonNode before, ObjectNode into) {
        if (before.isObject()) {
            before.properties().forEach(member -> removed(path + "." + member.getKey(), member.getValue(), into));
        } else {
            into.set(path, NullNode.getInstance());
        }
    }

    /** The stored form. */
    public @NotNull String toStoredJson() {
        ObjectNode stored = SafeJson.object();
        stored.put("v", version);
        stored.put("t", timestamp);
        stored.set("c", changes);
        return SafeJson.writeString(stored);
    }

    /** Reads the stored form back. */
    public static @NotNull ReportedHistory fromStored(@NotNull JsonNode stored) {
        JsonNode changes = stored.path("c");
        return new ReportedHistory(
                stored.path("v").asLong(),
                stored.path("t").asLong(),
                changes.isObject() ? (ObjectNode) changes : SafeJson.object());
    }
}
