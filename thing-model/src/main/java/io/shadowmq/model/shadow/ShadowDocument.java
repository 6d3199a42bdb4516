package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import org.jetbrains.annotations.NotNull;

import java.util.Map;
import java.util.OptionalLong;

/**
 * A thing's shadow: reported and desired state, when each leaf was last written, the version and when the shadow
 * last changed. An immutable value: the constructor takes a normalized deep copy of every tree (object members
 * that are {@code null} and empty objects are dropped, numbers made canonical), so equal documents are
 * {@code equals} however they were built or read.
 *
 * <p>The accessors return the internal trees, not copies: Jackson has no read-only node, and copying every tree on
 * every read would double the cost of each update (the algebra and the payload builders read each section several
 * times). <b>Never mutate a node obtained from a document</b>; {@code deepCopy()} it first.
 *
 * <pre>{@code
 * ShadowDocument doc = ShadowDocument.fromStoredJson(SafeJson.read(stored));
 * ObjectNode delta = doc.delta(); // {"heater":{"on":true}} when desired says on and reported says off
 * }</pre>
 *
 * @param reported         what the thing last said about itself
 * @param desired          what others want the thing to become
 * @param reportedMetadata {@code reported}'s shape with {@code {"timestamp":ms}} at each leaf
 * @param desiredMetadata  {@code desired}'s shape with {@code {"timestamp":ms,"setBy":"..","expiresAt":ms}} at each
 *                         leaf ({@code setBy} and {@code expiresAt} when known; documents stored before had neither)
 * @param version          the number of accepted updates so far, also across deletes; 0 for a thing never updated
 * @param timestamp        epoch milliseconds of the last accepted update, 0 if none
 * @param desiredOutcomes  how the last desired value of each dotted path ended, e.g.
 *                         {@code {"cabin.heater.isOn":{"status":"applied","value":true,"setBy":"speaker-1",
 *                         "setAt":ms,"at":ms}}}; status {@code applied}, {@code rejected} (with {@code reason}),
 *                         {@code expired} or {@code superseded}
 */
