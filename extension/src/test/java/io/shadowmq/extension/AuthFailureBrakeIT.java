package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.shadowmq.extension.harness.ConnectAttempt.WRONG_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The password-guessing brake against a real broker, with attackers and devices on different loopback source
 * addresses (127.0.0.2, 127.0.0.3, ... are all this machine on Linux): guessing in a thing's name from one address
 * never keeps that thing out from another, and a braked address is told to come back later, not that its secret is
 * wrong.
 */
class AuthFailureBrakeIT {

    private static final int FAILURE_LIMIT = 3;

    @RegisterExtension
    static final ShadowPlatform platform = ShadowPlatform.withAuthFailureBrake(FAILURE_LIMIT, 6, 2);

    @Test
    void anAttackerHammeringWrongSecretsCannotKeepTheCarOutFromItsOwnAddress() throws Exception {
        // given
        ProvisionedThing car = platform.provision("car", "brake-alice");
        String id = car.thing().thingId().value();

        // when: an attacker on 127.0.0.2 guesses far beyond the limit in the car's name, over MQTT 5 and 3.1.1
        for (int i = 0; i < 20; i++) {
            ConnectAttempt.mqtt5From("127.0.0.2", platform.broker(), id, id, WRONG_SECRET);
            ConnectAttempt.mqtt3From("127.0.0.2", platform.broker(), id, id, WRONG_SECRET);
        }

        // then: the car with its secret from 127.0.0.3 is let in over both versions
        assertThat(ConnectAttempt.mqtt5From("127.0.0.3", platform.broker(), id, id, car.secret())
                        .getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(ConnectAttempt.mqtt3From("127.0.0.3", platform.broker(), id, id, car.secret()))
                .isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
    }

    @Test
    void aBrakedAddressIsToldToRetryLaterNotThatItsSecretIsWrongAndTheBrakeLifts() throws Exception {
        // given
        ProvisionedThing washer = platform.provision("washer", "brake-bob");
        String id = washer.thing().thingId().value();
        for (int i = 0; i < FAILURE_LIMIT; i++) {
            assertThat(ConnectAttempt.mqtt5From("127.0.0.4", platform.broker(), id, id, WRONG_SECRET)
                            .getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }

        // when: the right secret from the braked address
        Mqtt5ConnAck braked = ConnectAttempt.mqtt5From("127.0.0.4", platform.broker(), id, id, washer.secret());

        // then: 0x9F with a reason (3.1.1: 3, which clients retry), and after the block the secret works again
        assertThat(braked.getReasonCode().getCode()).isEqualTo(0x9F);
        assertThat(braked.getReasonString())
                .hasValueSatisfying(reason -> assertThat(reason.toString())
                        .isEqualTo("too many failed attempts for this thing from this address, retry later"));
        assertThat(ConnectAttempt.mqtt3From("127.0.0.4", platform.broker(), id, id, washer.secret()))
                .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ConnectAttempt.mqtt5From("127.0.0.4", platform.broker(), id, id, washer.secret())
                                .getReasonCode()
                        == Mqtt5ConnAckReasonCode.SUCCESS);
    }

    @Test
    void anAddressGuessingAcrossManyThingsIsBrakedForEveryThingButOnlyThatAddress() throws Exception {
        // given
        ProvisionedThing fridge = platform.provision("fridge", "brake-carol");
        String id = fridge.thing().thingId().value();

        // when: 127.0.0.5 fails for six different thing ids, never for the fridge
        for (int i = 0; i < 6; i++) {
            ConnectAttempt.mqtt5From("127.0.0.5", platform.broker(), "guess-" + i, "guess-" + i, WRONG_SECRET);
        }

        // then
        assertThat(ConnectAttempt.mqtt5From("127.0.0.5", platform.broker(), id, id, fridge.secret())
                        .getReasonString())
                .hasValueSatisfying(reason -> assertThat(reason.toString())
                        .isEqualTo("too many failed attempts from this address, retry later"));
        assertThat(ConnectAttempt.mqtt5From("127.0.0.6", platform.broker(), id, id, fridge.secret())
                        .getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }
}
