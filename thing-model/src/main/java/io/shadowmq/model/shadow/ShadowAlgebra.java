package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Map;
import java.util.Optional;

/**
 * The shadow's rules as pure functions: how an update changes a document, and the merge patches behind it. No
 * clock, no I/O, no mutation of any argument: the store calls it inside its atomic step, the SDK and the tests
 * call it to predict what the platform will do.
 *
 * <p>Merging follows JSON Merge Patch (RFC 7386) - objects merge recursively, {@code null} deletes, arrays and
 * scalars replace - with one addition: an object left empty is removed, so a state never holds empty objects
 * (they carry nothing a merge patch could not express by absence).
 *
 * <pre>{@code
 * UpdateOutcome outcome = ShadowAlgebra.apply(ShadowDocument.empty(0), request, 1_700_000_000_000L,
 *         ShadowLimits.DEFAULT);
 * }</pre>
 */
public final class ShadowAlgebra {

    private ShadowAlgebra() {}

    /**
     * {@link #apply(ShadowDocument, UpdateRequest, String, DesiredPolicy, long, ShadowLimits)} by nobody in particular
     * under the platform's default policy: what a client predicting a result without a model can do.
     */
    public static @NotNull UpdateOutcome apply(
            @NotNull ShadowDocument current,
            @NotNull UpdateRequest request,
            long nowMillis,
            @NotNull ShadowLimits limits) {
        return apply(current, request, null, DesiredPolicy.DEFAULT, nowMillis, limits);
    }

    /**
     * Applies an update: checks the expected version, merges each section the request touches, stamps the leaves it
     * wrote with {@code nowMillis} (desired ones also with {@code setBy} and their {@code expiresAt}: now plus the
     * request's {@code ttlSeconds}, else the policy's default), then ends desired values: the ones the thing refuses
     * ({@code rejectDesired}, a path not desired is ignored), the ones the reported state now matches (unless the
     * policy opts the property out), the ones expired at {@code nowMillis}; a pending value the request replaced with
     * another is superseded. Each ending is recorded in {@code desiredOutcomes}. Increments the version by exactly
     * one and checks the size of the result.
     *
     * @param setBy  who asks for the desired values the request writes: a thing id, an API key name or
     *               {@code admin}; {@code null} leaves it out
     * @param policy the thing model's desired-lifecycle terms
     * @return {@link UpdateOutcome.Accepted}, or {@link UpdateOutcome.Rejected} with 409 (version mismatch) or 413
     *         (state larger than {@link ShadowLimits#maxStateBytes()})
     */
    public static @NotNull UpdateOutcome apply(
            @NotNull ShadowDocument current,
            @NotNull UpdateRequest request,
            @Nullable String setBy,
            @NotNull DesiredPolicy policy,
            long nowMillis,
            @NotNull ShadowLimits limits) {
        Long expected = request.version();
        if (expected != null && expected != current.version()) {
            return new UpdateOutcome.Rejected(Rejection.versionConflict(expected, current.version()));
        }
        SectionAfter reported = applyTo(current, request, Section.REPORTED, nowMillis);
        DesiredLifecycle.After desired =
                DesiredLifecycle.afterUpdate(current, request, reported.state(), setBy, policy, nowMillis);
        ShadowDocument next = new ShadowDocument(
                reported.state(),
                desired.state(),
                reported.metadata(),
                desired.metadata(),
                Math.addExact(current.version(), 1),
                nowMillis,
                desired.outcomes());
        int size = next.stateSizeBytes();
        if (size > limits.maxStateBytes()) {
            return new UpdateOutcome.Rejected(
                    Rejection.tooLarge("state would be " + size + " bytes, more than " + limits.maxStateBytes()));
        }
        return new UpdateOutcome.Accepted(current, next, request);
    }

    /**
     * RFC 7386 merge of {@code patch} into {@code target}, removing objects the merge leaves empty. Returns a new
     * tree that shares no node with either argument.
     *
     * <p>Example: target {@code {"a":1,"b":{"c":2}}} and patch {@code {"a":null,"b":{"c":null},"d":[1]}} give
     * {@code {"d":[1]}}.
     */
    public static @NotNull ObjectNode mergePatch(@NotNull ObjectNode target, @NotNull ObjectNode patch) {
        ObjectNode result = target.deepCopy();
        mergeInto(result, patch);
        return result;
    }

