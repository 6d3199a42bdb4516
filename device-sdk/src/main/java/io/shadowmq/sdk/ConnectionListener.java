package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;

/**
 * Hears the connection come and go. Called on the MQTT client's thread. The client reconnects on its own; this is
 * for showing status or logging, nothing needs to be done in here.
 *
 * <pre>{@code
 * client.onConnection(new ConnectionListener() {
 *     public void onConnected() { led.green(); }
 *     public void onDisconnected(Throwable cause) { led.red(); }
 * });
 * }</pre>
 */
public interface ConnectionListener {

    /** Connected and subscribed again; buffered reports are being sent. */
    default void onConnected() {}

    /** The connection was lost (or an attempt failed); the client is retrying with backoff. */
    default void onDisconnected(@NotNull Throwable cause) {}
}
