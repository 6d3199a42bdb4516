package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged folder in the official HiveMQ CE image, as an operator runs it. Skipped where no Docker engine runs
 * (the embedded-broker tests cover the same behaviour there).
 * <p>
 * The image ships hivemq-allow-all-extension, which lets every client in; its entrypoint deletes it only when
 * {@code HIVEMQ_ALLOW_ALL_CLIENTS} is not {@code true} (the image's default is {@code true}).
 */
@Testcontainers(disabledWithoutDocker = true)
class HiveMQCeContainerIT {

    private static final int MQTT_PORT = 1883;

    @Container
    static final GenericContainer<?> hivemq = new GenericContainer<>(DockerImageName.parse("hivemq/hivemq-ce:2025.5"))
            .withEnv("HIVEMQ_ALLOW_ALL_CLIENTS", "false")
            .withEnv("SHADOWMQ_PEPPER", "container-test-pepper")
            // Copied rather than bind-mounted, so that it also works against a remote Docker engine.
            .withCopyFileToContainer(
                    MountableFile.forHostPath(EmbeddedBroker.packagedExtensionFolder()),
                    "/opt/hivemq/extensions/shadowmq-extension")
            .withExposedPorts(MQTT_PORT)
            .waitingFor(Wait.forLogMessage(".*Started HiveMQ in.*", 1).withStartupTimeout(Duration.ofMinutes(2)));

    @Test
    void imageStartsTheExtensionAndOnlyIt() {
        String log = hivemq.getLogs();

        assertThat(log)
                .contains("Extension \"ShadowMQ Device Shadows\" version")
                .contains("started successfully")
                .doesNotContain("Allow All Extension");
    }

    @Test
    void clientIdThatIsNoThingIdIsRefused() throws Exception {
        assertThat(ConnectAttempt.mqtt5(hivemq.getHost(), hivemq.getMappedPort(MQTT_PORT), "bad/id", "bad/id", "secret")
                        .getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
    }
}
