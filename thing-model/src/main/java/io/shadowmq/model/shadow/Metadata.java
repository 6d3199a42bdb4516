package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Map;

/**
 * Metadata trees: the shape of a state tree with {@code {"timestamp":ms}} in place of every leaf, telling when
 * that leaf was last written; a desired leaf's also tells who set it and until when it stays
 * ({@code {"timestamp":ms,"setBy":"speaker-1","expiresAt":ms}}). Objects in the state are never leaves (the state
 * holds no empty objects), so a metadata member is a leaf exactly when the state member beside it is not an object.
 */
final class Metadata {

    static final String TIMESTAMP = "timestamp";
    static final String SET_BY = "setBy";
    static final String EXPIRES_AT = "expiresAt";

    /** The metadata leaf for a leaf a patch writes at a dotted path. */
    @FunctionalInterface
    interface Stamp {
        @NotNull
        ObjectNode leaf(@NotNull String dottedPath);
    }

    private Metadata() {}

    static @NotNull ObjectNode leaf(long timestampMillis) {
        return StateTrees.NODES.objectNode().put(TIMESTAMP, timestampMillis);
    }

    /**
     * The metadata of {@code newState}, which is {@code oldState} merged with {@code patch}: leaves the patch
     * wrote get {@code nowMillis}, all others keep their old metadata. Computing it from the new state, rather
     * than patching the old metadata, makes "mirrors the state" hold by construction: deleted leaves and pruned
     * objects simply have no place in the result.
     *
     * @param patch           the patch at this level, {@code null} where the request did not touch the tree
     * @param stamp           the metadata of a leaf the patch wrote, by its dotted path
     * @param prefix          the dotted path of this level, {@code ""} at the top
     * @param fallbackMillis  timestamp for an untouched leaf whose stored metadata is missing (damaged data)
     */
    static @NotNull ObjectNode afterMerge(
            @Nullable ObjectNode oldState,
            @Nullable ObjectNode oldMetadata,
            @Nullable ObjectNode patch,
            @NotNull ObjectNode newState,
            @NotNull Stamp stamp,
            @NotNull String prefix,
            long fallbackMillis) {
        ObjectNode result = StateTrees.NODES.objectNode();
        for (Map.Entry<String, JsonNode> member : newState.properties()) {
            String key = member.getKey();
            JsonNode value = member.getValue();
            JsonNode written = patch == null ? null : patch.get(key);
            JsonNode oldValue = oldState == null ? null : oldState.get(key);
            JsonNode oldMeta = oldMetadata == null ? null : oldMetadata.get(key);
            if (value.isObject()) {
                // Old metadata only describes an object that was an object before; a leaf's
                // {"timestamp":..} must not leak into the children of the object that replaced it.
                boolean wasObject = oldValue != null && oldValue.isObject();
                result.set(
                        key,
                        afterMerge(
                                wasObject ? (ObjectNode) oldValue : null,
                                wasObject && oldMeta != null && oldMeta.isObject() ? (ObjectNode) oldMeta : null,
                                written != null && written.isObject() ? (ObjectNode) written : null,
                                (ObjectNode) value,
                                stamp,
                                path(prefix, key),
                                fallbackMillis));
            } else if (written != null) {
                result.set(key, stamp.leaf(path(prefix, key)));
            } else if (isLeaf(oldMeta)) {
                result.set(key, oldMeta.deepCopy());
            } else {
                result.set(key, leaf(fallbackMillis));
            }
        }
        return result;
    }

    /**
     * The metadata of the leaves a patch writes, mirroring the patch: deletions ({@code null}) have no metadata,
     * and objects without any written leaf are left out.
     */
    static @NotNull ObjectNode written(@NotNull ObjectNode patch, long nowMillis) {
        ObjectNode result = StateTrees.NODES.objectNode();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            JsonNode value = member.getValue();
            if (value.isNull()) {
                continue;
            }
            if (value.isObject()) {
                ObjectNode child = written((ObjectNode) value, nowMillis);
                if (!child.isEmpty()) {
                    result.set(member.getKey(), child);
                }
            } else {
                result.set(member.getKey(), leaf(nowMillis));
            }
        }
        return result;
    }

    /**
     * {@code written} (from {@link #written}) with each leaf replaced by the leaf {@code known} has at its place when
     * that one was written at the same time: the desired leaves an update wrote, with their {@code setBy} and
     * {@code expiresAt}. A written leaf that is no longer there (a wish applied at once) keeps its timestamp only.
     */
    static @NotNull ObjectNode asKnown(@NotNull ObjectNode written, @NotNull ObjectNode known) {
        ObjectNode result = StateTrees.NODES.objectNode();
        for (Map.Entry<String, JsonNode> member : written.properties()) {
            JsonNode mine = member.getValue();
            JsonNode theirs = known.get(member.getKey());
            if (isLeaf(mine)) {
                boolean same = isLeaf(theirs) && theirs.get(TIMESTAMP).equals(mine.get(TIMESTAMP));
                result.set(member.getKey(), same ? theirs.deepCopy() : mine);
            } else if (theirs != null && theirs.isObject()) {
                result.set(member.getKey(), asKnown((ObjectNode) mine, (ObjectNode) theirs));
            } else {
                result.set(member.getKey(), mine);
            }
        }
        return result;
    }

    /** The part of {@code metadata} that describes the leaves of {@code shape} (e.g. the delta). */
    static @NotNull ObjectNode restrictTo(@NotNull ObjectNode metadata, @NotNull ObjectNode shape) {
        ObjectNode result = StateTrees.NODES.objectNode();
        for (Map.Entry<String, JsonNode> member : shape.properties()) {
            JsonNode meta = metadata.get(member.getKey());
            if (meta == null || !meta.isObject()) {
                continue;
            }
            if (member.getValue().isObject()) {
                ObjectNode child = restrictTo((ObjectNode) meta, (ObjectNode) member.getValue());
                if (!child.isEmpty()) {
                    result.set(member.getKey(), child);
                }
            } else {
                result.set(member.getKey(), StateTrees.canonicalCopy(meta));
            }
        }
        return result;
    }

    /** The dotted path of {@code key} under {@code prefix}. */
    static @NotNull String path(@NotNull String prefix, @NotNull String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /**
     * A leaf's metadata: an object whose {@code timestamp} is a number. Only the state tells leaves from objects;
     * this guards against damaged stored metadata (a nested property named {@code timestamp} has an object there).
     */
    static boolean isLeaf(@Nullable JsonNode meta) {
        return meta != null && meta.isObject() && meta.path(TIMESTAMP).isIntegralNumber();
    }
}
