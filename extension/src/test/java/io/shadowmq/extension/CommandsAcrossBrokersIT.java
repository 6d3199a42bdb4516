package io.shadowmq.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.extension.harness.EmbeddedBroker;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands with two real brokers on one real Redis: the invoker and the thing on different brokers, and a broker
 * stopped between delivery and result - the command comes again with the same commandId on the next connection
 * (at least once) and ends in exactly one final state.
 */
class CommandsAcrossBrokersIT {

    @RegisterExtension
    @Order(1)
    static final ShadowPlatform platform = new ShadowPlatform();

    @RegisterExtension
    @Order(2)
    static final EmbeddedBroker second = platform.anotherBroker();

    @Test
    void theInvokerOnOneBrokerCommandsAWasherOnTheOtherAndSeesItsStates() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "alice");
        ProvisionedThing car = platform.provision("car", "alice");
        try (TestDevice washerDevice = TestDevice.connect(second, washer);
                TestDevice carDevice = TestDevice.connect(platform.broker(), car)) {
            washerDevice.subscribe(commands(washer, "+"));
            carDevice.subscribe(commands(washer, "+/state"));
            String commandId = CommandOverMqttIT.invoke(
                    carDevice, washer, "start", "{\"input\":{\"program\":\"cotton\"},\"clientToken\":\"far\"}");

            assertThat(washerDevice
                            .next(commands(washer, commandId))
                            .payload()
                            .path("action")
                            .asText())
                    .isEqualTo("start");
            washerDevice.publish(
                    CommandOverMqttIT.statusTopic(washer, commandId), "{\"status\":\"running\",\"progress\":50}");
            washerDevice.publish(CommandOverMqttIT.statusTopic(washer, commandId), "{\"status\":\"succeeded\"}");

            assertThat(statesUntilFinal(carDevice, washer, commandId))
                    .filteredOn(state -> !state.equals("delivered"))
                    .containsExactly("queued", "running", "succeeded");
        }
    }

    @Test
    void aBrokerStoppedBetweenDeliveryAndResultTheCommandComesAgainWithItsIdAndEndsOnce() throws Exception {
        ProvisionedThing washer = platform.provision("washer", "bob");
        ProvisionedThing speaker = platform.provision("speaker", "bob");
        String commandId;
        try (TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            speakerDevice.subscribe(commands(washer, "+/state"));
            try (TestDevice washerDevice = TestDevice.connect(second, washer)) {
                washerDevice.subscribe(commands(washer, "+"));
                commandId = CommandOverMqttIT.invoke(
                        speakerDevice, washer, "start", "{\"input\":{\"program\":\"cotton\"}}");
                washerDevice.next(commands(washer, commandId));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> CommandOverMqttIT.status(platform.store(), washer, commandId)
                                == CommandStatus.DELIVERED);

                second.stop(); // the washer's broker goes away before the washer reports anything
                await().atMost(Duration.ofSeconds(10)).until(() -> !washerDevice.isConnected());
            }
            second.start();

            try (TestDevice washerDevice = TestDevice.connect(second, washer)) {
                washerDevice.subscribe(commands(washer, "+"));
                JsonNode again = washerDevice.next(commands(washer, commandId)).payload();
                assertThat(again.path("commandId").asText()).isEqualTo(commandId);
                washerDevice.publish(CommandOverMqttIT.statusTopic(washer, commandId), "{\"status\":\"succeeded\"}");
                washerDevice.publish(CommandOverMqttIT.statusTopic(washer, commandId), "{\"status\":\"succeeded\"}");
                assertThat(washerDevice.receivedWithin(
                                commands(washer, commandId + "/status/rejected"), CommandOverMqttIT.QUIET_MILLIS))
                        .isFalse();
            }

            List<String> states = statesUntilFinal(speakerDevice, washer, commandId);
            assertThat(states.get(states.size() - 1)).isEqualTo("succeeded");
            assertThat(speakerDevice.receivedAnyWithin(CommandOverMqttIT.QUIET_MILLIS))
                    .as("another state after the final one")
                    .isEmpty();
            assertThat(states)
                    .filteredOn(state -> !state.equals("queued") && !state.equals("delivered"))
                    .containsExactly("succeeded");
            assertThat(CommandOverMqttIT.status(platform.store(), washer, commandId))
                    .isEqualTo(CommandStatus.SUCCEEDED);
        }
    }

    private static List<String> statesUntilFinal(TestDevice follower, ProvisionedThing thing, String commandId)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        String status;
        do {
            status = follower.next(commands(thing, commandId + "/state"))
                    .payload()
                    .path("status")
                    .asText();
            seen.add(status);
        } while (!CommandStatus.fromWireName(status).map(CommandStatus::isFinal).orElse(false));
        return seen;
    }

    private static String commands(ProvisionedThing thing, String suffix) {
        return CommandOverMqttIT.commands(thing, suffix);
    }
}
