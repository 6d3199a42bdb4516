package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Map;

/**
 * What changed between two reported states, as a merge patch: a device reports only the leaves that changed, not
 * its whole state every tick.
 *
 * <pre>{@code
 * ReportDiff.changes({"cabin":{"temperature":4.0,"heater":{"isOn":true}}}, {"cabin":{"temperature":4.5,"heater":{"isOn":true}}})
 *     // {"cabin":{"temperature":4.5}}
 * }</pre>
 */
public final class ReportDiff {

    private ReportDiff() {}

    /**
     * The leaves of {@code current} that {@code previous} does not have with an equal value, and {@code null} for
     * members {@code previous} has and {@code current} does not. Everything when {@code previous} is null.
     */
    public static @NotNull ObjectNode changes(@Nullable ObjectNode previous, @NotNull ObjectNode current) {
        if (previous == null) {
            return current.deepCopy();
        }
        ObjectNode patch = SafeJson.object();
        for (Map.Entry<String, JsonNode> member : current.properties()) {
            JsonNode before = previous.get(member.getKey());
            JsonNode now = member.getValue();
            if (now.isObject() && before != null && before.isObject()) {
                ObjectNode nested = changes((ObjectNode) before, (ObjectNode) now);
                if (!nested.isEmpty()) {
                    patch.set(member.getKey(), nested);
                }
            } else if (!now.equals(before)) {
                patch.set(member.getKey(), now.deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> member : previous.properties()) {
            if (!current.has(member.getKey())) {
                patch.putNull(member.getKey());
            }
        }
        return patch;
    }
}
