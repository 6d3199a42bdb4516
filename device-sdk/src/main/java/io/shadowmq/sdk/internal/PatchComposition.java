package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.ShadowAlgebra;
import org.jetbrains.annotations.NotNull;

import java.util.Map;
import java.util.Optional;

/**
 * Two merge patches as one: sending {@code compose(first, second)} leaves a shadow exactly as sending {@code first}
 * and then {@code second} would. This is how reports made while offline become one update: the latest value of each
 * property wins.
 *
 * <p>{@link ShadowAlgebra#mergePatch} alone is not enough for that: it applies a patch to a <em>state</em>, so a
 * {@code null} (delete) in the later patch would remove the key instead of keeping the deletion for the server. The
 * rules here keep deletions and reuse {@code mergePatch} where the later patch replaces a value as a whole.
 *
 * <p>Merge patches are not closed under composition: after {@code {"doors":null}}, the patch
 * {@code {"doors":{"trunk":{"isOpen":true}}}} makes {@code doors} hold the trunk <em>only</em>, and no single patch
 * says "replace this object" without knowing what the shadow holds. In that case (a scalar, array or {@code null}
 * followed by an object with content, at the same key) there is no composition; the caller sends two updates.
 *
 * <pre>{@code
 * compose({"heater":{"isOn":true},"range":300}, {"heater":{"targetTemperature":21},"range":null})
 *     // Optional[{"heater":{"isOn":true,"targetTemperature":21},"range":null}]
 * }</pre>
 */
final class PatchComposition {

    private PatchComposition() {}

    /**
     * A new patch equivalent to {@code first} followed by {@code second}, or empty when no single patch is; neither
     * argument is changed.
     */
    static @NotNull Optional<ObjectNode> compose(@NotNull ObjectNode first, @NotNull ObjectNode second) {
        ObjectNode result = first.deepCopy();
        for (Map.Entry<String, JsonNode> member : second.properties()) {
            String key = member.getKey();
            JsonNode later = member.getValue();
            JsonNode earlier = result.get(key);
            if (!later.isObject() || earlier == null) {
                // A scalar, array or null replaces whatever came first; so does anything for a key first left alone.
                result.set(key, later.deepCopy());
            } else if (earlier.isObject()) {
                Optional<ObjectNode> nested = compose((ObjectNode) earlier, (ObjectNode) later);
                if (nested.isEmpty()) {
                    return Optional.empty();
                }
                result.set(key, nested.get());
            } else if (ShadowAlgebra.mergePatch(SafeJson.object(), (ObjectNode) later)
                    .isEmpty()) {
                // An object that adds nothing over a scalar: the key ends up absent (empty objects are pruned).
                result.putNull(key);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(result);
    }
}
