package io.shadowmq.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands over MQTT with a real broker loading the packaged extension, a real Redis and real clients: a household
 * member invokes an action of the washer, the washer gets the command, acknowledges it (delivered = its PUBACK),
 * reports progress and the result, and the invoker sees every state. FIFO one at a time, delivery to a thing that
 * comes online later, and the refusals of docs/protocol.md, "Commands".
 */
class CommandOverMqttIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    static final long QUIET_MILLIS = 700;

    @Test
    void aCommandInvokedByAHouseholdMemberReachesTheOnlineWasherAndTheInvokerSeesProgressAndSuccess() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "alice");
        ProvisionedThing car = platform.provision("car", "alice");
        try (TestDevice washerDevice = TestDevice.connect(platform.broker(), washer);
                TestDevice carDevice = TestDevice.connect(platform.broker(), car)) {
            washerDevice.subscribe(commands(washer, "+"));
            carDevice.subscribe(actions(washer, "+/accepted"));
            carDevice.subscribe(commands(washer, "+/state"));

            carDevice.publish(
                    actions(washer, "start"), "{\"input\":{\"program\":\"cotton\"},\"clientToken\":\"go-1\"}");
            JsonNode accepted =
                    carDevice.next(actions(washer, "start/accepted")).payload();
            String commandId = accepted.path("commandId").asText();
            assertThat(accepted.path("status").asText()).isEqualTo("queued");
            assertThat(accepted.path("clientToken").asText()).isEqualTo("go-1");

            JsonNode command = washerDevice.next(commands(washer, commandId)).payload();
            assertThat(command.path("commandId").asText()).isEqualTo(commandId);
            assertThat(command.path("action").asText()).isEqualTo("start");
            assertThat(command.path("input").path("program").asText()).isEqualTo("cotton");
            assertThat(command.path("invokedBy").asText()).isEqualTo(id(car));

            washerDevice.publish(statusTopic(washer, commandId), "{\"status\":\"running\",\"progress\":35}");
            washerDevice.publish(statusTopic(washer, commandId), "{\"status\":\"succeeded\",\"output\":{}}");

            List<String> seen = new ArrayList<>();
            JsonNode state;
            do {
                state = carDevice.next(commands(washer, commandId + "/state")).payload();
                seen.add(state.path("status").asText()
                        + (state.has("progress") ? "/" + state.path("progress").asInt() : ""));
            } while (!state.path("status").asText().equals("succeeded"));
            // delivered (the PUBACK) and the running report race; a report on a queued command counts as delivered.
            assertThat(seen)
                    .filteredOn(seenState -> !seenState.equals("delivered"))
                    .containsExactly("queued", "running/35", "succeeded");
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(state.path("commandId").asText()).isEqualTo(commandId);
            assertThat(state.path("thingId").asText()).isEqualTo(id(washer));
            assertThat(washerDevice.receivedWithin(commands(washer, commandId + "/status/rejected"), 1))
                    .isFalse();
        }
    }

    @Test
    void deliveredIsTheDevicesPubackNotTheBrokerSendingIt() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "bob");
        ProvisionedThing speaker = platform.provision("speaker", "bob");
        try (TestDevice washerDevice = TestDevice.connectWithManualAcks(platform.broker(), washer);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            washerDevice.subscribe(commands(washer, "+"));
            String commandId = invoke(speakerDevice, washer, "pause", "{}");

            washerDevice.next(commands(washer, commandId));
            // Sent, but not acknowledged: the command is still queued, however long we wait.
            await().during(Duration.ofMillis(QUIET_MILLIS))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> status(washer, commandId) == CommandStatus.QUEUED);

            assertThat(washerDevice.acknowledgeAll()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(washer, commandId) == CommandStatus.DELIVERED);
        }
    }

    @Test
    void aCommandForAnOfflineThingIsDeliveredWhenItConnectsAndSubscribes() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "carol");
        ProvisionedThing speaker = platform.provision("speaker", "carol");
        String commandId;
        try (TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            commandId = invoke(speakerDevice, washer, "start", "{\"input\":{\"program\":\"cotton\"}}");
        }
        assertThat(status(washer, commandId)).isEqualTo(CommandStatus.QUEUED);

        try (TestDevice washerDevice = TestDevice.connect(platform.broker(), washer)) {
            washerDevice.subscribe(commands(washer, "+"));
            assertThat(washerDevice
                            .next(commands(washer, commandId))
                            .payload()
                            .path("action")
                            .asText())
                    .isEqualTo("start");
            await().atMost(Duration.ofSeconds(10)).until(() -> status(washer, commandId) == CommandStatus.DELIVERED);
        }
    }

    @Test
    void commandsComeOneAtATimeInOrderTheNextOnceTheFirstIsFinal() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "dave");
        ProvisionedThing car = platform.provision("car", "dave");
        try (TestDevice washerDevice = TestDevice.connect(platform.broker(), washer);
                TestDevice carDevice = TestDevice.connect(platform.broker(), car)) {
            washerDevice.subscribe(commands(washer, "+"));
            String first = invoke(carDevice, washer, "start", "{\"input\":{\"program\":\"cotton\"}}");
            String second = invoke(carDevice, washer, "pause", "{}");

            assertThat(washerDevice
                            .next(commands(washer, first))
                            .payload()
                            .path("action")
                            .asText())
                    .isEqualTo("start");
            washerDevice.publish(statusTopic(washer, first), "{\"status\":\"running\",\"progress\":10}");
            assertThat(washerDevice.receivedWithin(commands(washer, second), QUIET_MILLIS))
                    .as("the second command while the first runs")
                    .isFalse();

            washerDevice.publish(statusTopic(washer, first), "{\"status\":\"failed\",\"reason\":\"door open\"}");
            assertThat(washerDevice
                            .next(commands(washer, second))
                            .payload()
                            .path("action")
                            .asText())
                    .isEqualTo("pause");
            assertThat(washerDevice.receivedWithin(commands(washer, first), 1))
                    .as("the first sent again")
                    .isFalse();
        }
    }

    @Test
    void aStatusForAnotherThingsCommandIsRefusedByPolicyAndForAnUnknownCommandWith404() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "erin");
        ProvisionedThing fridge = platform.provision("fridge", "erin");
        try (TestDevice washerDevice = TestDevice.connect(platform.broker(), washer);
                TestDevice fridgeDevice = TestDevice.connect(platform.broker(), fridge)) {
            washerDevice.subscribe(commands(washer, "+"));
            fridgeDevice.subscribe(commands(fridge, "#"));
            String commandId = invoke(fridgeDevice, washer, "pause", "{}");
            washerDevice.next(commands(washer, commandId));

            assertThat(fridgeDevice
                            .publishForAck(statusTopic(washer, commandId), "{\"status\":\"succeeded\"}")
                            .getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            fridgeDevice.publish(statusTopic(fridge, commandId), "{\"status\":\"succeeded\"}");
            JsonNode unknown = fridgeDevice
                    .next(commands(fridge, commandId + "/status/rejected"))
                    .payload();
            assertThat(unknown.path("code").asInt()).isEqualTo(404);

            await().atMost(Duration.ofSeconds(10)).until(() -> status(washer, commandId) == CommandStatus.DELIVERED);
        }
    }

    @Test
    void succeededAfterExpiredIsRefusedAndASecondSucceededChangesNothing() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "frank");
        try (TestDevice washerDevice = TestDevice.connect(platform.broker(), washer)) {
            washerDevice.subscribe(commands(washer, "#"));
            String expiring = invoke(washerDevice, washer, "pause", "{\"ttlSeconds\":1}");
            washerDevice.next(commands(washer, expiring));
            await().atMost(Duration.ofSeconds(15)).until(() -> status(washer, expiring) == CommandStatus.EXPIRED);

            washerDevice.publish(statusTopic(washer, expiring), "{\"status\":\"succeeded\",\"clientToken\":\"late\"}");
            JsonNode refused = washerDevice
                    .next(commands(washer, expiring + "/status/rejected"))
                    .payload();
            assertThat(refused.path("code").asInt()).isEqualTo(409);
            assertThat(refused.path("clientToken").asText()).isEqualTo("late");
            assertThat(status(washer, expiring)).isEqualTo(CommandStatus.EXPIRED);

            String done = invoke(washerDevice, washer, "pause", "{}");
            washerDevice.next(commands(washer, done));
            washerDevice.publish(statusTopic(washer, done), "{\"status\":\"succeeded\"}");
            washerDevice.publish(statusTopic(washer, done), "{\"status\":\"succeeded\"}");
            assertThat(washerDevice.receivedWithin(commands(washer, done + "/status/rejected"), QUIET_MILLIS))
                    .as("the same final state again is refused")
                    .isFalse();
            assertThat(status(washer, done)).isEqualTo(CommandStatus.SUCCEEDED);
            String state;
            do {
                state = washerDevice
                        .next(commands(washer, done + "/state"))
                        .payload()
                        .path("status")
                        .asText();
            } while (!state.equals("succeeded"));
            assertThat(washerDevice.receivedWithin(commands(washer, done + "/state"), QUIET_MILLIS))
                    .as("a state after succeeded")
                    .isFalse();
        }
    }

    @Test
    void aCriticalActionFromAThingIsRefusedWith403EvenFromTheThingItself() throws Exception {
        ProvisionedThing car = platform.provision("car", "grace");
        ProvisionedThing speaker = platform.provision("speaker", "grace");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            for (TestDevice invoker : List.of(speakerDevice, carDevice)) {
                invoker.subscribe(actions(car, "+/rejected"));
                invoker.publish(actions(car, "unlock"), "{\"clientToken\":\"open-sesame\"}");
                JsonNode rejected =
                        invoker.next(actions(car, "unlock/rejected")).payload();
                assertThat(rejected.path("code").asInt()).isEqualTo(403);
                assertThat(rejected.path("clientToken").asText()).isEqualTo("open-sesame");
            }
        }
    }

    @Test
    void theAnswerToAnInvocationGoesToTheInvokerOnlyAndTheSameClientTokenGivesTheSameCommand() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "heidi");
        ProvisionedThing car = platform.provision("car", "heidi");
        ProvisionedThing speaker = platform.provision("speaker", "heidi");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            speakerDevice.subscribe(actions(washer, "+/accepted"));
            String first =
                    invoke(carDevice, washer, "start", "{\"input\":{\"program\":\"cotton\"},\"clientToken\":\"t\"}");
            String again =
                    invoke(carDevice, washer, "start", "{\"input\":{\"program\":\"cotton\"},\"clientToken\":\"t\"}");
            String speakers = invoke(
                    speakerDevice, washer, "start", "{\"input\":{\"program\":\"cotton\"},\"clientToken\":\"t\"}");

            assertThat(again).isEqualTo(first);
            assertThat(speakers).as("another invoker's token never collides").isNotEqualTo(first);
            assertThat(speakerDevice.receivedWithin(actions(washer, "start/accepted"), QUIET_MILLIS))
                    .as("the car's answers reached the speaker")
                    .isFalse();

            carDevice.subscribe(actions(washer, "+/rejected"));
            carDevice.publish(actions(washer, "start"), "{\"input\":{\"program\":\"wool\"},\"clientToken\":\"t\"}");
            assertThat(carDevice
                            .next(actions(washer, "start/rejected"))
                            .payload()
                            .path("code")
                            .asInt())
                    .isEqualTo(409);
            carDevice.publish(actions(washer, "start"), "{\"input\":{\"program\":\"cotton\"},\"extra\":1}");
            assertThat(carDevice
                            .next(actions(washer, "start/rejected"))
                            .payload()
                            .path("code")
                            .asInt())
                    .isEqualTo(400);
            carDevice.publish(actions(washer, "fly"), "{}");
            assertThat(carDevice
                            .next(actions(washer, "fly/rejected"))
                            .payload()
                            .path("code")
                            .asInt())
                    .isEqualTo(404);
        }
    }

    @Test
    void anMqtt311ThingGetsItsCommandAndItsPubackCountsAsDelivered() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "judy");
        ProvisionedThing speaker = platform.provision("speaker", "judy");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Mqtt3AsyncClient device = clientOf(washer).useMqttVersion3().buildAsync();
        device.publishes(
                MqttGlobalPublishFilter.ALL,
                publish -> received.add(publish.getTopic().toString()));
        device.connectWith()
                .simpleAuth()
                .username(id(washer))
                .password(washer.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .get(10, TimeUnit.SECONDS);
        try (TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            device.subscribeWith()
                    .topicFilter(commands(washer, "+"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send()
                    .get(10, TimeUnit.SECONDS);
            String commandId = invoke(speakerDevice, washer, "stop", "");

            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(commands(washer, commandId));
            await().atMost(Duration.ofSeconds(10)).until(() -> status(washer, commandId) == CommandStatus.DELIVERED);
        } finally {
            device.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aThingBackWithItsPersistentSessionGetsItsCommandsWithoutSubscribingAgain() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "ivan");
        ProvisionedThing speaker = platform.provision("speaker", "ivan");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient device = clientOf(washer).useMqttVersion5().buildAsync();
        device.publishes(
                MqttGlobalPublishFilter.ALL,
                publish -> received.add(publish.getTopic().toString()));
        connectKeepingTheSession(device, washer);
        device.subscribeWith()
                .topicFilter(commands(washer, "+"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(10, TimeUnit.SECONDS);
        device.disconnect().get(10, TimeUnit.SECONDS);
        Thread.sleep(1_000); // the broker has let go of the washer: nothing routes its commands here any more

        String commandId;
        try (TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            commandId = invoke(speakerDevice, washer, "pause", "{}");
        }
        assertThat(received).isEmpty();
        connectKeepingTheSession(device, washer);
        try {
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(commands(washer, commandId));
        } finally {
            device.disconnectWith().sessionExpiryInterval(0).send().get(10, TimeUnit.SECONDS);
        }
    }

    /** A client of the thing on this test's broker, its MQTT version still to choose. */
    private static MqttClientBuilder clientOf(ProvisionedThing thing) {
        return MqttClient.builder()
                .identifier(id(thing))
                .serverHost(platform.broker().host())
                .serverPort(platform.broker().port());
    }

    private static void connectKeepingTheSession(Mqtt5AsyncClient device, ProvisionedThing thing) throws Exception {
        device.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(300)
                .simpleAuth()
                .username(id(thing))
                .password(thing.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .get(10, TimeUnit.SECONDS);
    }

    /** Invokes through {@code invoker} and returns the new command's id from the accepted answer. */
    static String invoke(TestDevice invoker, ProvisionedThing thing, String action, String payload) throws Exception {
        invoker.subscribe(actions(thing, action + "/accepted"));
        invoker.publish(actions(thing, action), payload);
        return invoker.next(actions(thing, action + "/accepted"))
                .payload()
                .path("commandId")
                .asText();
    }

    static CommandStatus status(ProvisionedThing thing, String commandId) throws Exception {
        return status(platform.store(), thing, commandId);
    }

    /** The command's status as the store has it now. */
    static CommandStatus status(ShadowStore store, ProvisionedThing thing, String commandId) throws Exception {
        Command command = store.commands()
                .get(thing.thing().thingId(), commandId)
                .toCompletableFuture()
                .get()
                .orElseThrow();
        return command.status();
    }

    static String id(ProvisionedThing thing) {
        return thing.thing().thingId().value();
    }

    static String commands(ProvisionedThing thing, String suffix) {
        return "things/" + id(thing) + "/commands/" + suffix;
    }

    static String statusTopic(ProvisionedThing thing, String commandId) {
        return commands(thing, commandId + "/status");
    }

    static String actions(ProvisionedThing thing, String suffix) {
        return "things/" + id(thing) + "/actions/" + suffix;
    }
}
