package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.extension.auth.OutOfServiceAuthenticator;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.EmbeddedBroker;
import io.shadowmq.extension.shadow.ShadowMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A configuration that names an unset environment variable keeps the extension out of service: it logs one ERROR
 * line naming the variable, the file and the fix, stays loaded (HiveMQ writes no DISABLED file, which would keep
 * ShadowMQ off after the fix) and refuses every CONNECT with 0x88 server unavailable (MQTT 3.1.1: 3), so devices
 * retry instead of giving up - the broker fails closed.
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
    void extensionLogsOneErrorLineNamingTheVariableTheFileAndTheFix() {
        String line = broker.log().await("ShadowMQ extension out of service");

        assertThat(line)
                .isEqualTo("ERROR io.shadowmq.extension.ShadowExtensionMain - ShadowMQ extension out of "
                        + "service: environment variable " + UNSET + " is not set (needed by <shadowmq>/<pepper> in "
                        + configFile()
                        + "). Fix this and restart HiveMQ; until then every CONNECT is refused with 0x88 "
                        + "server unavailable (MQTT 3.1.1: 3).");
    }

    @Test
    void hiveMqKeepsTheExtensionEnabledSoTheFixAndARestartAreEnough() {
        broker.log().await("ShadowMQ extension out of service");

        assertThat(broker.extensionFolder().resolve("DISABLED")).doesNotExist();
        assertThat(broker.log().lines())
                .noneMatch(line -> line.contains("was prevented by the extension itself"))
                .noneMatch(line -> line.contains("No security extension present"))
                .noneMatch(line -> line.contains("ShadowMQ extension 0"));
    }

    @Test
    void everyMqtt5ConnectIsRefusedAsServerUnavailableAndTheLogSaysWhyAgain() throws Exception {
        long failuresBefore = authFailures();
        Mqtt5ConnAck wellFormed = ConnectAttempt.mqtt5(broker, "car-1", "car-1", "secret");
        Mqtt5ConnAck malformed = ConnectAttempt.mqtt5(broker, "bad/id", "bad/id", "secret");

        assertThat(wellFormed.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(wellFormed.getReasonString().map(Object::toString)).contains(OutOfServiceAuthenticator.REASON);
        assertThat(malformed.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(authFailures() - failuresBefore)
                .as("refused CONNECTs counted")
                .isEqualTo(2);
        assertThat(broker.log().await("refused, ShadowMQ is out of service"))
                .startsWith("ERROR io.shadowmq.extension.auth.OutOfServiceAuthenticator - CONNECT of '")
                .endsWith("refused, ShadowMQ is out of service: environment variable " + UNSET
                        + " is not set (needed by <shadowmq>/<pepper> in " + configFile() + ")");
    }

    @Test
    void everyMqtt3ConnectIsRefusedAsServerUnavailable() throws Exception {
        assertThat(ConnectAttempt.mqtt3(broker, "car-1", "car-1", "secret"))
                .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
    }

    private static long authFailures() {
        return broker.metrics().counter(ShadowMetrics.PREFIX + "auth.failures").getCount();
    }

    private static String configFile() {
        return broker.extensionFolder()
                .toAbsolutePath()
                .normalize()
                .resolve("conf/config.xml")
                .toString();
    }
}
