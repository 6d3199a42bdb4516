package io.shadowmq.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every request that carries a clientToken gets exactly one answer, whatever is wrong with it or with the server:
 * a real HiveMQ with the packaged extension, a real Redis, real MQTT 5 and 3.1.1 clients.
 */
class BadRequestAnswersIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    private static String topic(ProvisionedThing thing, String suffix) {
        return "things/" + thing.thing().thingId() + "/shadow/" + suffix;
    }

    private static long versionOf(ProvisionedThing thing) throws Exception {
        return platform.store()
                .shadows()
                .getLatest(thing.thing().thingId())
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .orElseThrow()
                .version();
    }

    @Test
    void anEmptyPropertyNameIsRejectedWith400NamingWhereItIs() throws Exception {
        // given
        ProvisionedThing car = platform.provision("car", "alice");
        try (TestDevice device = TestDevice.connect(platform.broker(), car)) {
            device.subscribe(topic(car, "update/+"));

            // when
            device.publish(topic(car, "update"), "{\"state\":{\"reported\":{\"\":1}},\"clientToken\":\"x\"}");

            // then
            JsonNode rejected = device.next(topic(car, "update/rejected")).payload();
            assertThat(rejected.get("code").asInt()).isEqualTo(400);
            assertThat(rejected.get("clientToken").asText()).isEqualTo("x");
            assertThat(rejected.get("message").asText()).startsWith("state.reported: '' is not a property name");
            assertThat(device.receivedWithin(topic(car, "update/rejected"), 300))
                    .isFalse();
            assertThat(device.receivedWithin(topic(car, "update/accepted"), 0)).isFalse();
        }
    }

    @Test
    void anUpdateThatChangesNothingIsRejectedAndKeepsTheVersion() throws Exception {
        // given: a shadow at version 1
        ProvisionedThing car = platform.provision("car", "alice");
        try (TestDevice device = TestDevice.connect(platform.broker(), car)) {
            device.subscribe(topic(car, "update/+"));
            device.publish(topic(car, "update"), "{\"state\":{\"reported\":{\"range\":300}},\"clientToken\":\"r1\"}");
            assertThat(device.next(topic(car, "update/accepted"))
                            .payload()
                            .get("version")
                            .asLong())
                    .isEqualTo(1);

            // when
            device.publish(topic(car, "update"), "{\"state\":{\"reported\":{}},\"clientToken\":\"r2\"}");

            // then
            JsonNode rejected = device.next(topic(car, "update/rejected")).payload();
            assertThat(rejected.get("code").asInt()).isEqualTo(400);
            assertThat(rejected.get("clientToken").asText()).isEqualTo("r2");
            assertThat(rejected.get("message").asText()).startsWith("state.reported: an empty object changes nothing");
            assertThat(versionOf(car)).isEqualTo(1);
        }
    }

    @Test
    void anMqtt311DeviceSendingAnOverlongNulGetsInvalidUtf8() throws Exception {
        // given
        ProvisionedThing car = platform.provision("car", "alice");
        String id = car.thing().thingId().value();
        Mqtt3BlockingClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(id)
                .serverHost(platform.broker().host())
                .serverPort(platform.broker().port())
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(id)
                .password(car.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        try (Mqtt3BlockingClient.Mqtt3Publishes answers = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith()
                    .topicFilter(topic(car, "update/+"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            byte[] head = "{\"state\":{\"reported\":{\"range\":\"a".getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\"}},\"clientToken\":\"u1\"}".getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[head.length + 2 + tail.length];
            System.arraycopy(head, 0, payload, 0, head.length);
            payload[head.length] = (byte) 0xC0;
            payload[head.length + 1] = (byte) 0x80;
            System.arraycopy(tail, 0, payload, head.length + 2, tail.length);

            // when
            client.publishWith()
                    .topic(topic(car, "update"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload)
                    .send();

            // then
            Optional<Mqtt3Publish> answer = answers.receive(10, TimeUnit.SECONDS);
            assertThat(answer).isPresent();
            assertThat(answer.get().getTopic().toString()).isEqualTo(topic(car, "update/rejected"));
            JsonNode rejected = SafeJson.read(answer.get().getPayloadAsBytes());
            assertThat(rejected.get("code").asInt()).isEqualTo(400);
            assertThat(rejected.get("clientToken").asText()).isEqualTo("u1");
            assertThat(rejected.get("message").asText()).startsWith("not JSON: invalid UTF-8 at byte ");
            assertThat(answers.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void anUpdateThatFailsUnexpectedlyIsAnsweredOnceWith500AndLoggedOnce() throws Exception {
        // given: a stored version at the end of the range, so computing the next one throws deep in the update
        ProvisionedThing car = platform.provision("car", "alice");
        RedissonClient redis = Redisson.create(ShadowStore.redissonConfig(
                StoreConfig.of(platform.redis().uri(), Pepper.parse(ShadowPlatform.PEPPER))));
        try {
            redis.getMap(RedisKeys.shadow(car.thing().thingId()), StringCodec.INSTANCE)
                    .fastPut("version", Long.toString(Long.MAX_VALUE));
        } finally {
            redis.shutdown();
        }
        try (TestDevice device = TestDevice.connect(platform.broker(), car)) {
            device.subscribe(topic(car, "update/+"));

            // when
            device.publish(
                    topic(car, "update"), "{\"state\":{\"reported\":{\"range\":300}},\"clientToken\":\"boom-1\"}");

            // then: one answer, generic, with the token
            JsonNode rejected = device.next(topic(car, "update/rejected")).payload();
            assertThat(rejected.get("code").asInt()).isEqualTo(500);
            assertThat(rejected.get("message").asText()).isEqualTo("internal error");
            assertThat(rejected.get("clientToken").asText()).isEqualTo("boom-1");
            assertThat(device.receivedWithin(topic(car, "update/rejected"), 300))
                    .isFalse();
            assertThat(device.receivedWithin(topic(car, "update/accepted"), 0)).isFalse();
            // and one log line naming the thing and the token
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> platform.broker().log().lines().stream().anyMatch(line -> line.contains("boom-1")));
            assertThat(platform.broker().log().lines().stream()
                            .filter(line -> line.contains("boom-1") && line.contains("failed unexpectedly")))
                    .singleElement()
                    .asString()
                    .contains(car.thing().thingId().value());
        }
    }
}
