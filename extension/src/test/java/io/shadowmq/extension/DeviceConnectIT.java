package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real HiveMQ CE loads the packaged extension folder and the extension decides CONNECTs. No Redis runs where this
 * broker's extension looks for it, so a well-formed CONNECT is answered "server unavailable" (fail closed): never
 * let in, never told its secret is wrong.
 */
class DeviceConnectIT {

    private static final String VERSION = System.getProperty("shadowmq.extension.version", "0.1.0-SNAPSHOT");
    private static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I";

    @RegisterExtension
    static final EmbeddedBroker broker = EmbeddedBroker.withExtensionConfig("""
            <shadowmq>
                <pepper>${SHADOWMQ_IT_PEPPER:-integration-test-pepper}</pepper>
                <redis><timeout-ms>1500</timeout-ms></redis>
            </shadowmq>
            """);

    @Test
    void hiveMqStartsTheExtensionFromThePackagedFolder() {
        assertThat(broker.log().await("started successfully"))
                .contains("Extension \"ShadowMQ Device Shadows\" version " + VERSION + " started successfully.");
        assertThat(broker.log().await("ShadowMQ extension"))
                .startsWith("INFO io.shadowmq.extension.ShadowExtensionMain - ShadowMQ extension " + VERSION
                        + " started: redis redis://127.0.0.1:6379, store timeout 1500 ms")
                .contains("thing models bundled (car, fridge, speaker, washer)");
    }

    @Test
    void brokerRunsOnTheNetty42OfTheTestClasspath() {
        // CE 2025.5 is built against Netty 4.1; the netty-bom makes it run on 4.2 here (Redisson 4 needs 4.2).
        // Every other test in this class is the proof that it works; this one notices if the premise changes.
        assertThat(io.netty.util.Version.identify().get("netty-transport").artifactVersion())
                .startsWith("4.2.");
        assertThat(broker.log().await("Started TCP Listener")).contains("127.0.0.1");
    }

    @Test
    void mqtt5ClientIdThatIsNoThingIdIsRefusedAsClientIdentifierNotValid() throws Exception {
        Mqtt5ConnAck connAck = ConnectAttempt.mqtt5(broker, "bad/id", "bad/id", SECRET);

        assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(connAck.getReasonCode().getCode()).isEqualTo(0x85);
        assertThat(connAck.getReasonString())
                .hasValueSatisfying(reason -> assertThat(reason.toString())
                        .isEqualTo("client identifier must be the thing id: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    }

    @Test
    void mqtt5UserNameOtherThanTheClientIdIsRefusedAsBadUserNameOrPassword() throws Exception {
        Mqtt5ConnAck connAck = ConnectAttempt.mqtt5(broker, "car-1", "car-2", SECRET);

        assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(connAck.getReasonCode().getCode()).isEqualTo(0x86);
    }

    @Test
    void mqtt5ConnectWithoutCredentialsIsRefusedAsBadUserNameOrPassword() throws Exception {
        Mqtt5ConnAck connAck = ConnectAttempt.mqtt5(broker, "car-1", null, null);

        assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void mqtt5WellFormedConnectIsRefusedAsServerUnavailableWhileRedisIsUnreachable() throws Exception {
        Mqtt5ConnAck connAck = ConnectAttempt.mqtt5(broker, "car-1", "car-1", SECRET);

        assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(connAck.getReasonString())
                .hasValueSatisfying(reason -> assertThat(reason.toString()).isEqualTo("credential store unavailable"));
    }

    @Test
    void mqtt3ClientIdThatIsNoThingIdIsRefusedAsIdentifierRejected() throws Exception {
        assertThat(ConnectAttempt.mqtt3(broker, "bad/id", "bad/id", SECRET))
                .isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED);
    }

    @Test
    void mqtt3UserNameOtherThanTheClientIdIsRefusedAsBadUserNameOrPassword() throws Exception {
        assertThat(ConnectAttempt.mqtt3(broker, "car-1", "car-2", SECRET))
                .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void mqtt3WellFormedConnectIsRefusedAsServerUnavailableWhileRedisIsUnreachable() throws Exception {
        assertThat(ConnectAttempt.mqtt3(broker, "car-1", "car-1", SECRET))
                .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
    }
}
