package io.shadowmq.sdk.internal;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.MqttProtocolVersion;
import io.shadowmq.sdk.ShadowConnectException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The part of the real transport both MQTT versions share: client identity and credentials (docs/protocol.md: client
 * id = user name = thing id, password = secret), TLS, and reconnecting forever with {@link ReconnectBackoff} through
 * the HiveMQ client's reconnector. Every connection starts a clean session; the session resubscribes itself, so the
 * HiveMQ client is told not to resubscribe or republish on its own.
 */
public abstract class HiveMqTransport implements MqttTransport {

    private static final System.Logger log = System.getLogger(HiveMqTransport.class.getName());

    /** Where to connect and as whom. */
    public record Endpoint(
            @NotNull String host,
            int port,
            @Nullable MqttClientSslConfig tls,
            @NotNull ThingId thing,
            @NotNull String secret,
            int keepAliveSeconds) {

        byte @NotNull [] password() {
            return secret.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            // Never the secret.
            return (tls != null ? "mqtts://" : "mqtt://") + host + ":" + port + " as " + thing;
        }
    }

    /** Where to connect and as whom. */
    protected final Endpoint endpoint;

    private final ReconnectBackoff backoff;
    /** Where to report what happens; set by {@link #start}. */
    protected volatile MqttTransport.Events events;

    private volatile boolean stopped;
    private volatile boolean everConnected;

    HiveMqTransport(@NotNull Endpoint endpoint, @NotNull ReconnectBackoff backoff) {
        this.endpoint = endpoint;
        this.backoff = backoff;
    }

    /** The transport for this MQTT version: not yet connected, {@link #start} connects. */
    public static @NotNull MqttTransport create(
            @NotNull MqttProtocolVersion version, @NotNull Endpoint endpoint, @NotNull ReconnectBackoff backoff) {
        return version == MqttProtocolVersion.V3_1_1
                ? new Mqtt3Transport(endpoint, backoff)
                : new Mqtt5Transport(endpoint, backoff);
    }

    /** A client builder with identity, address, TLS and the reconnect policy; the version-specific part follows. */
    protected @NotNull MqttClientBuilder clientBuilder() {
        MqttClientBuilder builder = MqttClient.builder()
                .identifier(endpoint.thing().value())
                .serverHost(endpoint.host())
                .serverPort(endpoint.port())
                .addConnectedListener(context -> onConnected())
                .addDisconnectedListener(this::onDisconnected);
        if (endpoint.tls() != null) {
            builder = builder.sslConfig(endpoint.tls());
        }
        return builder;
    }

    /** The version-specific disconnect; completes when the DISCONNECT is sent or there was no connection. */
    protected abstract @NotNull CompletableFuture<Void> disconnect();

    /**
     * Why the broker refused a connection for good (wrong id or secret, not authorized), or empty when the failure
     * may pass (server unavailable, network).
     */
    protected abstract @NotNull Optional<String> permanentRefusal(@NotNull Throwable cause);

    /**
     * Completes a subscription: each filter the broker refused (SUBACK error code) makes it a 403. Each subscription
     * brings its own message callback: the HiveMQ client ends every message flow when a session expires, and every
     * reconnect starts a new session, so a flow registered once would go quiet after the first reconnect.
     */
    protected static <C> @Nullable Void requireGranted(
            @NotNull List<String> filters, @NotNull List<C> codes, @NotNull Predicate<C> refused) {
        for (int i = 0; i < codes.size(); i++) {
            if (refused.test(codes.get(i))) {
                throw Rejections.exception(
                        Rejection.notAllowed("subscription to " + filters.get(i) + " refused: " + codes.get(i)), false);
            }
        }
        return null;
    }

    /** For a {@code handle} stage that only passes failures on. */
    protected static <T> T rethrow(@NotNull Throwable error) {
        throw error instanceof CompletionException completion ? completion : new CompletionException(error);
    }

    /** The MQTT client's own exception inside a {@link java.util.concurrent.CompletionException}. */
    protected static @NotNull Throwable unwrap(@NotNull Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
    }

    @Override
    public @NotNull CompletableFuture<Void> stop() {
        stopped = true;
        return disconnect().handle((done, error) -> null);
    }

    private void onConnected() {
        everConnected = true;
        if (stopped) {
            // A reconnect that was already under way when stop() was called.
            Async.logFailure(disconnect(), "disconnecting a reconnect that came after stop()");
            return;
        }
        log.log(System.Logger.Level.DEBUG, "connected to {0}", endpoint);
        events.connected();
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        if (stopped || context.getSource() == MqttDisconnectSource.USER) {
            context.getReconnector().reconnect(false);
            return;
        }
        Throwable cause = context.getCause();
        Optional<String> refusal = permanentRefusal(cause);
        if (refusal.isPresent() && !everConnected) {
            // A wrong secret does not become right by retrying; the device maker has to fix the configuration.
            context.getReconnector().reconnect(false);
            stopped = true;
            events.refused(new ShadowConnectException("broker at " + endpoint.host() + ":" + endpoint.port()
                    + " refused thing " + endpoint.thing() + ": " + refusal.get()));
            return;
        }
        int attempt = context.getReconnector().getAttempts() + 1;
        long delayMillis = backoff.delay(attempt).toMillis();
        context.getReconnector()
                .reconnect(true)
                .resubscribeIfSessionPresent(false)
                .resubscribeIfSessionExpired(false)
                .republishIfSessionExpired(false)
                .delay(delayMillis, TimeUnit.MILLISECONDS);
        log.log(
                System.Logger.Level.INFO,
                "{0}: {1}; retrying in {2} ms",
                endpoint,
                cause.getMessage() != null
                        ? cause.getMessage()
                        : cause.getClass().getSimpleName(),
                String.valueOf(delayMillis));
        events.disconnected(cause);
    }
}
