package io.shadowmq.extension;

import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.presence.BrokerLeases;
import io.shadowmq.store.presence.PresenceStatus;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker that went away without recording its devices' disconnects (it died, or Redis did not answer while it
 * stopped) corrects presence when it starts again: what its earlier runs left connected is shown disconnected, what
 * another broker node recorded is left alone. A broker that stops cleanly ends its own run itself and releases its
 * lease. On a platform of its own: restarting the broker would disturb other
 * test classes.
 */
class PresenceAfterRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    @Test
    void aRestartedBrokerMarksDisconnectedWhatItLeftConnectedAndNothingElse() throws Exception {
        // given: a car this broker recorded connected in a run that ended without its disconnect (as when the broker
        // dies), a fridge another broker node holds, and a washer connected right now
        ProvisionedThing car = platform.provision("car", "restart-presence");
        ProvisionedThing fridge = platform.provision("fridge", "restart-presence");
        ProvisionedThing washer = platform.provision("washer", "restart-presence");
        String node = Files.readString(brokerDataFolder().resolve("shadowmq-node-id"), StandardCharsets.US_ASCII)
                .strip();
        record(car, node + "/crashed-run/41");
        record(fridge, "other-node/its-run/7");
        try (TestDevice device = TestDevice.connect(platform.broker(), washer)) {
            await().atMost(WAIT).until(() -> presence(washer).connected());

            // when
            platform.broker().stop();
            platform.broker().start();
        }

        // then
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(presence(car).connected())
                    .as("car, left connected by this broker's earlier run")
                    .isFalse();
            assertThat(presence(washer).connected())
                    .as("washer, connected when the broker stopped")
                    .isFalse();
        });
        assertThat(presence(fridge).connected())
                .as("fridge, connected to another broker node")
                .isTrue();
        assertThat(platform.broker().log().lines()).anyMatch(line -> line.contains("left connected by earlier runs"));
    }

    @Test
    void aDeviceThatReconnectsAfterTheRestartIsShownConnected() throws Exception {
        // given
        ProvisionedThing speaker = platform.provision("speaker", "restart-presence");
        platform.broker().stop();
        platform.broker().start();

        // when
        try (TestDevice device = TestDevice.connect(platform.broker(), speaker)) {
            // then
            await().atMost(WAIT).until(() -> presence(speaker).connected());
        }
        await().atMost(WAIT).until(() -> !presence(speaker).connected());
    }

    @Test
    void aCleanlyStoppedBrokerMarksItsThingsDisconnectedAndReleasesItsLeaseAtOnce() throws Exception {
        // given: a device connected, and this broker's run holding its lease
        ProvisionedThing fridge = platform.provision("fridge", "restart-presence");
        String node = Files.readString(brokerDataFolder().resolve("shadowmq-node-id"), StandardCharsets.US_ASCII)
                .strip();
        String run;
        try (TestDevice device = TestDevice.connect(platform.broker(), fridge)) {
            await().atMost(WAIT).until(() -> presence(fridge).connected());
            run = await().atMost(WAIT)
                    .until(() -> runsOf(node), runs -> runs.size() == 1)
                    .iterator()
                    .next();

            // when
            platform.broker().stop();
        }

        // then: no lease left to expire, nothing for other brokers to reap
        try {
            assertThat(presence(fridge).connected()).isFalse();
            assertThat(runsOf(node)).doesNotContain(run);
            assertThat(platform.store()
                            .leases()
                            .claim(run, "test", Duration.ofSeconds(1), false)
                            .toCompletableFuture()
                            .get(5, TimeUnit.SECONDS)
                            .orElseThrow())
                    .as("the lease is gone: a reaper may claim the run")
                    .isEqualTo(BrokerLeases.Claim.CLAIMED);
        } finally {
            platform.broker().start();
        }
    }

    private static Set<String> runsOf(String node) throws Exception {
        return platform.store().leases().runs().toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow().stream()
                .filter(run -> run.startsWith(node + "/"))
                .collect(Collectors.toSet());
    }

    private static void record(ProvisionedThing thing, String session) throws Exception {
        platform.store()
                .presence()
                .connected(thing.thing().thingId(), thing.thing().owner(), session, System.currentTimeMillis())
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(presence(thing).connected()).isTrue();
    }

    private static PresenceStatus presence(ProvisionedThing thing) throws Exception {
        ThingId id = thing.thing().thingId();
        return platform.store()
                .presence()
                .status(id)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS)
                .orElseThrow();
    }

    /** HiveMQ's data folder, next to its extensions folder in the broker's home. */
    private static Path brokerDataFolder() {
        return platform.broker().extensionFolder().getParent().getParent().resolve("data");
    }
}
