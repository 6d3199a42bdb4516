package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.broker.FreePort;
import io.shadowmq.extension.auth.OutOfServiceAuthenticator;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operator's story after a bad setting: {@code SHADOWMQ_IT_UPDATES_PER_SECOND=fast} in the broker's real
 * environment (set by failsafe). The start fails with an ERROR line that names the variable; the operator fixes the
 * configuration and restarts HiveMQ, and ShadowMQ serves again - no DISABLED file left behind to keep it off.
 */
class FailedStartRecoveryIT {

    private static final String VARIABLE = "SHADOWMQ_IT_UPDATES_PER_SECOND";
    private static final String PEPPER = "<pepper>integration-test-pepper</pepper>";

    @RegisterExtension
    static final EmbeddedBroker broker = EmbeddedBroker.withExtensionConfig("""
            <shadowmq>
                %s
                <shadow><updates-per-second>${%s:-20}</updates-per-second></shadow>
            </shadowmq>
            """.formatted(PEPPER, VARIABLE));

    @Test
    void aBadSettingIsNamedInTheLogAndFixingItAndRestartingBringsShadowMqBack() throws Exception {
        assumeTrue("fast".equals(System.getenv(VARIABLE)), VARIABLE + "=fast is set by failsafe");
        String configFile = broker.extensionFolder()
                .toAbsolutePath()
                .normalize()
                .resolve("conf/config.xml")
                .toString();

        assertThat(broker.log().await("ShadowMQ extension out of service"))
                .isEqualTo("ERROR "
                        + "io.shadowmq.extension.ShadowExtensionMain - ShadowMQ extension out of service: "
                        + "<shadowmq>/<shadow>/<updates-per-second> must be a whole number from 1 to 100000, is 'fast' "
                        + "(from environment variable " + VARIABLE + ") (in " + configFile + "). Fix this and restart "
                        + "HiveMQ; until then every CONNECT is refused with 0x88 server unavailable (MQTT 3.1.1: 3).");
        assertThat(ConnectAttempt.mqtt5(broker, "car-1", "car-1", "secret")
                        .getReasonString()
                        .map(Object::toString))
                .contains(OutOfServiceAuthenticator.REASON);

        broker.stop();
        Files.writeString(broker.extensionFolder().resolve("conf/config.xml"), """
                <shadowmq>
                    <redis><address>redis://127.0.0.1:%d</address><timeout-ms>500</timeout-ms></redis>
                    %s
                    <shadow><updates-per-second>20</updates-per-second></shadow>
                </shadowmq>
                """.formatted(FreePort.pick(), PEPPER));
        broker.start();

        assertThat(broker.log().await("ShadowMQ extension 0")).contains("started");
        assertThat(broker.extensionFolder().resolve("DISABLED")).doesNotExist();
        // No Redis behind it: the real authenticator answers, failing closed on the store, not out of service.
        Mqtt5ConnAck connAck = ConnectAttempt.mqtt5(broker, "car-1", "car-1", "secret");
        assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(connAck.getReasonString().map(Object::toString)).contains("credential store unavailable");
    }
}
