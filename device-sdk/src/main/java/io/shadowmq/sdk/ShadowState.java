package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.ShadowDocument;
import org.jetbrains.annotations.NotNull;

/**
 * A thing's shadow as the platform answered it: reported and desired state, what is still to do (the delta), when each
 * leaf was written, the version. Read-only: every accessor returns a fresh copy of the JSON, so changing what you got
 * changes nothing the client keeps (it predicts the state size of the next report from the shadow it last saw).
 *
 * <pre>{@code
 * ShadowState shadow = client.getAsync().join();
 * int range = shadow.reported().path("range").asInt();
 * boolean asked = shadow.delta().has("cabin");
 * }</pre>
 */
public final class ShadowState {

    private final ShadowDocument document;

    ShadowState(@NotNull ShadowDocument document) {
        this.document = document;
    }

    /** What the thing last said about itself, e.g. {@code {"range":310}}. A copy. */
    public @NotNull ObjectNode reported() {
        return document.reported().deepCopy();
    }

    /** What others want the thing to become, e.g. {@code {"cabin":{"heater":{"isOn":true}}}}. A copy. */
    public @NotNull ObjectNode desired() {
        return document.desired().deepCopy();
    }

    /** The desired leaves that reported does not match yet: what the thing still has to do. A copy. */
    public @NotNull ObjectNode delta() {
        return document.delta().deepCopy();
    }

    /** {@link #reported()}'s shape with {@code {"timestamp":ms}} at each leaf. A copy. */
    public @NotNull ObjectNode reportedMetadata() {
        return document.reportedMetadata().deepCopy();
    }

    /** {@link #desired()}'s shape with {@code {"timestamp":ms}} at each leaf. A copy. */
    public @NotNull ObjectNode desiredMetadata() {
        return document.desiredMetadata().deepCopy();
    }

    /**
     * How the last desired value of each dotted path ended, e.g. {@code {"cabin.heater.isOn":{"status":"rejected",
     * "value":true,"setBy":"speaker-1","setAt":ms,"at":ms,"reason":"fuel below 10 %"}}}; status {@code applied},
     * {@code rejected}, {@code expired} or {@code superseded}. A copy.
     *
     * <pre>{@code shadow.desiredOutcomes().path("cabin.heater.isOn").path("status").asText() // "rejected"}</pre>
     */
    public @NotNull ObjectNode desiredOutcomes() {
        return document.desiredOutcomes().deepCopy();
    }

    /** The number of accepted updates so far, also across deletes. Example: {@code shadow.version() // 12}. */
    public long version() {
        return document.version();
    }

    /** When the shadow last changed, epoch milliseconds; 0 if never. Example: {@code Instant.ofEpochMilli(s.timestamp())}. */
    public long timestamp() {
        return document.timestamp();
    }

    /** True for a thing without a shadow state (never reported, or deleted). Example: {@code if (s.isEmpty()) init();} */
    public boolean isEmpty() {
        return document.isEmpty();
    }

    /** Equal when state, metadata, version and timestamp are. Example: {@code before.equals(after)}. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ShadowState state && state.document.equals(document);
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return document.hashCode();
    }

    /** For logs. Example: {@code log(shadow.toString())}. */
    @Override
    public String toString() {
        return "ShadowState[version=" + version() + ", reported=" + document.reported() + ", desired="
                + document.desired() + "]";
    }
}
