package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.broker.FreePort;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.EmbeddedBroker;
import io.shadowmq.extension.harness.LoadBalancerHealthCheck;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker that starts before Redis cannot check its shared settings yet: it says so once, refuses CONNECTs as
 * "server unavailable" (as whenever Redis is down, never as a wrong password), and serves once Redis is up and the
 * settings agree - without a restart.
 */
class SettingsCheckWaitsForRedisIT {

    private static final String PEPPER = "integration-test-pepper";

    private static int redisPort;
    private static EmbeddedBroker broker;
    private static RedisServerProcess redis;

    @BeforeAll
    static void brokerFirst() throws Exception {
        redisPort = FreePort.pick();
        broker = EmbeddedBroker.withExtensionConfig("""
                <shadowmq>
                    <redis><address>redis://127.0.0.1:%d</address><timeout-ms>500</timeout-ms></redis>
                    <pepper>%s</pepper>
                </shadowmq>
                """.formatted(redisPort, PEPPER));
        broker.beforeAll(null);
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            broker.afterAll(null);
        } finally {
            if (redis != null) {
                redis.stop();
            }
        }
    }

    @Test
    void connectsAreRefusedAsUnavailableUntilRedisIsUpAndThenServedWithoutARestart() throws Exception {
        assertThat(broker.log().await("shared settings not yet checked"))
                .contains("waiting for Redis")
                .contains("nothing is served until they are");
        Mqtt5ConnAck beforeRedis = ConnectAttempt.mqtt5(broker, "car-1", "car-1", ConnectAttempt.WRONG_SECRET);
        assertThat(beforeRedis.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);

        redis = RedisServerProcess.builder().port(redisPort).build().start();
        ProvisionedThing car;
        try (ShadowStore operator =
                ShadowStore.connect(StoreConfig.of(redis.uri(), Pepper.parse(PEPPER)), ThingModels.bundled())) {
            car = operator.things()
                    .provision(ThingId.of("car-after-redis"), "car", Owner.of("alice"))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .orElseThrow();
        }

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ConnectAttempt.mqtt5(
                                        broker,
                                        car.thing().thingId().value(),
                                        car.thing().thingId().value(),
                                        car.secret())
                                .getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS));
        assertThat(broker.log().await("ShadowMQ extension serving")).contains("agree with the platform record");
        assertThat(LoadBalancerHealthCheck.answerOf(broker))
                .as("the load-balancer example's health check passes")
                .isEqualTo(LoadBalancerHealthCheck.expected());
    }
}
