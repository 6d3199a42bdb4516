package io.shadowmq.sdk;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The transport over MQTT 3.1.1, for brokers or networks that need it. MQTT 3.1.1 has no negative PUBACK: a publish
 * the broker refuses is dropped (CONTRACT.md §3), so such a request ends in a timeout instead of a 403.
 */
final class Mqtt3Transport extends HiveMqTransport {

    private static final Set<Mqtt3ConnAckReturnCode> PERMANENT = Set.of(
            Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED,
            Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD,
            Mqtt3ConnAckReturnCode.NOT_AUTHORIZED);

    private final Mqtt3AsyncClient client;

    Mqtt3Transport(@NotNull Endpoint endpoint, @NotNull ReconnectBackoff backoff) {
        super(endpoint, backoff);
        // Credentials on the client, not on the CONNECT: the HiveMQ client's reconnects reuse the client's
        // settings, and a CONNECT without them would be refused after the first reconnect.
        this.client = clientBuilder().useMqttVersion3()
                .simpleAuth().username(endpoint.thing().value()).password(endpoint.password()).applySimpleAuth()
                .buildAsync();
    }

    @Override
    public void start(@NotNull Events events) {
        this.events = events;
        client.connectWith()
                .cleanSession(true)
                .keepAlive(endpoint.keepAliveSeconds())
                .send();
    }

    @Override
    public @NotNull CompletableFuture<Void> subscribe(@NotNull List<String> filters) {
        if (filters.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Mqtt3Subscribe subscribe = Mqtt3Subscribe.builder().addSubscriptions(filters.stream().map(filter ->
                Mqtt3Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build())).build();
        // The client fails the future itself when every filter is refused, and completes it when only some are.
        // Each subscription brings its own callback: the client ends every message flow when a session expires, and
        // every reconnect starts a new session, so a flow registered once would go quiet after the first reconnect.
        return client.subscribe(subscribe,
                publish -> events.message(publish.getTopic().toString(), publish.getPayloadAsBytes())
        ).handle((subAck, error) -> {
            error = error == null ? null : unwrap(error);
            if (error instanceof Mqtt3SubAckException refused) {
                subAck = refused.getMqttMessage();
            } else if (error != null) {
                throw new CompletionException(error);
            }
            List<Mqtt3SubAckReturnCode> codes = subAck.getReturnCodes();
            for (int i = 0; i < codes.size(); i++) {
                if (codes.get(i).isError()) {
                    throw new ShadowRejectedException(
                            Rejection.notAllowed("subscription to " + filters.get(i) + " refused"), false);
                }
            }
            return null;
        });
    }

    @Override
    public @NotNull CompletableFuture<Void> publish(@NotNull String topic, byte @NotNull [] payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                .thenApply(published -> null);
    }

    @Override
    protected @NotNull CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }

    @Override
    protected @NotNull Optional<String> permanentRefusal(@NotNull Throwable cause) {
        if (cause instanceof Mqtt3ConnAckException refused
                && PERMANENT.contains(refused.getMqttMessage().getReturnCode())) {
            return Optional.of(refused.getMqttMessage().getReturnCode().toString());
        }
        return Optional.empty();
    }
}