public record ShadowDocument(
        @NotNull ObjectNode reported,
        @NotNull ObjectNode desired,
        @NotNull ObjectNode reportedMetadata,
        @NotNull ObjectNode desiredMetadata,
        long version,
        long timestamp,
        @NotNull ObjectNode desiredOutcomes) {

    /** The stored form's member holding {@link #desiredOutcomes()}; left out while there are none. */
    static final String DESIRED_OUTCOMES = "desiredOutcomes";

    public ShadowDocument {
        if (reported == null
                || desired == null
                || reportedMetadata == null
                || desiredMetadata == null
                || desiredOutcomes == null) {
            throw new IllegalArgumentException("state, metadata and outcome trees must not be null");
        }
        for (Map.Entry<String, JsonNode> outcome : desiredOutcomes.properties()) {
            if (!outcome.getValue().isObject()) {
                throw new IllegalArgumentException("desired outcome of " + outcome.getKey() + " must be an object");
            }
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, was " + version);
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must not be negative, was " + timestamp);
        }
        reported = StateTrees.normalizedCopy(reported);
        desired = StateTrees.normalizedCopy(desired);
        // Restricting to the state's shape also copies, and drops metadata of leaves that are not there.
        reportedMetadata = Metadata.restrictTo(reportedMetadata, reported);
        desiredMetadata = Metadata.restrictTo(desiredMetadata, desired);
        desiredOutcomes = StateTrees.normalizedCopy(desiredOutcomes);
    }

    /** A document without desired outcomes (none decided yet). */
    public ShadowDocument(
            @NotNull ObjectNode reported,
            @NotNull ObjectNode desired,
            @NotNull ObjectNode reportedMetadata,
            @NotNull ObjectNode desiredMetadata,
            long version,
            long timestamp) {
        this(reported, desired, reportedMetadata, desiredMetadata, version, timestamp, SafeJson.object());
    }

    /**
     * The shadow of a thing that has none: never updated, or deleted.
     *
     * @param version the last version ever used for this thing (0 for a new thing), so that the next update
     *                continues from it and versions never go backwards
     */
    public static @NotNull ShadowDocument empty(long version) {
        return new ShadowDocument(
                SafeJson.object(), SafeJson.object(), SafeJson.object(), SafeJson.object(), version, 0);
    }

    /** True when there is neither reported nor desired state: to a reader, such a shadow does not exist. */
    public boolean isEmpty() {
        return reported.isEmpty() && desired.isEmpty();
    }

    /** The state of one section (the internal tree: do not mutate). */
    public @NotNull ObjectNode state(@NotNull Section section) {
        return section == Section.REPORTED ? reported : desired;
    }

    /** The metadata of one section (the internal tree: do not mutate). */
    public @NotNull ObjectNode metadata(@NotNull Section section) {
        return section == Section.REPORTED ? reportedMetadata : desiredMetadata;
    }

    /**
     * What the thing still has to do: the desired leaves that the reported state does not match, in their nested
     * shape. A desired leaf absent from reported is in the delta; numbers compare by value ({@code 20} matches
     * {@code 20.0}); arrays compare as a whole. Computed on each call; a new tree the caller may keep.
     *
     * <p>Example: desired {@code {"heater":{"on":true,"target":21},"mode":"eco"}} and reported
     * {@code {"heater":{"on":false,"target":21.0}}} give {@code {"heater":{"on":true},"mode":"eco"}}.
     */
    public @NotNull ObjectNode delta() {
        return delta(desired, reported);
    }

    /**
     * True when this document gives the thing something new to do compared with {@code previous}: its delta is not
     * empty and differs from the previous one (numbers compared by value). This is when {@code update/delta} is sent.
     */
    public boolean hasNewDeltaSince(@NotNull ShadowDocument previous) {
        ObjectNode delta = delta();
        return !delta.isEmpty() && !StateTrees.sameValue(delta, previous.delta());
    }

    /** The desired metadata of the delta's leaves: when each pending wish was made, by whom, until when. */
    public @NotNull ObjectNode deltaMetadata() {
        return Metadata.restrictTo(desiredMetadata, delta());
    }

    /**
     * When the next desired value expires: the earliest {@code expiresAt} in the desired metadata, empty when no
     * desired value has one.
     */
    public @NotNull OptionalLong nextDesiredExpiry() {
        return DesiredLifecycle.nextExpiry(desired, desiredMetadata);
    }

    /**
     * The form in which the store keeps the document:
     * {@code {"state":{"reported":..,"desired":..},"metadata":{"reported":..,"desired":..},"version":N,"timestamp":ms,
     * "desiredOutcomes":{..}}}, the outcomes only when there are any. A new tree the caller may keep.
     */
    public @NotNull ObjectNode toStoredJson() {
        ObjectNode stored = SafeJson.object();
        stored.set("state", sections(reported, desired));
        stored.set("metadata", sections(reportedMetadata, desiredMetadata));
        stored.put("version", version);
        stored.put("timestamp", timestamp);
        if (!desiredOutcomes.isEmpty()) {
            stored.set(DESIRED_OUTCOMES, desiredOutcomes.deepCopy());
        }
        return stored;
    }

    /**
     * Reads what {@link #toStoredJson()} wrote (and what it wrote before desired values had a lifecycle: metadata
     * leaves holding only a timestamp, no outcomes). Missing sections read as empty. Also reads
     * {@code get/accepted} payloads, which have the same members.
     *
     * @throws IllegalArgumentException when the stored form is damaged: that is a bug or a broken store, never a
     *                                  client's fault
     */
    public static @NotNull ShadowDocument fromStoredJson(@NotNull JsonNode stored) {
        if (!stored.isObject()) {
            throw new IllegalArgumentException("stored shadow: expected an object, got " + StateTrees.typeName(stored));
        }
        JsonNode state = objectOrEmpty(stored, "state");
        JsonNode metadata = objectOrEmpty(stored, "metadata");
        return new ShadowDocument(
                objectMember(state, "state", Section.REPORTED),
                objectMember(state, "state", Section.DESIRED),
                objectMember(metadata, "metadata", Section.REPORTED),
                objectMember(metadata, "metadata", Section.DESIRED),
                nonNegativeLong(stored, "version"),
                nonNegativeLong(stored, "timestamp"),
                (ObjectNode) objectOrEmpty(stored, DESIRED_OUTCOMES));
    }

    /** UTF-8 size of {@code {"reported":..,"desired":..}}: what {@link ShadowLimits#maxStateBytes()} limits. */
    public int stateSizeBytes() {
        // The sections are only read while writing: the temporary parent does not change them.
        ObjectNode state = SafeJson.object();
        state.set(Section.REPORTED.jsonName(), reported);
        state.set(Section.DESIRED.jsonName(), desired);
        return SafeJson.write(state).length;
    }

    private static ObjectNode delta(ObjectNode desired, ObjectNode reported) {
        ObjectNode delta = SafeJson.object();
        for (Map.Entry<String, JsonNode> member : desired.properties()) {
            JsonNode wanted = member.getValue();
            JsonNode actual = reported == null ? null : reported.get(member.getKey());
            if (wanted.isObject()) {
                ObjectNode nested =
                        delta((ObjectNode) wanted, actual != null && actual.isObject() ? (ObjectNode) actual : null);
                if (!nested.isEmpty()) {
                    delta.set(member.getKey(), nested);
                }
            } else if (actual == null || !StateTrees.sameValue(wanted, actual)) {
                delta.set(member.getKey(), wanted.deepCopy());
            }
        }
        return delta;
    }

    private static ObjectNode sections(ObjectNode reported, ObjectNode desired) {
        ObjectNode sections = SafeJson.object();
        sections.set(Section.REPORTED.jsonName(), reported.deepCopy());
        sections.set(Section.DESIRED.jsonName(), desired.deepCopy());
        return sections;
    }

    private static JsonNode objectOrEmpty(JsonNode parent, String key) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            return SafeJson.object();
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException(
                    "stored shadow: " + key + " must be an object, got " + StateTrees.typeName(value));
        }
        return value;
    }

    private static ObjectNode objectMember(JsonNode parent, String parentKey, Section section) {
        JsonNode value = parent.get(section.jsonName());
        if (value == null || value.isNull()) {
            return SafeJson.object();
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("stored shadow: " + parentKey + "." + section.jsonName()
                    + " must be an object, got " + StateTrees.typeName(value));
        }
        return (ObjectNode) value;
    }

    private static long nonNegativeLong(JsonNode parent, String key) {
        JsonNode value = parent.get(key);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new IllegalArgumentException("stored shadow: " + key + " must be a non-negative integer, got "
                    + (value == null ? "nothing" : value.toString()));
        }
        return value.longValue();
    }
}
