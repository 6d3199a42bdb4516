package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.broker.FreePort;
import io.shadowmq.extension.auth.OutOfServiceAuthenticator;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.EmbeddedBroker;
import io.shadowmq.extension.harness.ExtensionThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redisson YAML file is configuration like {@code conf/config.xml}: one the YAML parser cannot read leaves the
 * extension out of service, named in one ERROR line that quotes none of the file (a password may be on the bad
 * line), with nothing started - no Redisson client, no thread. Fixed, and with Redis still unreachable, the extension
 * starts (Redis may come later), answers CONNECTs 0x88 until Redis answers, and stops every thread when HiveMQ stops.
 */
class RedissonConfigFileIT {

    private static final String SECRET = "hunter2-never-logged";
    private static final Path YAML = redissonFile("""
            singleServerConfig:
              address: "redis://127.0.0.1:6379"
              password: "%s
            """.formatted(SECRET));
    private static final ExtensionThreads threads = ExtensionThreads.snapshot();

    @RegisterExtension
    static final EmbeddedBroker broker = EmbeddedBroker.withExtensionConfig("""
            <shadowmq>
                <redis><redisson-config>%s</redisson-config><timeout-ms>500</timeout-ms></redis>
                <pepper>integration-test-pepper</pepper>
            </shadowmq>
            """.formatted(YAML));

    @Test
    void aMalformedFileIsNamedAndNothingRunsUntilItIsFixedAndThenRedisMayComeLater() throws Exception {
        String line = broker.log().await("ShadowMQ extension out of service");
        assertThat(line)
                .startsWith("ERROR io.shadowmq.extension.ShadowExtensionMain - ShadowMQ extension out of "
                        + "service: <shadowmq>/<redis>/<redisson-config>: cannot read Redisson config " + YAML + ": ")
                .contains("while scanning a quoted scalar in 'string', line 3, column 13:")
                .endsWith("Fix this and restart HiveMQ; until then every CONNECT is refused with "
                        + "0x88 server unavailable (MQTT 3.1.1: 3).")
                .doesNotContain(SECRET)
                .doesNotContain("\n");
        assertThat(ConnectAttempt.mqtt5(broker, "car-1", "car-1", "secret")
                        .getReasonString()
                        .map(Object::toString))
                .contains(OutOfServiceAuthenticator.REASON);
        assertThat(broker.extensionFolder().resolve("DISABLED")).doesNotExist();
        assertThat(threads.started())
                .as("threads of a start that found its Redisson file malformed")
                .isEmpty();

        broker.stop();
        Files.writeString(YAML, """
                singleServerConfig:
                  address: "redis://127.0.0.1:%d"
                  connectTimeout: 500
                  timeout: 500
                  retryAttempts: 1
                """.formatted(FreePort.pick()));
        broker.start();

        assertThat(broker.log().await("ShadowMQ extension 0"))
                .contains("started")
                .contains("redisson-config " + YAML);
        Mqtt5ConnAck withoutRedis = ConnectAttempt.mqtt5(broker, "car-1", "car-1", "secret");
        assertThat(withoutRedis.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(withoutRedis.getReasonString().map(Object::toString)).contains("credential store unavailable");
        threads.awaitRunning("shadowmq-settings-check", "redisson-netty");

        broker.stop();

        threads.awaitNoneLeft();
    }

    private static Path redissonFile(String content) {
        try {
            Path file = Files.createTempDirectory("shadowmq-redisson-it-").resolve("redisson.yaml");
            Files.writeString(file, content);
            file.toFile().deleteOnExit();
            file.getParent().toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
