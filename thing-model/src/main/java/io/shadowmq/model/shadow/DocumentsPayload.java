package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;

/**
 * An {@code update/documents} payload read back into documents: what the change feed carries and what brokers turn
 * into deltas. The inverse of {@link ShadowPayloads#documents}.
 *
 * <pre>{@code
 * DocumentsPayload change = DocumentsPayload.read(feedEvent.body());
 * if (change.deltaChanged()) publish(ShadowPayloads.delta(change.current(), now));
 * }</pre>
 */
public record DocumentsPayload(
        @NotNull ShadowDocument previous, @NotNull ShadowDocument current, long timestamp) {

    /** @throws IllegalArgumentException when the payload is not one {@link ShadowPayloads#documents} wrote */
    public static @NotNull DocumentsPayload read(@NotNull JsonNode payload) {
        JsonNode timestamp = payload.get("timestamp");
        if (timestamp == null || !timestamp.canConvertToLong()) {
            throw new IllegalArgumentException("documents payload: timestamp missing");
        }
        long at = timestamp.longValue();
        return new DocumentsPayload(document(payload, "previous", at), document(payload, "current", at), at);
    }

    /** Same rule as {@link UpdateOutcome.Accepted#deltaChanged()}: the thing has something new to do. */
    public boolean deltaChanged() {
        return current.hasNewDeltaSince(previous);
    }

    private static ShadowDocument document(JsonNode payload, String name, long timestamp) {
        JsonNode versioned = payload.get(name);
        if (!(versioned instanceof ObjectNode object)) {
            throw new IllegalArgumentException("documents payload: " + name + " missing");
        }
        ObjectNode stored = object.deepCopy();
        stored.put("timestamp", timestamp);
        return ShadowDocument.fromStoredJson(stored);
    }
}
