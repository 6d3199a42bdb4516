package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.broker.FreePort;
import io.shadowmq.extension.auth.OutOfServiceAuthenticator;
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

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's story of a broker added to a running installation with settings that differ from the others': the
 * REST service that runs already recorded its pepper and partition count in Redis. A broker with another partition
 * count, then one with another pepper, stays out of service with one ERROR line naming the setting (never a
 * pepper), refuses CONNECTs with 0x88 and leaves no DISABLED file, so fixing the setting and restarting HiveMQ is all
 * it takes (a broker whose settings agree serves: SettingsCheckWaitsForRedisIT).
 */
class SharedSettingsIT {

    private static final String PEPPER = "the-installation's-pepper";
    private static final String OTHER_PEPPER = "a-pepper-only-this-broker-has";

    private static RedisServerProcess redis;
    private static ShadowStore runningNode;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void runningInstallationAndANewBroker() throws Exception {
        redis = RedisServerProcess.builder().port(FreePort.pick()).build().start();
        runningNode = ShadowStore.connect(StoreConfig.of(redis.uri(), Pepper.parse(PEPPER)), ThingModels.bundled());
        runningNode
                .platform()
                .check()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .orElseThrow();
        broker = EmbeddedBroker.withExtensionConfig(config(PEPPER, 4));
        broker.beforeAll(null);
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            if (broker != null) {
                broker.afterAll(null);
            }
        } finally {
            if (runningNode != null) {
                runningNode.close();
            }
            if (redis != null) {
                redis.stop();
            }
        }
    }

    @Test
    void aBrokerWhoseSharedSettingsDifferStaysOutOfServiceNamingTheSettingUntilFixedAndRestarted() throws Exception {
        ProvisionedThing car = runningNode
                .things()
                .provision(ThingId.of("car-shared-settings"), "car", Owner.of("alice"))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .orElseThrow();

        assertThat(broker.log().await("ShadowMQ extension out of service: <shadowmq>/<feed>"))
                .isEqualTo("ERROR "
                        + "io.shadowmq.extension.ShadowExtensionMain - ShadowMQ extension out of service: "
                        + "<shadowmq>/<feed>/<partitions> "
                        + "(usually ${SHADOWMQ_FEED_PARTITIONS}) is 4 on this node but 8 on the running platform (Redis key "
                        + "smq:platform): set 8 on every broker and REST service; to change it, stop them all, delete that key "
                        + "and start them with the new value. Fix this and restart HiveMQ; until then every CONNECT is refused "
                        + "with 0x88 server unavailable (MQTT 3.1.1: 3).");
        Mqtt5ConnAck refused = ConnectAttempt.mqtt5(
                broker, car.thing().thingId().value(), car.thing().thingId().value(), car.secret());
        assertThat(refused.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(refused.getReasonString().map(Object::toString)).contains(OutOfServiceAuthenticator.REASON);
        assertThat(broker.extensionFolder().resolve("DISABLED")).doesNotExist();
        assertThat(LoadBalancerHealthCheck.answerOf(broker))
                .as("CONNACK 3: the load-balancer example takes it out")
                .isEqualTo("20020003")
                .isNotEqualTo(LoadBalancerHealthCheck.expected());

        restartWith(config(OTHER_PEPPER, 8));
        String pepperLine = broker.log().await("ShadowMQ extension out of service: <shadowmq>/<pepper>");
        assertThat(pepperLine)
                .startsWith("ERROR io.shadowmq.extension.ShadowExtensionMain - ShadowMQ extension out "
                        + "of service: <shadowmq>/<pepper> (usually ${SHADOWMQ_PEPPER}) differs from the pepper of the running "
                        + "platform")
                .doesNotContain(PEPPER)
                .doesNotContain(OTHER_PEPPER);
        assertThat(ConnectAttempt.mqtt5(
                                broker,
                                car.thing().thingId().value(),
                                car.thing().thingId().value(),
                                car.secret())
                        .getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(broker.log().lines()).noneMatch(line -> line.contains(OTHER_PEPPER) || line.contains(PEPPER));
        assertThat(broker.extensionFolder().resolve("DISABLED")).doesNotExist();
    }

    private static void restartWith(String configXml) throws Exception {
        broker.stop();
        Files.writeString(broker.extensionFolder().resolve("conf/config.xml"), configXml);
        broker.start();
    }

    private static String config(String pepper, int partitions) {
        return """
                <shadowmq>
                    <redis><address>%s</address><timeout-ms>1000</timeout-ms></redis>
                    <pepper>%s</pepper>
                    <feed><partitions>%d</partitions></feed>
                </shadowmq>
                """.formatted(redis.uri(), pepper, partitions);
    }
}
