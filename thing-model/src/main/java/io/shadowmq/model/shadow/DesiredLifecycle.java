package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The life of desired values: a leaf in desired is pending; it leaves desired as {@code applied} when the reported
 * value converged to it (unless its property opted out of auto-clear), {@code rejected} when the thing refused it,
 * {@code expired} at its {@code expiresAt}, and a pending value replaced by another one is {@code superseded}. The
 * last outcome of each dotted path is kept in the document's {@code desiredOutcomes}:
 * {@code {"cabin.heater.isOn":{"status":"applied","value":true,"setBy":"speaker-1","setAt":ms,"at":ms}}}.
 */
final class DesiredLifecycle {

    static final String APPLIED = "applied";
    static final String REJECTED = "rejected";
    static final String EXPIRED = "expired";
    static final String SUPERSEDED = "superseded";

    private DesiredLifecycle() {}

    /** The desired section after an update, and the outcomes including the ones this update decided. */
    record After(ObjectNode state, ObjectNode metadata, ObjectNode outcomes) {}

    /**
     * The desired section after {@code request}: merged (the leaves it writes stamped with {@code setBy} and their
     * expiry), then the thing's refusals, convergence with {@code reportedAfter} and expiry at {@code nowMillis}.
     */
    static After afterUpdate(
            ShadowDocument current,
            UpdateRequest request,
            ObjectNode reportedAfter,
            @Nullable String setBy,
            DesiredPolicy policy,
            long nowMillis) {
        if (!request.touches(Section.DESIRED)
                && !request.rejectsDesired()
                && !endsAny(current, reportedAfter, policy, nowMillis)) {
            // The common report: no wish ends. The new document's constructor copies the trees passed on.
            return new After(current.desired(), current.desiredMetadata(), current.desiredOutcomes());
        }
        ObjectNode outcomes = current.desiredOutcomes().deepCopy();
        ObjectNode state;
        ObjectNode metadata;
        if (request.clears(Section.DESIRED)) {
            // Withdrawn by whoever cleared it: no outcome, the wish simply ends.
            state = SafeJson.object();
            metadata = SafeJson.object();
        } else if (request.patch(Section.DESIRED).isPresent()) {
            ObjectNode patch = request.patch(Section.DESIRED).get();
            Map<String, JsonNode> before = leaves(current.desired());
            leaves(patch).forEach((path, value) -> {
                JsonNode old = before.get(path);
                if (old != null && !value.isNull() && !StateTrees.sameValue(old, value)) {
                    outcomes.set(
                            path,
                            outcome(SUPERSEDED, old, leafMetadata(current.desiredMetadata(), path), nowMillis, null));
                }
            });
            state = ShadowAlgebra.mergePatch(current.desired(), patch);
            metadata = Metadata.afterMerge(
                    current.desired(),
                    current.desiredMetadata(),
                    patch,
                    state,
                    path -> stamp(setBy, expiry(request, policy, path, nowMillis), nowMillis),
                    "",
                    current.timestamp());
        } else {
            state = current.desired().deepCopy();
            metadata = current.desiredMetadata().deepCopy();
        }
        request.rejectDesired().forEach((refused, reason) -> {
            for (Map.Entry<String, JsonNode> leaf : leaves(state).entrySet()) {
                String path = leaf.getKey();
                if (path.equals(refused) || path.startsWith(refused + ".")) {
                    end(state, metadata, outcomes, path, leaf.getValue(), REJECTED, nowMillis, reason);
                }
            }
        });
        Map<String, JsonNode> reported = leaves(reportedAfter);
        for (Map.Entry<String, JsonNode> leaf : leaves(state).entrySet()) {
            String path = leaf.getKey();
            JsonNode actual = reported.get(path);
            if (actual != null && StateTrees.sameValue(leaf.getValue(), actual) && policy.autoClear(path)) {
                end(state, metadata, outcomes, path, leaf.getValue(), APPLIED, nowMillis, null);
            }
        }
        expire(state, metadata, outcomes, nowMillis);
        return new After(state, metadata, outcomes);
    }