    /**
     * The patch that undoes {@code patch}: {@code mergePatch(mergePatch(target, patch), inversePatch(target, patch))}
     * equals {@code target}, provided {@code target} is a normalized state (no {@code null} members, no empty
     * objects - as every {@link ShadowDocument} section is). The SDK uses it to roll back an optimistic local change.
     *
     * <p>Example: target {@code {"a":1,"b":{"c":2}}} and patch {@code {"a":5,"b":{"d":3}}} give
     * {@code {"a":1,"b":{"d":null}}}.
     */
    public static @NotNull ObjectNode inversePatch(@NotNull ObjectNode target, @NotNull ObjectNode patch) {
        ObjectNode inverse = SafeJson.object();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            String key = member.getKey();
            JsonNode change = member.getValue();
            JsonNode before = target.get(key);
            if (change.isObject() && before != null && before.isObject()) {
                // Only the members the patch touched need restoring; the rest of the object is unchanged.
                ObjectNode nested = inversePatch((ObjectNode) before, (ObjectNode) change);
                if (!nested.isEmpty()) {
                    inverse.set(key, nested);
                }
            } else if (before != null) {
                inverse.set(key, before.deepCopy());
            } else if (!change.isNull()) {
                inverse.putNull(key);
            }
        }
        return inverse;
    }

    /**
     * The document after the desired values whose {@code expiresAt} is at or before {@code nowMillis} left desired
     * (outcome {@code expired}), one version later; empty when none had expired, so a sweep that finds nothing
     * changes nothing.
     */
    public static @NotNull Optional<ShadowDocument> expireDesired(@NotNull ShadowDocument current, long nowMillis) {
        ObjectNode desired = current.desired().deepCopy();
        ObjectNode metadata = current.desiredMetadata().deepCopy();
        ObjectNode outcomes = current.desiredOutcomes().deepCopy();
        if (!DesiredLifecycle.expire(desired, metadata, outcomes, nowMillis)) {
            return Optional.empty();
        }
        return Optional.of(new ShadowDocument(
                current.reported(),
                desired,
                current.reportedMetadata(),
                metadata,
                Math.addExact(current.version(), 1),
                nowMillis,
                outcomes));
    }

    /**
     * The document after a delete: no state, and the version kept so that the next update continues from it.
     */
    public static @NotNull ShadowDocument delete(@NotNull ShadowDocument current) {
        return ShadowDocument.empty(current.version());
    }

    /** One section's state and metadata after the update. */
    private record SectionAfter(ObjectNode state, ObjectNode metadata) {}

    private static SectionAfter applyTo(
            ShadowDocument current, UpdateRequest request, Section section, long nowMillis) {
        ObjectNode oldState = current.state(section);
        ObjectNode oldMetadata = current.metadata(section);
        if (request.clears(section)) {
            return new SectionAfter(SafeJson.object(), SafeJson.object());
        }
        Optional<ObjectNode> patch = request.patch(section);
        if (patch.isEmpty()) {
            // Untouched: the new document's constructor copies it, so passing the old trees on is safe.
            return new SectionAfter(oldState, oldMetadata);
        }
        ObjectNode merged = mergePatch(oldState, patch.get());
        return new SectionAfter(
                merged,
                Metadata.afterMerge(
                        oldState,
                        oldMetadata,
                        patch.get(),
                        merged,
                        path -> Metadata.leaf(nowMillis),
                        "",
                        current.timestamp()));
    }

    private static void mergeInto(ObjectNode result, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            String key = member.getKey();
            JsonNode change = member.getValue();
            if (change.isNull()) {
                result.remove(key);
            } else if (change.isObject()) {
                // RFC 7386: an object patch applied to a non-object starts from an empty object.
                JsonNode existing = result.get(key);
                ObjectNode child = existing != null && existing.isObject() ? (ObjectNode) existing : SafeJson.object();
                mergeInto(child, (ObjectNode) change);
                if (child.isEmpty()) {
                    result.remove(key);
                } else {
                    result.set(key, child);
                }
            } else {
                result.set(key, StateTrees.canonicalCopy(change));
            }
        }
    }
}
