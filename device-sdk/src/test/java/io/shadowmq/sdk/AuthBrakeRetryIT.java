package io.shadowmq.sdk;

import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.shadowmq.extension.harness.ConnectAttempt.WRONG_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device whose address is braked for too many failed attempts (someone on the same address guessed in its name)
 * is told to come back later, not that its secret is wrong: the SDK keeps retrying with its backoff and connects
 * once the brake lifts, where it used to give up as if its secret were wrong.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthBrakeRetryIT {

    private static final int FAILURE_LIMIT = 3;

    @RegisterExtension
    static final ShadowPlatform platform = ShadowPlatform.withAuthFailureBrake(FAILURE_LIMIT, 100, 2);

    private final List<ShadowClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(ShadowClient::close);
    }

    @ParameterizedTest
    @EnumSource(MqttProtocolVersion.class)
    void aDeviceRefusedByTheBrakeRetriesAndConnectsOnceItLifts(MqttProtocolVersion version) throws Exception {
        // given: wrong secrets for the car from the address the car connects from (127.0.0.1) brake that address
        ProvisionedThing carThing = platform.provision("car", "brake-retry-household");
        String id = carThing.thing().thingId().value();
        for (int i = 0; i < FAILURE_LIMIT; i++) {
            ConnectAttempt.mqtt5(platform.broker(), id, id, WRONG_SECRET);
        }

        // when: the car connects with its right secret
        List<Throwable> refusals = new CopyOnWriteArrayList<>();
        ShadowClient car = ShadowClient.builder()
                .host(platform.broker().host())
                .port(platform.broker().port())
                .thing(id)
                .secret(carThing.secret())
                .type(carThing.thing().type())
                .mqttVersion(version)
                .reconnectDelay(Duration.ofMillis(200), Duration.ofMillis(800))
                .build();
        clients.add(car);
        car.onConnection(new ConnectionListener() {
            @Override
            public void onDisconnected(Throwable cause) {
                refusals.add(cause);
            }
        });

        // then: it was refused at first, kept trying, and is connected after the 2 s block
        car.connect().orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(car.isConnected()).isTrue();
        assertThat(refusals).isNotEmpty();
        assertThat(refusals.get(0))
                .hasMessageContaining(
                        version == MqttProtocolVersion.V5 ? "CONNECTION_RATE_EXCEEDED" : "SERVER_UNAVAILABLE");
    }
}
