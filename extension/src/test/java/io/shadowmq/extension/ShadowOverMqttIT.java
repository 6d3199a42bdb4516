package io.shadowmq.extension;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.extension.shadow.ShadowMetrics;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * docs/protocol.md end to end: a real HiveMQ with the packaged extension, a real Redis, real MQTT 3.1.1 and 5 clients.
 */
class ShadowOverMqttIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    private static String topic(ProvisionedThing thing, String suffix) {
        return "things/" + thing.thing().thingId() + "/shadow/" + suffix;
    }

    @Test
    void aThingConnectsWithItsSecretAndIsRefusedWithAWrongOne() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        String id = car.thing().thingId().value();

        assertThat(ConnectAttempt.mqtt5(platform.broker(), id, id, car.secret()).getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(ConnectAttempt.mqtt5(platform.broker(), id, id, car.secret() + "x")
                        .getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(ConnectAttempt.mqtt3(platform.broker(), id, id, car.secret()))
                .isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        assertThat(ConnectAttempt.mqtt3(platform.broker(), id, id, "wrong"))
                .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(platform.broker()
                        .metrics()
                        .counter("com.hivemq.extensions.shadowmq.auth.failures")
                        .getCount())
                .isGreaterThanOrEqualTo(2);
        assertThat(platform.broker().log().lines()).noneMatch(line -> line.contains(car.secret()));
    }

    @Test
    void everyRefusedConnectCountsOneAuthFailureTheMalformedToo() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        String id = car.thing().thingId().value();
        long before = authFailures();

        assertThat(ConnectAttempt.mqtt5(platform.broker(), "bad/id", "bad/id", car.secret())
                        .getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(ConnectAttempt.mqtt5(platform.broker(), id, null, null).getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(ConnectAttempt.mqtt3(platform.broker(), id, id, ConnectAttempt.WRONG_SECRET))
                .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(ConnectAttempt.mqtt5(platform.broker(), id, id, car.secret()).getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);

        assertThat(authFailures() - before).isEqualTo(3);
    }

    private static long authFailures() {
        return platform.broker()
                .metrics()
                .counter(ShadowMetrics.PREFIX + "auth.failures")
                .getCount();
    }

    @Test
    void aReportIsAcceptedAndReadBackAndPresenceIsRecorded() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        try (TestDevice device = TestDevice.connect(platform.broker(), car)) {
            device.subscribe(topic(car, "#"));

            device.publish(
                    topic(car, "update"),
                    "{\"state\":{\"reported\":{\"range\":420,\"fuel\":{\"level\":55}}},\"clientToken\":\"r1\"}");
            TestDevice.Received accepted = device.next(topic(car, "update/accepted"));
            device.publish(topic(car, "get"), "{\"clientToken\":\"g1\"}");
            TestDevice.Received got = device.next(topic(car, "get/accepted"));

            assertThat(accepted.payload().get("version").asLong()).isEqualTo(1);
            assertThat(accepted.payload().get("clientToken").asText()).isEqualTo("r1");
            assertThat(accepted.payload()
                            .at("/metadata/reported/range/timestamp")
                            .isNumber())
                    .isTrue();
            assertThat(got.payload().at("/state/reported/range").asInt()).isEqualTo(420);
            assertThat(got.payload().get("clientToken").asText()).isEqualTo("g1");
            assertThat(device.next(topic(car, "update/documents"))
                            .payload()
                            .at("/current/version")
                            .asLong())
                    .isEqualTo(1);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> platform.store()
                            .presence()
                            .status(car.thing().thingId())
                            .toCompletableFuture()
                            .get()
                            .orElseThrow()
                            .connected());
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !platform.store()
                        .presence()
                        .status(car.thing().thingId())
                        .toCompletableFuture()
                        .get()
                        .orElseThrow()
                        .connected());
    }

    @Test
    void aHouseholdMemberReadsTheCarAndWritesItsDesiredStateWhichReachesTheCarAsADelta() throws Exception {
        // A household of its own: no earlier request of the household has its grants cached when the grant is made.
        ProvisionedThing car = platform.provision("car", "ivy");
        ProvisionedThing speaker = platform.provision("speaker", "ivy");
        // The car's heater is household-read: a member writes it only with a grant.
        platform.grantWrite(speaker, car, "cabin.heater.**");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            carDevice.subscribe(topic(car, "update/delta"));
            carDevice.publish(
                    topic(car, "update"),
                    "{\"state\":{\"reported\":{\"range\":300,\"cabin\":{\"heater\":{\"isOn\":false}}}}}");
            assertThat(speakerDevice.subscribe(topic(car, "+/accepted")).getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            speakerDevice.subscribe(topic(car, "+/rejected"));

            speakerDevice.publish(topic(car, "get"), "");
            assertThat(speakerDevice
                            .next(topic(car, "get/accepted"))
                            .payload()
                            .at("/state/reported/range")
                            .asInt())
                    .isEqualTo(300);

            speakerDevice.publish(
                    topic(car, "update"),
                    "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true,\"targetTemperature\":22}}}}}");
            assertThat(speakerDevice
                            .next(topic(car, "update/accepted"))
                            .payload()
                            .get("version")
                            .asLong())
                    .isEqualTo(2);
            TestDevice.Received delta = carDevice.next(topic(car, "update/delta"));
            assertThat(delta.payload().at("/state/cabin/heater/isOn").asBoolean())
                    .isTrue();
            assertThat(delta.payload()
                            .at("/state/cabin/heater/targetTemperature")
                            .asInt())
                    .isEqualTo(22);
            assertThat(delta.payload().get("version").asLong()).isEqualTo(2);

            speakerDevice.publish(topic(car, "update"), "{\"state\":{\"desired\":{\"range\":1000}}}");
            TestDevice.Received readOnly = speakerDevice.next(topic(car, "update/rejected"));
            assertThat(readOnly.payload().get("code").asInt()).isEqualTo(422);
            assertThat(readOnly.payload().get("message").asText()).startsWith("range:");

            speakerDevice.publish(topic(car, "update"), "{\"state\":{\"reported\":{\"range\":1}}}");
            assertThat(speakerDevice
                            .next(topic(car, "update/rejected"))
                            .payload()
                            .get("code")
                            .asInt())
                    .isEqualTo(403);
        }
    }

    @Test
    void aStrangerCanNeitherSubscribeToNorPublishIntoAnotherHousehold() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        ProvisionedThing stranger = platform.provision("car", "mallory");
        try (TestDevice device = TestDevice.connect(platform.broker(), stranger)) {
            assertThat(device.subscribe(topic(car, "+/accepted")).getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            assertThat(device.subscribe("things/+/shadow/#").getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            assertThat(device.subscribe("#").getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);

            assertThat(device.publishForAck(
                                    topic(car, "update"),
                                    "{\"state\":{\"desired\":{\"doors\":{\"frontLeft\":{\"isLocked\":false}}}}}")
                            .getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(device.publishForAck("some/other/topic", "x").getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(device.isConnected()).isTrue();
        }
        assertThat(platform.store()
                        .shadows()
                        .get(car.thing().thingId())
                        .toCompletableFuture()
                        .get()
                        .isOk())
                .isFalse();
    }

    @Test
    void anMqtt311StrangerIsRefusedTheSubscriptionAndItsPublishIsDroppedWithoutDisconnect() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        ProvisionedThing stranger = platform.provision("car", "mallory");
        String id = stranger.thing().thingId().value();
        Mqtt3BlockingClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(id)
                .serverHost(platform.broker().host())
                .serverPort(platform.broker().port())
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(id)
                .password(stranger.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        try {
            assertThatThrownBy(() -> client.subscribeWith()
                            .topicFilter(topic(car, "+/accepted"))
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .send())
                    .isInstanceOfSatisfying(
                            Mqtt3SubAckException.class,
                            refused -> assertThat(refused.getMqttMessage().getReturnCodes())
                                    .containsExactly(Mqtt3SubAckReturnCode.FAILURE));
            client.publishWith()
                    .topic(topic(car, "update"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"state\":{\"desired\":{\"doors\":{\"frontLeft\":{\"isLocked\":false}}}}}"
                            .getBytes(StandardCharsets.UTF_8))
                    .send();

            assertThat(client.getState().isConnected()).isTrue();
            assertThat(platform.store()
                            .shadows()
                            .get(car.thing().thingId())
                            .toCompletableFuture()
                            .get()
                            .isOk())
                    .isFalse();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void everyRejectionCodeArrivesOnTheRejectedTopic() throws Exception {
        ProvisionedThing fridge = platform.provision("fridge", "bob");
        try (TestDevice device = TestDevice.connect(platform.broker(), fridge)) {
            device.subscribe(topic(fridge, "+/rejected"));
            device.subscribe(topic(fridge, "+/accepted"));

            device.publish(topic(fridge, "get"), "{\"clientToken\":\"nothing-yet\"}");
            TestDevice.Received noShadow = device.next(topic(fridge, "get/rejected"));
            device.publish(topic(fridge, "update"), "not json");
            TestDevice.Received malformed = device.next(topic(fridge, "update/rejected"));
            device.publish(
                    topic(fridge, "update"),
                    "{\"state\":{\"desired\":{\"targetTemperature\":35}},\"clientToken\":\"t-422\"}");
            TestDevice.Received model = device.next(topic(fridge, "update/rejected"));
            device.publish(topic(fridge, "update"), "{\"state\":{\"reported\":{\"temperature\":4}}}");
            device.next(topic(fridge, "update/accepted"));
            device.publish(topic(fridge, "update"), "{\"state\":{\"reported\":{\"temperature\":5}},\"version\":7}");
            TestDevice.Received conflict = device.next(topic(fridge, "update/rejected"));
            device.publish(
                    topic(fridge, "update"), "{\"state\":{\"reported\":{\"x\":\"" + "a".repeat(70_000) + "\"}}}");
            TestDevice.Received tooLarge = device.next(topic(fridge, "update/rejected"));

            assertThat(noShadow.payload().get("code").asInt()).isEqualTo(404);
            assertThat(noShadow.payload().get("clientToken").asText()).isEqualTo("nothing-yet");
            assertThat(malformed.payload().get("code").asInt()).isEqualTo(400);
            assertThat(model.payload().get("code").asInt()).isEqualTo(422);
            assertThat(model.payload().get("message").asText()).isEqualTo("targetTemperature: 35 > maximum 8");
            assertThat(model.payload().get("clientToken").asText()).isEqualTo("t-422");
            assertThat(conflict.payload().get("code").asInt()).isEqualTo(409);
            assertThat(tooLarge.payload().get("code").asInt()).isEqualTo(413);
            assertThat(model.payload().get("timestamp").isNumber()).isTrue();
            // Counted in HiveMQ's metric registry by code, with no per-device names.
            var metrics = platform.broker().metrics();
            for (int code : new int[] {400, 404, 409, 413, 422}) {
                assertThat(metrics.counter("com.hivemq.extensions.shadowmq.requests.rejected." + code)
                                .getCount())
                        .as("rejected %d", code)
                        .isPositive();
            }
            assertThat(metrics.counter("com.hivemq.extensions.shadowmq.updates.accepted")
                            .getCount())
                    .isPositive();
            assertThat(metrics.timer("com.hivemq.extensions.shadowmq.store.latency")
                            .getCount())
                    .isPositive();
            assertThat(metrics.getNames())
                    .noneMatch(name -> name.contains(fridge.thing().thingId().value()));
        }
    }

    @Test
    void aThousandBackToBackUpdatesOfOneDeviceAreAppliedInOrder() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "carol");
        try (TestDevice device = TestDevice.connect(platform.broker(), washer)) {
            device.subscribe(topic(washer, "update/accepted"));
            device.subscribe(topic(washer, "update/rejected"));
            for (int i = 0; i < 1000; i++) {
                device.publishAsync(
                        topic(washer, "update"),
                        "{\"state\":{\"reported\":{\"remainingMinutes\":" + (i % 600) + "}},\"clientToken\":\"u" + i
                                + "\"}");
            }

            for (int i = 0; i < 1000; i++) {
                TestDevice.Received answer = device.next(topic(washer, "update/accepted"));
                assertThat(answer.payload().get("clientToken").asText()).isEqualTo("u" + i);
                assertThat(answer.payload().get("version").asLong()).isEqualTo(i + 1);
            }
            var stored = platform.store()
                    .shadows()
                    .get(washer.thing().thingId())
                    .toCompletableFuture()
                    .get()
                    .orElseThrow();
            assertThat(stored.version()).isEqualTo(1000);
            assertThat(stored.reported().get("remainingMinutes").asInt()).isEqualTo(999 % 600);
        }
    }

    @Test
    void aDeltaSetWhileTheDeviceWasOfflineIsPushedWhenItSubscribes() throws Exception {
        ProvisionedThing fridge = platform.provision("fridge", "dave");
        ProvisionedThing washer = platform.provision("washer", "dave");
        try (TestDevice fromWasher = TestDevice.connect(platform.broker(), washer)) {
            fromWasher.subscribe(topic(fridge, "update/accepted"));
            fromWasher.publish(topic(fridge, "update"), "{\"state\":{\"desired\":{\"superCool\":{\"isOn\":true}}}}");
            fromWasher.next(topic(fridge, "update/accepted"));
        }

        try (TestDevice fridgeDevice = TestDevice.connect(platform.broker(), fridge)) {
            fridgeDevice.subscribe(topic(fridge, "update/delta"));

            TestDevice.Received delta = fridgeDevice.next(topic(fridge, "update/delta"));
            assertThat(delta.payload().at("/state/superCool/isOn").asBoolean()).isTrue();
            assertThat(delta.payload().get("version").asLong()).isEqualTo(1);
        }
    }

    @Test
    void rotatingTheSecretDisconnectsTheLiveDeviceAndTheOldSecretStopsWorking() throws Exception {
        ProvisionedThing car = platform.provision("car", "erin");
        ThingId id = car.thing().thingId();
        try (TestDevice device = TestDevice.connect(platform.broker(), car)) {
            assertThat(device.isConnected()).isTrue();

            String rotated = platform.store()
                    .things()
                    .rotateSecret(id)
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS)
                    .orElseThrow()
                    .secret();

            await().atMost(Duration.ofSeconds(5)).until(() -> !device.isConnected());
            assertThat(ConnectAttempt.mqtt5(platform.broker(), id.value(), id.value(), car.secret())
                            .getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            assertThat(ConnectAttempt.mqtt5(platform.broker(), id.value(), id.value(), rotated)
                            .getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        }
    }

    @Test
    void deletingTheThingDisconnectsIt() throws Exception {
        ProvisionedThing car = platform.provision("car", "frank");
        try (TestDevice device = TestDevice.connect(platform.broker(), car)) {
            platform.store()
                    .things()
                    .deprovision(car.thing().thingId())
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(5)).until(() -> !device.isConnected());
        }
    }
}
