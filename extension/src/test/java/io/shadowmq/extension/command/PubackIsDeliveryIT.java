package io.shadowmq.extension.command;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import io.shadowmq.broker.FreePort;
import io.shadowmq.broker.HiveMqHome;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What "delivered" can mean in HiveMQ CE 2025.5, proved with a real broker and a client that acknowledges by hand
 * (hivemq-mqtt-client {@code manualAcknowledgement}): {@code PublishService.publishToClient}'s future completes
 * {@code SUCCESSFUL} while the device has not sent its PUBACK (it completes when the message is queued for the
 * client), so it cannot tell delivery. {@link CommandAcks} - the outbound PUBLISH interceptor remembering the packet
 * identifier of a command, the PUBACK inbound interceptor matching it - reports the command exactly when the device
 * acknowledges it, and never for the PUBACK of another message that reuses the identifier.
 */
class PubackIsDeliveryIT {

    private static final String DEVICE = "washer-1";
    private static final Duration QUIET = Duration.ofMillis(700);

    private static final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
    private static final CommandAcks acks =
            new CommandAcks((thing, commandId) -> delivered.add(thing + " " + commandId));
    private static final CompletableFuture<PublishService> publishService = new CompletableFuture<>();

    private static HiveMqHome home;
    private static EmbeddedHiveMQ hivemq;
    private static int port;

    @BeforeAll
    static void startBroker() throws Exception {
        port = FreePort.pick();
        home = HiveMqHome.create(Files.createTempDirectory("shadowmq-puback-"), "127.0.0.1", port);
        home.removeExtension();
        EmbeddedExtension extension = EmbeddedExtension.builder()
                .withId("command-acks")
                .withName("command acks")
                .withVersion("1")
                .withPriority(0)
                .withStartPriority(0)
                .withExtensionMain(new AcksMain())
                .build();
        hivemq = home.start(false, Duration.ofSeconds(60), extension);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        try {
            if (hivemq != null) {
                HiveMqHome.stop(hivemq, Duration.ofSeconds(60));
            }
        } finally {
            if (home != null) {
                home.delete();
            }
        }
    }

    @Test
    void publishToClientCompletesBeforeThePubackButCommandAcksWaitsForIt() throws Exception {
        BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient device = MqttClient.builder()
                .useMqttVersion5()
                .identifier(DEVICE)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildAsync();
        device.publishes(MqttGlobalPublishFilter.ALL, received::add, true);
        device.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
        try {
            device.subscribeWith()
                    .topicFilter("things/" + DEVICE + "/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send()
                    .get(10, TimeUnit.SECONDS);

            PublishToClientResult result =
                    publishToDevice("things/" + DEVICE + "/commands/cmd-1").get(10, TimeUnit.SECONDS);
            Mqtt5Publish command = received.poll(10, TimeUnit.SECONDS);

            assertThat(result).isEqualTo(PublishToClientResult.SUCCESSFUL);
            assertThat(command).isNotNull();
            assertThat(delivered.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS))
                    .as("delivered before the device acknowledged")
                    .isNull();
            assertThat(acks.awaitingAck()).isEqualTo(1);

            command.acknowledge();
            assertThat(delivered.poll(10, TimeUnit.SECONDS)).isEqualTo(DEVICE + " cmd-1");
            assertThat(acks.awaitingAck()).isZero();

            // The next message reuses the freed packet identifier: its PUBACK acknowledges no command.
            publishToDevice("things/" + DEVICE + "/shadow/update/delta").get(10, TimeUnit.SECONDS);
            Mqtt5Publish delta = received.poll(10, TimeUnit.SECONDS);
            assertThat(delta).isNotNull();
            delta.acknowledge();
            publishToDevice("things/" + DEVICE + "/commands/cmd-2").get(10, TimeUnit.SECONDS);
            Mqtt5Publish second = received.poll(10, TimeUnit.SECONDS);
            assertThat(second).isNotNull();
            second.acknowledge();
            List<String> all = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                delivered.drainTo(all);
                return all.contains(DEVICE + " cmd-2");
            });
            await().during(QUIET).atMost(Duration.ofSeconds(10)).until(delivered::isEmpty);
            assertThat(all).containsExactly(DEVICE + " cmd-2");
            assertThat(acks.awaitingAck()).isZero();
        } finally {
            device.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    private static CompletableFuture<PublishToClientResult> publishToDevice(String topic) throws Exception {
        return publishService
                .get(10, TimeUnit.SECONDS)
                .publishToClient(
                        Builders.publish()
                                .topic(topic)
                                .qos(Qos.AT_LEAST_ONCE)
                                .payload(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)))
                                .build(),
                        DEVICE);
    }

    private static final class AcksMain implements ExtensionMain {
        @Override
        public void extensionStart(@NotNull ExtensionStartInput input, @NotNull ExtensionStartOutput output) {
            Services.initializerRegistry().setClientInitializer((initializerInput, clientContext) -> {
                clientContext.addPublishOutboundInterceptor(acks);
                clientContext.addPubackInboundInterceptor(acks);
            });
            publishService.complete(Services.publishService());
        }

        @Override
        public void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {}
    }
}