    /** True when a desired leaf of {@code current} converged with {@code reported} (and clears) or has expired. */
    private static boolean endsAny(ShadowDocument current, ObjectNode reported, DesiredPolicy policy, long nowMillis) {
        if (current.desired().isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> leaf : leaves(current.desired()).entrySet()) {
            String path = leaf.getKey();
            JsonNode actual = at(reported, path);
            if (!actual.isMissingNode() && StateTrees.sameValue(leaf.getValue(), actual) && policy.autoClear(path)) {
                return true;
            }
            JsonNode expiresAt = leafMetadata(current.desiredMetadata(), path).get(Metadata.EXPIRES_AT);
            if (expiresAt != null && expiresAt.isIntegralNumber() && expiresAt.longValue() <= nowMillis) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes every desired leaf whose {@code expiresAt} is at or before {@code nowMillis} out of desired, with outcome
     * {@code expired}; true when there was one.
     */
    static boolean expire(ObjectNode state, ObjectNode metadata, ObjectNode outcomes, long nowMillis) {
        boolean expired = false;
        for (Map.Entry<String, JsonNode> leaf : leaves(state).entrySet()) {
            JsonNode expiresAt = leafMetadata(metadata, leaf.getKey()).get(Metadata.EXPIRES_AT);
            if (expiresAt != null && expiresAt.isIntegralNumber() && expiresAt.longValue() <= nowMillis) {
                end(state, metadata, outcomes, leaf.getKey(), leaf.getValue(), EXPIRED, nowMillis, null);
                expired = true;
            }
        }
        return expired;
    }

    /** The earliest {@code expiresAt} among the desired leaves, empty when none expires. */
    static OptionalLong nextExpiry(ObjectNode desired, ObjectNode desiredMetadata) {
        long earliest = Long.MAX_VALUE;
        for (String path : leaves(desired).keySet()) {
            JsonNode expiresAt = leafMetadata(desiredMetadata, path).get(Metadata.EXPIRES_AT);
            if (expiresAt != null && expiresAt.isIntegralNumber()) {
                earliest = Math.min(earliest, expiresAt.longValue());
            }
        }
        return earliest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(earliest);
    }

    private static @Nullable Long expiry(UpdateRequest request, DesiredPolicy policy, String path, long nowMillis) {
        if (request.ttlSeconds() != null) {
            return nowMillis + request.ttlSeconds() * 1000;
        }
        Duration ttl = policy.defaultTtl(path);
        return ttl == null ? null : nowMillis + ttl.toMillis();
    }

    private static ObjectNode stamp(@Nullable String setBy, @Nullable Long expiresAt, long nowMillis) {
        ObjectNode leaf = Metadata.leaf(nowMillis);
        if (setBy != null) {
            leaf.put(Metadata.SET_BY, setBy);
        }
        if (expiresAt != null) {
            leaf.put(Metadata.EXPIRES_AT, expiresAt);
        }
        return leaf;
    }

    /** Takes the leaf at {@code path} out of desired and records how it ended. */
    private static void end(
            ObjectNode state,
            ObjectNode metadata,
            ObjectNode outcomes,
            String path,
            JsonNode value,
            String status,
            long nowMillis,
            @Nullable String reason) {
        outcomes.set(path, outcome(status, value, leafMetadata(metadata, path), nowMillis, reason));
        remove(state, path);
        remove(metadata, path);
    }

    private static ObjectNode outcome(
            String status, JsonNode value, JsonNode leafMetadata, long nowMillis, @Nullable String reason) {
        ObjectNode outcome = SafeJson.object();
        outcome.put("status", status);
        outcome.set("value", value.deepCopy());
        JsonNode setBy = leafMetadata.get(Metadata.SET_BY);
        if (setBy != null && setBy.isTextual()) {
            outcome.put(Metadata.SET_BY, setBy.textValue());
        }
        JsonNode setAt = leafMetadata.get(Metadata.TIMESTAMP);
        if (setAt != null && setAt.isIntegralNumber()) {
            outcome.put("setAt", setAt.longValue());
        }
        outcome.put("at", nowMillis);
        if (reason != null) {
            outcome.put("reason", reason);
        }
        return outcome;
    }

    /** The metadata leaf at a dotted path, or an empty object when there is none (damaged or old data). */
    private static JsonNode leafMetadata(ObjectNode metadata, String path) {
        JsonNode node = at(metadata, path);
        return Metadata.isLeaf(node) ? node : SafeJson.object();
    }

    /** The node at a dotted path, missing when there is none. */
    private static JsonNode at(ObjectNode tree, String path) {
        JsonNode node = tree;
        for (String name : path.split("\\.", -1)) {
            node = node.path(name);
        }
        return node;
    }

    /** Every leaf of a tree by dotted path, in document order; {@code null} leaves of a patch included. */
    static Map<String, JsonNode> leaves(ObjectNode tree) {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        collect(tree, "", leaves);
        return leaves;
    }

    private static void collect(ObjectNode tree, String prefix, Map<String, JsonNode> leaves) {
        for (Map.Entry<String, JsonNode> member : tree.properties()) {
            String path = Metadata.path(prefix, member.getKey());
            if (member.getValue().isObject()) {
                collect((ObjectNode) member.getValue(), path, leaves);
            } else {
                leaves.put(path, member.getValue());
            }
        }
    }

    /** Removes the member at a dotted path and every object the removal leaves empty. */
    private static void remove(ObjectNode tree, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            tree.remove(path);
            return;
        }
        JsonNode child = tree.get(path.substring(0, dot));
        if (child instanceof ObjectNode object) {
            remove(object, path.substring(dot + 1));
            if (object.isEmpty()) {
                tree.remove(path.substring(0, dot));
            }
        }
    }
}
