package io.shadowmq.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.shadowmq.extension.auth.WillPolicy;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code things/T/summary/get} end to end: a real HiveMQ with the packaged extension, a real Redis and real MQTT 5
 * clients. The speaker asks for the car's summary in German; a stranger is refused by the policy.
 */
class SummaryOverMqttIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    @BeforeEach
    void serving() {
        // Started is not yet serving: the shared settings are checked against Redis first (slow on a busy machine).
        platform.broker().log().await("ShadowMQ extension serving");
    }

    private static String summary(ProvisionedThing thing, String suffix) {
        return "things/" + thing.thing().thingId() + "/summary/" + suffix;
    }

    @Test
    void theSpeakerAsksForTheCarsSummaryInGermanAndHearsIt() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        ProvisionedThing speaker = platform.provision("speaker", "alice");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            String carId = car.thing().thingId().value();
            carDevice.subscribe("things/" + carId + "/shadow/update/accepted");
            carDevice.publish(
                    "things/" + carId + "/shadow/update",
                    "{\"state\":{\"reported\":{\"range\":312,\"windows\":{\"rearLeft\":{\"isOpen\":true}}}}}");
            carDevice.next("things/" + carId + "/shadow/update/accepted");
            assertThat(speakerDevice.subscribe(summary(car, "get/accepted")).getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            speakerDevice.subscribe(summary(car, "+/rejected"));

            speakerDevice.publish(
                    summary(car, "get"), "{\"lang\":\"de\",\"timezone\":\"Europe/Berlin\",\"clientToken\":\"frag-1\"}");

            JsonNode answer = speakerDevice.next(summary(car, "get/accepted")).payload();
            assertThat(answer.get("thingId").asText()).isEqualTo(carId);
            assertThat(answer.get("lang").asText()).isEqualTo("de");
            assertThat(answer.get("clientToken").asText()).isEqualTo("frag-1");
            assertThat(answer.get("text").asText())
                    .startsWith("Dein Auto kann noch 312 Kilometer fahren. Das Fenster hinten links ist offen. Stand ")
                    .endsWith("das Auto ist online.");
            assertThat(answer.at("/facts/0/path").asText()).isEqualTo("range");
            assertThat(answer.at("/facts/0/unit").asText()).isEqualTo("km");

            speakerDevice.publish(summary(car, "get"), "{\"lang\":\"fr\",\"clientToken\":\"frag-2\"}");
            JsonNode rejected = speakerDevice.next(summary(car, "get/rejected")).payload();
            assertThat(rejected.get("code").asInt()).isEqualTo(400);
            assertThat(rejected.get("message").asText())
                    .isEqualTo("lang: 'fr' is not supported; use one of en, de, zh");
            assertThat(rejected.get("clientToken").asText()).isEqualTo("frag-2");

            // Nobody publishes an answer, not even the car itself.
            assertThat(carDevice
                            .publishForAck(summary(car, "get/accepted"), "{\"text\":\"fake\"}")
                            .getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(speakerDevice.receivedWithin(summary(car, "get/accepted"), 300))
                    .isFalse();
        }
    }

    @Test
    void nobodyPutsAnAnswerOnTheSummaryTopicsNeitherRetainedNorAsAWill() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        ProvisionedThing speaker = platform.provision("speaker", "alice");
        String carId = car.thing().thingId().value();
        Mqtt5AsyncClient withWill = MqttClient.builder()
                .useMqttVersion5()
                .identifier(carId)
                .serverHost(platform.broker().host())
                .serverPort(platform.broker().port())
                .buildAsync();
        Mqtt5ConnAck connAck;
        try {
            connAck = withWill.connectWith()
                    .simpleAuth()
                    .username(carId)
                    .password(car.secret().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .willPublish()
                    .topic(summary(car, "get/accepted"))
                    .payload("{\"text\":\"fake\"}".getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .applyWillPublish()
                    .send()
                    .get(10, TimeUnit.SECONDS);
            withWill.disconnect().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            connAck = ((Mqtt5ConnAckException) e.getCause()).getMqttMessage();
        }
        assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(connAck.getReasonString().map(Object::toString)).contains(WillPolicy.REASON);

        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car)) {
            Mqtt5PubAckReasonCode retained = carDevice
                    .client()
                    .publishWith()
                    .topic(summary(car, "get/accepted"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .payload("{\"text\":\"fake\"}".getBytes(StandardCharsets.UTF_8))
                    .send()
                    .handle((result, error) -> error instanceof Mqtt5PubAckException refused
                            ? refused.getMqttMessage().getReasonCode()
                            : ((Mqtt5PublishResult.Mqtt5Qos1Result) result)
                                    .getPubAck()
                                    .getReasonCode())
                    .get(10, TimeUnit.SECONDS);
            assertThat(retained)
                    .as("a retained publish on the answer topic")
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        }
        try (TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            speakerDevice.subscribe(summary(car, "get/accepted"));
            assertThat(speakerDevice.receivedWithin(summary(car, "get/accepted"), 500))
                    .as("nothing retained is replayed")
                    .isFalse();
        }
    }

    @Test
    void aStrangerFromAnotherHouseholdIsRefusedByThePolicy() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        ProvisionedThing stranger = platform.provision("speaker", "mallory");
        try (TestDevice device = TestDevice.connect(platform.broker(), stranger)) {
            assertThat(device.subscribe(summary(car, "get/accepted")).getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            assertThat(device.publishForAck(summary(car, "get"), "{\"lang\":\"en\"}")
                            .getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(device.isConnected()).isTrue();
        }
    }
}
