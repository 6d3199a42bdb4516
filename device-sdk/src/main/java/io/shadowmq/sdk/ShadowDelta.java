package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the thing still has to do: the desired leaves its reported state does not match, in their nested shape
 * ({@code update/delta}, or the delta of the shadow read after a reconnect), and for each of them who asked and until
 * when ({@link #desiredMetadata()}). Handed to {@link DeltaListener}s once per version.
 *
 * <pre>{@code
 * client.onDelta(delta -> {
 *     boolean heaterOn = delta.state().at("/cabin/heater/isOn").asBoolean();
 *     String who = delta.desiredMetadata("cabin.heater.isOn").map(DesiredMetadata::setBy).orElse("someone");
 * });
 * }</pre>
 */
public final class ShadowDelta extends StateChange {

    private final Map<String, DesiredMetadata> desiredMetadata;

    /**
     * A delta; keeps its own copies of the trees, so changing them later changes nothing here.
     *
     * @param state     the delta, e.g. {@code {"cabin":{"heater":{"isOn":true}}}}
     * @param metadata  each wish's metadata at its leaf: {@code {"timestamp":ms,"setBy":"speaker-1","expiresAt":ms}}
     * @param version   the shadow version this delta belongs to
     * @param timestamp when the platform sent it, epoch milliseconds
     */
    public ShadowDelta(@NotNull ObjectNode state, @NotNull ObjectNode metadata, long version, long timestamp) {
        super(state, metadata, version, timestamp);
        Map<String, DesiredMetadata> flat = new LinkedHashMap<>();
        flatten("", state, metadata, flat);
        this.desiredMetadata = Collections.unmodifiableMap(flat);
    }

    /**
     * Who asked for each leaf of the delta, when, and until when, by dotted path (e.g. {@code cabin.heater.isOn}), in
     * the order of the state. A leaf without metadata is left out.
     *
     * <pre>{@code delta.desiredMetadata().forEach((path, m) -> log(path + " set by " + m.setBy()));}</pre>
     */
    public @NotNull Map<String, DesiredMetadata> desiredMetadata() {
        return desiredMetadata;
    }

    /** The metadata of one leaf. Example: {@code delta.desiredMetadata("volume").map(DesiredMetadata::expiresAt)}. */
    public @NotNull Optional<DesiredMetadata> desiredMetadata(@NotNull String dottedPath) {
        return Optional.ofNullable(desiredMetadata.get(dottedPath));
    }

    /** A metadata member is a leaf exactly when the state member beside it is not an object. */
    private static void flatten(String prefix, JsonNode state, JsonNode metadata, Map<String, DesiredMetadata> into) {
        for (Map.Entry<String, JsonNode> member : state.properties()) {
            String path = prefix + member.getKey();
            JsonNode meta = metadata.path(member.getKey());
            if (member.getValue().isObject()) {
                flatten(path + ".", member.getValue(), meta, into);
            } else if (meta.path("timestamp").canConvertToLong()) {
                JsonNode setBy = meta.path("setBy");
                JsonNode expiresAt = meta.path("expiresAt");
                into.put(
                        path,
                        new DesiredMetadata(
                                setBy.isTextual() ? setBy.textValue() : null,
                                meta.get("timestamp").longValue(),
                                expiresAt.canConvertToLong() ? expiresAt.longValue() : null));
            }
        }
    }
}
