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
 */
public final class ShadowDelta extends StateChange {

    /**
     * A delta; keeps its own copies of the trees, so changing them later changes nothing here.
     *
     * @param state     the delta, e.g. {@code {"cabin":{"heater":{"isOn":true}}}}
     * @param metadata  when each of those wishes was made: {@code {"timestamp":ms}} at each leaf
     * @param version   the shadow version this delta belongs to
     * @param timestamp when the platform sent it, epoch milliseconds
     */
    public ShadowDelta(@NotNull ObjectNode state, @NotNull ObjectNode metadata, long version, long timestamp) {
        super(state, metadata, version, timestamp);
    }
}
