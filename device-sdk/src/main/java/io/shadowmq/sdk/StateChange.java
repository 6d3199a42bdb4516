package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;

import java.util.Objects;

/**
 * What {@link ShadowDelta} and {@link UpdateAccepted} share: a piece of state, when each of its leaves was written,
 * the shadow version and a timestamp. Read-only: it keeps its own copy of the trees it was made with, and every
 * accessor returns a fresh copy, so one listener (or one caller of coalesced reports) changing what it got changes
 * nothing another one gets.
 *
 * <pre>{@code
 * client.onDelta(delta -> delta.state().removeAll()); // the next listener still gets the whole delta
 * }</pre>
 */
public abstract sealed class StateChange permits ShadowDelta, UpdateAccepted {

    private final ObjectNode state;
    private final ObjectNode metadata;
    private final long version;
    private final long timestamp;

    StateChange(@NotNull ObjectNode state, @NotNull ObjectNode metadata, long version, long timestamp) {
        this.state = state.deepCopy();
        this.metadata = metadata.deepCopy();
        this.version = version;
        this.timestamp = timestamp;
    }

    /** The state, as a fresh copy. Example: {@code change.state().path("range").asInt()}. */
    public @NotNull ObjectNode state() {
        return state.deepCopy();
    }

    /** {@code {"timestamp":ms}} at each leaf of the state, as a fresh copy. Example: {@code change.metadata()}. */
    public @NotNull ObjectNode metadata() {
        return metadata.deepCopy();
    }

    /** The shadow version. Example: {@code change.version() // 12}. */
    public long version() {
        return version;
    }

    /** Epoch milliseconds. Example: {@code Instant.ofEpochMilli(change.timestamp())}. */
    public long timestamp() {
        return timestamp;
    }

    /** Equal when of the same kind with equal state, metadata, version and timestamp. */
    @Override
    public boolean equals(Object other) {
        return other != null
                && other.getClass() == getClass()
                && other instanceof StateChange change
                && change.state.equals(state)
                && change.metadata.equals(metadata)
                && change.version == version
                && change.timestamp == timestamp;
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(getClass(), state, metadata, version, timestamp);
    }

    /** For logs. Example: {@code ShadowDelta[version=7, state={"volume":10}, ...]}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[version=" + version + ", state=" + state + ", metadata=" + metadata
                + ", timestamp=" + timestamp + "]";
    }
}
