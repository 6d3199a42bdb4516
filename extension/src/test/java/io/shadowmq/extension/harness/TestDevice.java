package io.shadowmq.extension.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.store.registry.ProvisionedThing;
import org.jetbrains.annotations.NotNull;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT 5 device for tests: connects as a provisioned thing, publishes requests, and collects every message it
 * receives in arrival order.
 */
public final class TestDevice implements AutoCloseable {

    /** One received message. */
    public record Received(String topic, JsonNode payload) {}

    private static final long TIMEOUT_SECONDS = 10;

    private final Mqtt5AsyncClient client;
    /** One queue per topic: arrival order per topic is what the tests check. */
    private final ConcurrentMap<String, BlockingQueue<Received>> received = new ConcurrentHashMap<>();

    /** With manual acknowledgement: what arrived and was not acknowledged yet, in arrival order. */
    private final BlockingQueue<com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish> unacknowledged =
            new LinkedBlockingQueue<>();

    private TestDevice(Mqtt5AsyncClient client, boolean manualAcknowledgement) {
        this.client = client;
        client.publishes(
                com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL,
                publish -> {
                    if (manualAcknowledgement) {
                        unacknowledged.add(publish);
                    }
                    String topic = publish.getTopic().toString();
                    JsonNode payload;
                    try {
                        payload = SafeJson.read(publish.getPayloadAsBytes());
                    } catch (Exception e) {
                        payload = SafeJson.object().put("unreadable", true);
                    }
                    queue(topic).add(new Received(topic, payload));
                },
                manualAcknowledgement);
    }

    private BlockingQueue<Received> queue(String topic) {
        return received.computeIfAbsent(topic, t -> new LinkedBlockingQueue<>());
    }

    public static @NotNull TestDevice connect(@NotNull EmbeddedBroker broker, @NotNull ProvisionedThing thing)
            throws Exception {
        return connect(broker, thing, false);
    }

    /**
     * A device that acknowledges (PUBACK) nothing by itself: every QoS 1 message it receives waits for
     * {@link #acknowledgeAll()}.
     */
    public static @NotNull TestDevice connectWithManualAcks(
            @NotNull EmbeddedBroker broker, @NotNull ProvisionedThing thing) throws Exception {
        return connect(broker, thing, true);
    }

    private static TestDevice connect(EmbeddedBroker broker, ProvisionedThing thing, boolean manualAcknowledgement)
            throws Exception {
        String id = thing.thing().thingId().value();
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost(broker.host())
                .serverPort(broker.port())
                .buildAsync();
        TestDevice device = new TestDevice(client, manualAcknowledgement);
        client.connectWith()
                .cleanStart(true)
                .simpleAuth()
                .username(id)
                .password(thing.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return device;
    }

    /** The SUBACK, refused or not (the client library throws for an all-refused SUBACK; tests want to see it). */
    public @NotNull Mqtt5SubAck subscribe(@NotNull String filter) throws Exception {
        try {
            return client.subscribeWith()
                    .topicFilter(filter)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException refused) {
                return refused.getMqttMessage();
            }
            throw e;
        }
    }

    public @NotNull Mqtt5PublishResult publish(@NotNull String topic, @NotNull String payload) throws Exception {
        return client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The PUBACK of a QoS 1 publish, refused or not (the client library throws for an error code). */
    public @NotNull Mqtt5PubAck publishForAck(@NotNull String topic, @NotNull String payload) throws Exception {
        try {
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) publish(topic, payload)).getPubAck();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException refused) {
                return refused.getMqttMessage();
            }
            throw e;
        }
    }

    /** Publishes without waiting for the PUBACK (back-to-back requests). */
    public void publishAsync(@NotNull String topic, @NotNull String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /** The next message on {@code topic}, in arrival order. */
    public @NotNull Received next(@NotNull String topic) throws InterruptedException {
        Received message = queue(topic).poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError(
                    "no message on " + topic + " within " + TIMEOUT_SECONDS + " s; other topics: " + received.keySet());
        }
        return message;
    }

    /** Waits {@code millis} and answers whether anything arrived on {@code topic}. */
    public boolean receivedWithin(@NotNull String topic, long millis) throws InterruptedException {
        return queue(topic).poll(millis, TimeUnit.MILLISECONDS) != null;
    }

    /**
     * Watches every topic for {@code millis}: empty when nothing (not taken yet) arrived, else all that did.
     */
    public @NotNull java.util.List<Received> receivedAnyWithin(long millis) {
        try {
            org.awaitility.Awaitility.await()
                    .during(java.time.Duration.ofMillis(millis))
                    .atMost(java.time.Duration.ofMillis(millis + 10_000))
                    .until(() -> received.values().stream().allMatch(java.util.Collection::isEmpty));
        } catch (org.awaitility.core.ConditionTimeoutException somethingArrived) {
            // returned below
        }
        java.util.List<Received> all = new java.util.ArrayList<>();
        received.values().forEach(queue -> queue.drainTo(all));
        return all;
    }

    /** With manual acknowledgement: sends the PUBACK of everything received so far; how many. */
    public int acknowledgeAll() {
        java.util.List<com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish> pending = new java.util.ArrayList<>();
        unacknowledged.drainTo(pending);
        pending.forEach(com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish::acknowledge);
        return pending.size();
    }

    public boolean isConnected() {
        return client.getState().isConnected();
    }

    public @NotNull Mqtt5AsyncClient client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        if (client.getState().isConnected()) {
            client.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
