package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.EmbeddedBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A configuration that names an unset environment variable keeps the extension from starting: it logs one ERROR
 * line naming the variable and the file, HiveMQ disables it and runs on without it. With no authenticator registered,
 * HiveMQ CE refuses every CONNECT with "not authorized" (0x87; MQTT 3.1.1: 5) - the broker fails closed.
 */
class MissingEnvironmentVariableIT {

    private static final String UNSET = "SHADOWMQ_IT_SURELY_UNSET_PEPPER";

    @RegisterExtension
    static final EmbeddedBroker broker = EmbeddedBroker.withExtensionConfig("""
            <shadowmq>
                <pepper>${%s}</pepper>
            </shadowmq>
            """.formatted(UNSET));

    @BeforeAll
    static void variableIsReallyUnset() {
        assumeTrue(System.getenv(UNSET) == null, UNSET + " is set in this environment");
    }

    @Test
    void extensionLogsOneErrorLineNamingTheVariableAndTheFile() {
        String line = broker.log().await("ShadowMQ extension not started");

        assertThat(line).isEqualTo("ERROR io.shadowmq.extension.ShadowExtensionMain - ShadowMQ extension not started: "
                + "environment variable " + UNSET + " is not set (needed by <shadowmq>/<pepper> in " + configFile()
                + ")");
    }

    @Test
    void hiveMqDisablesTheExtensionWithTheSameReasonAndWarnsThatNobodyCanConnect() {
        assertThat(broker.log().await("was prevented by the extension itself"))
                .isEqualTo("INFO com.hivemq.extensions.HiveMQExtensions - Startup of extension with id "
                        + "\"shadowmq-extension\" was prevented by the extension itself, reason: environment variable "
                        + UNSET + " is not set (needed by <shadowmq>/<pepper> in " + configFile()
                        + "). Extension will be disabled.");
        assertThat(broker.log().await("No security extension present"))
                .startsWith("WARN com.hivemq.extensions.services.auth.AuthenticatorsImpl")
                .contains("MQTT clients can not connect to this broker");
    }

    @Test
    void extensionNeverReportsAStart() {
        broker.log().await("was prevented by the extension itself");

        assertThat(broker.log().lines())
                .noneMatch(line -> line.contains("started successfully"))
                .noneMatch(line -> line.contains("ShadowMQ extension 0"));
    }

    @Test
    void withoutTheExtensionEveryMqtt5ConnectIsRefusedAsNotAuthorized() throws Exception {
        Mqtt5ConnAck wellFormed = ConnectAttempt.mqtt5(broker, "car-1", "car-1", "secret");
        Mqtt5ConnAck malformed = ConnectAttempt.mqtt5(broker, "bad/id", "bad/id", "secret");

        assertThat(wellFormed.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(wellFormed.getReasonString()).hasValueSatisfying(reason ->
                assertThat(reason.toString()).isEqualTo("Authentication failed, no authenticator registered"));
        assertThat(malformed.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void withoutTheExtensionEveryMqtt3ConnectIsRefusedAsNotAuthorized() throws Exception {
        assertThat(ConnectAttempt.mqtt3(broker, "car-1", "car-1", "secret"))
                .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED);
    }

    private static String configFile() {
        return broker.extensionFolder().toAbsolutePath().normalize().resolve("conf/config.xml").toString();
    }
}
