package io.shadowmq.sdk;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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
        this.client = clientBuilder().useMqttVersion5().buildAsync();
    }

    @Override
    public void start(@NotNull Events events) {
        this.events = events;
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED,
                publish -> events.message(publish.getTopic().toString(), publish.getPayloadAsBytes()));
        client.connectWith()
                .cleanStart(true)
                .sessionExpiryInterval(0)
                .keepAlive(endpoint.keepAliveSeconds())
                .simpleAuth().username(endpoint.thing().value()).password(endpoint.password()).applySimpleAuth()
                .send();
        // A failed first attempt is reported to the disconnected listener as well; it decides about retrying.
    }

    @Override
    public @NotNull CompletableFuture<Void> subscribe(@NotNull List<String> filters) {
        if (filters.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Mqtt5Subscribe subscribe = Mqtt5Subscribe.builder().addSubscriptions(filters.stream().map(filter ->
                Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build())).build();
        return client.subscribe(subscribe).thenCompose(subAck -> {
            List<Mqtt5SubAckReasonCode> codes = subAck.getReasonCodes();
            for (int i = 0; i < codes.size(); i++) {
                if (codes.get(i).isError()) {
                    return CompletableFuture.failedFuture(new ShadowRejectedException(Rejection.notAllowed(
                            "subscription to " + filters.get(i) + " refused: " + codes.get(i)), false));
                }
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public @NotNull CompletableFuture<Void> publish(@NotNull String topic, byte @NotNull [] payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                .thenCompose(result -> {
                    if (result.getError().orElse(null) instanceof Mqtt5PubAckException refused) {
                        Mqtt5PubAck pubAck = refused.getMqttMessage();
                        String reason = pubAck.getReasonString().map(Object::toString).orElse(pubAck.getReasonCode().toString());
                        return CompletableFuture.failedFuture(new ShadowRejectedException(
                                Rejection.notAllowed("publish to " + topic + " refused: " + reason), false));
                    }
                    return result.getError().<CompletableFuture<Void>>map(CompletableFuture::failedFuture)
                            .orElseGet(() -> CompletableFuture.completedFuture(null));
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
                return Optional.of(connAck.getReasonCode() + connAck.getReasonString().map(r -> " (" + r + ")")
                        .orElse(""));
            }
        }
        return Optional.empty();
    }
}
