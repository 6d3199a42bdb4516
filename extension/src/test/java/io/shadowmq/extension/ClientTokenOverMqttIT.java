package io.shadowmq.extension;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clientToken belongs to the thing that sent it: the same request again is replayed, a different request under a
 * used token is refused, and two household members that pick the same token never see each other's results.
 */
class ClientTokenOverMqttIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    private static final String WOOL = "{\"state\":{\"desired\":{\"program\":\"wool\"}},\"clientToken\":\"home-1\"}";
    private static final String ECO = "{\"state\":{\"desired\":{\"program\":\"eco\"}},\"clientToken\":\"home-1\"}";

    private static String topic(ProvisionedThing thing, String suffix) {
        return "things/" + thing.thing().thingId() + "/shadow/" + suffix;
    }

    private static ShadowDocument shadowOf(ProvisionedThing thing) throws Exception {
        return platform.store()
                .shadows()
                .getLatest(thing.thing().thingId())
                .toCompletableFuture()
                .get()
                .orElseThrow();
    }

    @Test
    void twoHouseholdMembersUsingTheSameClientTokenBothHaveTheirRequestApplied() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "alice");
        ProvisionedThing car = platform.provision("car", "alice");
        ProvisionedThing speaker = platform.provision("speaker", "alice");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            carDevice.subscribe(topic(washer, "update/accepted"));
            carDevice.publish(topic(washer, "update"), WOOL);
            TestDevice.Received carAnswer = carDevice.next(topic(washer, "update/accepted"));
            // Answers go to every subscriber of the topic: the speaker listens only for its own, after the car's.
            speakerDevice.subscribe(topic(washer, "update/accepted"));
            speakerDevice.publish(topic(washer, "update"), ECO);
            TestDevice.Received speakerAnswer = speakerDevice.next(topic(washer, "update/accepted"));

            assertThat(carAnswer.payload().get("version").asLong()).isEqualTo(1);
            assertThat(speakerAnswer.payload().get("version").asLong()).isEqualTo(2);
            assertThat(speakerAnswer.payload().at("/state/desired/program").asText())
                    .isEqualTo("eco");
            assertThat(speakerAnswer.payload().get("clientToken").asText()).isEqualTo("home-1");
            assertThat(shadowOf(washer).desired().get("program").asText()).isEqualTo("eco");
            assertThat(shadowOf(washer).version()).isEqualTo(2);
        }
    }

    @Test
    void theSameRequestAgainUnderItsClientTokenGetsTheFirstResultAndIsNotAppliedTwice() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "alice");
        ProvisionedThing car = platform.provision("car", "alice");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car)) {
            carDevice.subscribe(topic(washer, "update/accepted"));
            carDevice.subscribe(topic(washer, "update/rejected"));

            carDevice.publish(topic(washer, "update"), WOOL);
            TestDevice.Received first = carDevice.next(topic(washer, "update/accepted"));
            carDevice.publish(
                    topic(washer, "update"),
                    "{\"clientToken\":\"home-1\",\"state\":{\"desired\":{\"program\":\"wool\"}}}");
            TestDevice.Received repeat = carDevice.next(topic(washer, "update/accepted"));

            assertThat(repeat.payload().get("version").asLong())
                    .isEqualTo(first.payload().get("version").asLong());
            assertThat(repeat.payload().get("clientToken").asText()).isEqualTo("home-1");
            assertThat(shadowOf(washer).version()).isEqualTo(1);
        }
    }

    @Test
    void aDifferentRequestUnderAClientTokenTheThingAlreadyUsedIsRejectedWith409AndNotApplied() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "alice");
        ProvisionedThing car = platform.provision("car", "alice");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car)) {
            carDevice.subscribe(topic(washer, "update/accepted"));
            carDevice.subscribe(topic(washer, "update/rejected"));

            carDevice.publish(topic(washer, "update"), WOOL);
            carDevice.next(topic(washer, "update/accepted"));
            carDevice.publish(topic(washer, "update"), ECO);
            TestDevice.Received refused = carDevice.next(topic(washer, "update/rejected"));

            assertThat(refused.payload().get("code").asInt()).isEqualTo(409);
            assertThat(refused.payload().get("message").asText())
                    .startsWith("clientToken home-1 was already used for a different request");
            assertThat(refused.payload().get("clientToken").asText()).isEqualTo("home-1");
            assertThat(carDevice.receivedWithin(topic(washer, "update/accepted"), 300))
                    .isFalse();
            assertThat(shadowOf(washer).desired().get("program").asText()).isEqualTo("wool");
            assertThat(shadowOf(washer).version()).isEqualTo(1);
        }
    }

    @Test
    void anMqtt311ThingReusingItsClientTokenForADifferentRequestIsRejectedWith409() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "alice");
        ProvisionedThing speaker = platform.provision("speaker", "alice");
        String id = speaker.thing().thingId().value();
        Mqtt3BlockingClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(id)
                .serverHost(platform.broker().host())
                .serverPort(platform.broker().port())
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(id)
                .password(speaker.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        try (Mqtt3BlockingClient.Mqtt3Publishes answers = client.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            client.subscribeWith()
                    .topicFilter(topic(washer, "update/accepted"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            client.subscribeWith()
                    .topicFilter(topic(washer, "update/rejected"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();

            client.publishWith()
                    .topic(topic(washer, "update"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(WOOL.getBytes(StandardCharsets.UTF_8))
                    .send();
            Mqtt3Publish first = answers.receive(10, TimeUnit.SECONDS).orElseThrow();
            client.publishWith()
                    .topic(topic(washer, "update"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(ECO.getBytes(StandardCharsets.UTF_8))
                    .send();
            Mqtt3Publish second = answers.receive(10, TimeUnit.SECONDS).orElseThrow();

            assertThat(first.getTopic().toString()).isEqualTo(topic(washer, "update/accepted"));
            assertThat(second.getTopic().toString()).isEqualTo(topic(washer, "update/rejected"));
            assertThat(SafeJson.read(second.getPayloadAsBytes()).get("code").asInt())
                    .isEqualTo(409);
            assertThat(shadowOf(washer).desired().get("program").asText()).isEqualTo("wool");
        } finally {
            client.disconnect();
        }
    }

    @Test
    void aRepeatedVersionedReportIsReplayedEvenThoughTheVersionHasMovedOn() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "alice");
        try (TestDevice washerDevice = TestDevice.connect(platform.broker(), washer)) {
            washerDevice.subscribe(topic(washer, "update/+"));
            String report = "{\"state\":{\"reported\":{\"program\":\"cotton\"}},\"version\":0,\"clientToken\":\"w-1\"}";

            washerDevice.publish(topic(washer, "update"), report);
            TestDevice.Received first = washerDevice.next(topic(washer, "update/accepted"));
            washerDevice.publish(topic(washer, "update"), report);
            TestDevice.Received repeat = washerDevice.next(topic(washer, "update/accepted"));

            assertThat(first.payload().get("version").asLong()).isEqualTo(1);
            assertThat(repeat.payload().get("version").asLong()).isEqualTo(1);
            assertThat(washerDevice.receivedWithin(topic(washer, "update/rejected"), 300))
                    .isFalse();
        }
    }
}
