package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;

/**
 * What the thing still has to do: the desired leaves its reported state does not match, in their nested shape
 * ({@code update/delta}, or the delta of the shadow read after a reconnect). Handed to {@link DeltaListener}s once
 * per version.
 *
 * <pre>{@code
 * client.onDelta(delta -> {
 *     boolean heaterOn = delta.state().at("/cabin/heater/isOn").asBoolean();
 * });
 * }</pre>
 *
 * @param state     the delta, e.g. {@code {"cabin":{"heater":{"isOn":true}}}}
 * @param metadata  when each of those wishes was made: {@code {"timestamp":ms}} at each leaf
 * @param version   the shadow version this delta belongs to
 * @param timestamp when the platform sent it, epoch milliseconds
 */
public record ShadowDelta(@NotNull ObjectNode state, @NotNull ObjectNode metadata, long version, long timestamp) {

    /** Keeps its own copies: changing the trees passed in later changes nothing here. */
    public ShadowDelta {
        state = state.deepCopy();
        metadata = metadata.deepCopy();
    }

    /** The delta, as a fresh copy: changing it changes nothing the client or other listeners see. */
    @Override
    public @NotNull ObjectNode state() {
        return state.deepCopy();
    }

    /** The metadata, as a fresh copy. */
    @Override
    public @NotNull ObjectNode metadata() {
        return metadata.deepCopy();
    }
}
