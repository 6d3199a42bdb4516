package io.shadowmq.sdk.internal;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The transport over MQTT 5 (the default): refusals come with reason codes the SDK turns into 403s. */
final class Mqtt5Transport extends HiveMqTransport {

    private static final Set<Mqtt5ConnAckReasonCode> PERMANENT = Set.of(
            Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
            Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
            Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
            Mqtt5ConnAckReasonCode.BANNED);

    private final Mqtt5AsyncClient client;

    Mqtt5Transport(@NotNull Endpoint endpoint, @NotNull ReconnectBackoff backoff) {
        super(endpoint, backoff);
        // Credentials on the client, not on the CONNECT: the HiveMQ client's reconnects reuse the client's
        // settings, and a CONNECT without them would be refused after the first reconnect.
        this.client = clientBuilder()
                .useMqttVersion5()
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
                .cleanStart(true)
                .sessionExpiryInterval(0)
                .keepAlive(endpoint.keepAliveSeconds())
                .send();
        // A failed first attempt is reported to the disconnected listener as well; it decides about retrying.
    }

    @Override
    public @NotNull CompletableFuture<Void> subscribe(@NotNull List<String> filters) {
        if (filters.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Mqtt5Subscribe subscribe = Mqtt5Subscribe.builder()
                .addSubscriptions(filters.stream()
                        .map(filter -> Mqtt5Subscription.builder()
                                .topicFilter(filter)
                                .qos(MqttQos.AT_LEAST_ONCE)
                                .build()))
                .build();
        return client.subscribe(subscribe, this::deliver).handle((subAck, error) -> {
            // The client fails the future itself when every filter is refused, and completes it when only some are.
            Mqtt5SubAck answer = error == null
                    ? subAck
                    : unwrap(error) instanceof Mqtt5SubAckException refused ? refused.getMqttMessage() : rethrow(error);
            return requireGranted(filters, answer.getReasonCodes(), Mqtt5SubAckReasonCode::isError);
        });
    }

    private void deliver(Mqtt5Publish publish) {
        events.message(publish.getTopic().toString(), publish.getPayloadAsBytes());
    }

    @Override
    public @NotNull CompletableFuture<Void> publish(@NotNull String topic, byte @NotNull [] payload) {
        return client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send()
                .handle((result, error) -> {
                    Throwable failure =
                            error != null ? unwrap(error) : result.getError().orElse(null);
                    if (failure instanceof Mqtt5PubAckException refused) {
                        Mqtt5PubAck pubAck = refused.getMqttMessage();
                        throw Rejections.exception(
                                Rejection.notAllowed("publish to " + topic + " refused: "
                                        + pubAck.getReasonString()
                                                .map(Object::toString)
                                                .orElse(pubAck.getReasonCode().toString())),
                                false);
                    }
                    if (failure != null) {
                        throw new CompletionException(failure);
                    }
                    return null;
                });
    }

    @Override
    protected @NotNull CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }

    @Override
    protected @NotNull Optional<String> permanentRefusal(@NotNull Throwable cause) {
        if (cause instanceof Mqtt5ConnAckException refused) {
            Mqtt5ConnAck connAck = refused.getMqttMessage();
            if (PERMANENT.contains(connAck.getReasonCode())) {
                return Optional.of(connAck.getReasonCode()
                        + connAck.getReasonString().map(r -> " (" + r + ")").orElse(""));
            }
        }
        return Optional.empty();
    }
}
