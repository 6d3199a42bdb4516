package io.shadowmq.sdk.internal;

import io.shadowmq.sdk.ShadowConnectException;
import io.shadowmq.sdk.ShadowRejectedException;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The MQTT connection as the session needs it, and nothing of the MQTT client's types: connect and keep reconnecting
 * with backoff, subscribe, publish at QoS 1, and report what happens. {@link HiveMqTransport} is the real one; tests
 * drive the session through a fake.
 */
public interface MqttTransport {

    /** What the connection tells the session; called on the MQTT client's thread. */
    interface Events {

        /** A connection (the first or a reconnect) is up; nothing is subscribed on it yet. */
        void connected();

        /** The connection is gone or an attempt failed; the transport retries after a backoff delay. */
        void disconnected(@NotNull Throwable cause);

        /** The broker refused the first connection for good (wrong id or secret); the transport has stopped. */
        void refused(@NotNull ShadowConnectException refusal);

        /** A message on a subscribed topic. */
        void message(@NotNull String topic, byte @NotNull [] payload);
    }

    /** Starts connecting; events from then on. Called once. */
    void start(@NotNull Events events);

    /**
     * Subscribes at QoS 1. Fails with a {@link ShadowRejectedException} (403) when the broker refuses a filter, or
     * with another exception when the connection went away meanwhile.
     */
    @NotNull
    CompletableFuture<Void> subscribe(@NotNull List<String> filters);

    /**
     * Publishes at QoS 1; completes on PUBACK. Fails with a {@link ShadowRejectedException} (403) when the broker
     * refuses it (MQTT 5 PUBACK 0x87), or with another exception when the connection went away meanwhile.
     */
    @NotNull
    CompletableFuture<Void> publish(@NotNull String topic, byte @NotNull [] payload);

    /** Disconnects and stops reconnecting. */
    @NotNull
    CompletableFuture<Void> stop();
}
