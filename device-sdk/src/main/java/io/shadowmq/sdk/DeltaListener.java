package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;

/**
 * Receives what the thing is asked to do. Called on the MQTT client's thread, once per shadow version, newest only:
 * a delta missed while offline arrives right after the reconnect, a stale one never. Return quickly; hand longer work
 * to your own executor.
 *
 * <pre>{@code
 * client.onDelta(delta -> heater.apply(delta.state().path("cabin").path("heater")));
 * }</pre>
 */
@FunctionalInterface
public interface DeltaListener {

    /** A new delta; its trees are copies, so one listener changing them does not change what the next one sees. */
    void onDelta(@NotNull ShadowDelta delta);
}
