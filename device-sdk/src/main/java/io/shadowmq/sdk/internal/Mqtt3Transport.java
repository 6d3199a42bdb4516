package io.shadowmq.sdk.internal;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The transport over MQTT 3.1.1, for brokers or networks that need it. MQTT 3.1.1 has no negative PUBACK: a publish
 * the broker refuses is dropped (docs/protocol.md), so such a request ends in a timeout instead of a 403.
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
        this.client = clientBuilder()
                .useMqttVersion3()
                .simpleAuth()
                .username(endpoint.thing().value())
                .password(endpoint.password())
                .applySimpleAuth()
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
        Mqtt3Subscribe subscribe = Mqtt3Subscribe.builder()
                .addSubscriptions(filters.stream()
                        .map(filter -> Mqtt3Subscription.builder()
                                .topicFilter(filter)
                                .qos(MqttQos.AT_LEAST_ONCE)
                                .build()))
                .build();
        return client.subscribe(subscribe, this::deliver).handle((subAck, error) -> {
            // The client fails the future itself when every filter is refused, and completes it when only some are.
            Mqtt3SubAck answer = error == null
                    ? subAck
                    : unwrap(error) instanceof Mqtt3SubAckException refused ? refused.getMqttMessage() : rethrow(error);
            return requireGranted(filters, answer.getReturnCodes(), Mqtt3SubAckReturnCode::isError);
        });
    }

    private void deliver(Mqtt3Publish publish) {
        events.message(publish.getTopic().toString(), publish.getPayloadAsBytes());
    }

    @Override
    public @NotNull CompletableFuture<Void> publish(@NotNull String topic, byte @NotNull [] payload) {
        return client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send()
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
