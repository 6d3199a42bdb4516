package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.shadowmq.extension.harness.EmbeddedBroker;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.extension.routing.FeedMetrics;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The change feed routed, with two real HiveMQ brokers loading the packaged extension and one real Redis: a broker
 * is told only of the things it has a session or a subscription of, and the contract holds across brokers —
 * documents reach a household subscriber on the other broker, a new subscription gets the next change, a pending
 * delta waits for a thing that comes back on the other broker, a rotated secret disconnects it wherever it is.
 */
class FeedRoutingIT {

    @RegisterExtension
    @Order(1)
    static final ShadowPlatform platform = new ShadowPlatform();

    @RegisterExtension
    @Order(2)
    static final EmbeddedBroker second = platform.anotherBroker();

    private static EmbeddedBroker first() {
        return platform.broker();
    }

    private static String topic(ProvisionedThing thing, String suffix) {
        return "things/" + thing.thing().thingId() + "/shadow/" + suffix;
    }

    @Test
    void aBrokerWithNoSessionOrSubscriptionOfAThingReadsNoneOfItsChanges() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        try (TestDevice device = TestDevice.connect(first(), car)) {
            device.subscribe(topic(car, "update/delta"));
            long firstRead = entriesRead(first());
            long secondRead = entriesRead(second);

            for (int i = 1; i <= 20; i++) {
                desire(car, 16 + i % 12);
                assertThat(device.next(topic(car, "update/delta"))
                                .payload()
                                .at("/state/cabin/heater/targetTemperature")
                                .asInt())
                        .isEqualTo(16 + i % 12);
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> entriesRead(first()) - firstRead >= 20);
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> entriesRead(second) == secondRead);
        }
    }

    @Test
    void aHouseholdSubscriberOnTheOtherBrokerGetsEveryDocumentFromTheNextChangeOn() throws Exception {
        ProvisionedThing car = platform.provision("car", "bob");
        ProvisionedThing speaker = platform.provision("speaker", "bob");
        try (TestDevice carDevice = TestDevice.connect(first(), car);
                TestDevice speakerDevice = TestDevice.connect(second, speaker)) {
            // No change before the SUBACK is routed to the second broker; the next one is.
            assertThat(speakerDevice.subscribe(topic(car, "update/documents")).getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            desire(car, 18);
            carDevice.publish(topic(car, "update"), "{\"state\":{\"reported\":{\"range\":321}}}");

            assertThat(speakerDevice
                            .next(topic(car, "update/documents"))
                            .payload()
                            .at("/current/version")
                            .asLong())
                    .isEqualTo(1);
            assertThat(speakerDevice
                            .next(topic(car, "update/documents"))
                            .payload()
                            .at("/current/state/reported/range")
                            .asInt())
                    .isEqualTo(321);
        }
    }

    @Test
    void aSubackComesOnlyOnceTheBrokerIsRoutedTheThingsChanges() throws Exception {
        ProvisionedThing car = platform.provision("car", "frank");
        ProvisionedThing speaker = platform.provision("speaker", "frank");
        try (TestDevice speakerDevice = TestDevice.connect(second, speaker)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> watchers(speaker).size() == 1);
            watchers(car); // connected before Redis pauses
            // Redis holds writes back for a moment: the broker's registration is slow, as under load.
            pauseRedisWrites(Duration.ofMillis(400));

            speakerDevice.subscribe(topic(car, "update/documents"));

            assertThat(watchers(car))
                    .as("the car's watchers when the SUBACK arrived")
                    .hasSize(1);
        }
    }

    @Test
    void aBrokerStopsReadingAThingsChangesOnceItsLastSubscriberLeft() throws Exception {
        ProvisionedThing car = platform.provision("car", "carol");
        ProvisionedThing speaker = platform.provision("speaker", "carol");
        try (TestDevice speakerDevice = TestDevice.connect(second, speaker)) {
            speakerDevice.subscribe(topic(car, "update/documents"));
            assertThat(watchers(car)).hasSize(1);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> watchers(car).isEmpty() && watchers(speaker).isEmpty());
        long secondRead = entriesRead(second);

        desire(car, 19);

        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(10))
                .until(() -> entriesRead(second) == secondRead);
    }

    @Test
    void aThingBackOnTheOtherBrokerGetsTheDeltaItMissed() throws Exception {
        ProvisionedThing car = platform.provision("car", "dave");
        try (TestDevice device = TestDevice.connect(first(), car)) {
            device.subscribe(topic(car, "update/delta"));
        }
        desire(car, 22);

        try (TestDevice device = TestDevice.connect(second, car)) {
            device.subscribe(topic(car, "update/delta"));

            assertThat(device.next(topic(car, "update/delta"))
                            .payload()
                            .at("/state/cabin/heater/targetTemperature")
                            .asInt())
                    .isEqualTo(22);
        }
    }

    @Test
    void aRotatedSecretDisconnectsTheThingOnWhicheverBrokerHoldsIt() throws Exception {
        ProvisionedThing car = platform.provision("car", "erin");
        try (TestDevice device = TestDevice.connect(second, car)) {
            platform.store()
                    .things()
                    .rotateSecret(car.thing().thingId())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> !device.isConnected());
        }
    }

    private static void desire(ProvisionedThing car, int temperature) throws Exception {
        ThingId id = car.thing().thingId();
        UpdateOutcome outcome = platform.store()
                .shadows()
                .update(
                        id,
                        Requester.admin(),
                        ShadowRequests.parseUpdate(
                                        ("{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"targetTemperature\":"
                                                        + temperature + "}}}}}")
                                                .getBytes(StandardCharsets.UTF_8),
                                        ShadowLimits.DEFAULT)
                                .orElseThrow())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(UpdateOutcome.Accepted.class);
    }

    /** How many change-feed entries {@code broker} has read so far (its own gauge). */
    static long entriesRead(EmbeddedBroker broker) {
        return ((Number) broker.metrics()
                        .getGauges()
                        .get(FeedMetrics.ENTRIES_READ)
                        .getValue())
                .longValue();
    }

    /** {@code CLIENT PAUSE ms WRITE}: Redis answers reads but holds every write back for that long. */
    private static void pauseRedisWrites(Duration pause) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", platform.redis().port())) {
            String millis = Long.toString(pause.toMillis());
            String command = "*4\r\n$6\r\nCLIENT\r\n$5\r\nPAUSE\r\n$" + millis.length() + "\r\n" + millis
                    + "\r\n$5\r\nWRITE\r\n";
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[5];
            assertThat(socket.getInputStream().readNBytes(answer, 0, 5)).isEqualTo(5);
            assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
        }
    }

    /** The broker nodes in the thing's watchers set, as Redis has it. */
    private static Set<String> watchers(ProvisionedThing thing) {
        synchronized (FeedRoutingIT.class) {
            if (redis == null) {
                redis = Redisson.create(ShadowStore.redissonConfig(
                        StoreConfig.of(platform.redis().uri(), Pepper.parse(ShadowPlatform.PEPPER))));
            }
        }
        return redis.<String>getSet(RedisKeys.watchers(thing.thing().thingId()), StringCodec.INSTANCE)
                .readAll();
    }

    private static RedissonClient redis;

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.shutdown();
        }
    }
}
