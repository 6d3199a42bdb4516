package io.shadowmq.platform;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence survives the death of a broker: two HiveMQ brokers with the packaged extension, each in a JVM of its own,
 * and a REST service, on one Redis. A broker killed with {@code kill -9} (no DISCONNECT, no goodbye to Redis) has
 * the things it held shown disconnected, with {@code lastDisconnectedAt}, within its lease plus a reaper's interval -
 * noticed by the surviving broker or the REST service, whoever comes first - while a thing that already reconnected
 * to the surviving broker stays connected. With the survivor killed too, the REST service alone notices. A broker
 * only paused past its lease (SIGSTOP, as a long GC pause) is taken for dead, and shows its things connected again
 * when it resumes. Short leases here (3 s, renewed every second, reapers every second) keep the test short;
 * {@link BrokerDeathWithDefaultLeaseIT} kills a broker under the defaults.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the last test kills both brokers
class BrokerDeathIT {

    @RegisterExtension
    static final BrokerDeathPlatform platform =
            new BrokerDeathPlatform(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1));

    @Test
    @Order(1)
    void aBrokerPausedPastItsLeaseIsTakenForDeadAndShowsItsThingsConnectedAgainWhenItResumes() throws Exception {
        // given: a speaker connected to a broker
        String speaker = platform.provision("speaker", "paused-speaker");
        platform.connect(speaker, platform.second());
        await().atMost(Duration.ofSeconds(10)).until(() -> platform.connected(speaker));

        // when: the broker stops dead for longer than its lease (as in a long GC pause), then goes on
        platform.signal("STOP", platform.second());
        try {
            await().atMost(platform.bound())
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !platform.connected(speaker));
        } finally {
            platform.signal("CONT", platform.second());
        }

        // then: it renews its lease, finds it was lost, and shows the speaker - still connected to it - connected
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> platform.connected(speaker));
    }

    @Test
    @Order(2)
    void aKilledBrokersThingsAreShownDisconnectedWithinItsLeaseExceptOnesThatReconnectedElsewhere() throws Exception {
        // given: a car and a fridge connected to the broker about to die, a washer to the other one
        String car = platform.provision("car", "death-car");
        String fridge = platform.provision("fridge", "death-fridge");
        String washer = platform.provision("washer", "death-washer");
        platform.connect(car, platform.first());
        platform.connect(fridge, platform.first());
        platform.connect(washer, platform.second());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> platform.connected(car) && platform.connected(fridge) && platform.connected(washer));

        // when: the broker is killed outright, and the fridge reconnects to the survivor at once
        long killedAt = System.currentTimeMillis();
        platform.first().killForcibly();
        platform.connect(fridge, platform.second());

        // then: the car is shown disconnected within the bound; the fridge and the washer stay connected
        await().atMost(platform.bound()).pollInterval(Duration.ofMillis(100)).until(() -> !platform.connected(car));
        System.out.printf(
                "BrokerDeathIT: a killed broker's thing shown disconnected %d ms after kill -9 "
                        + "(lease %d s, reapers every %d s)%n",
                System.currentTimeMillis() - killedAt, platform.lease.toSeconds(), platform.reapInterval.toSeconds());
        assertThat(platform.thing(car).get("lastDisconnectedAt").asLong())
                .isBetween(killedAt, System.currentTimeMillis());
        assertThat(platform.connected(fridge))
                .as("fridge, reconnected to the surviving broker")
                .isTrue();
        assertThat(platform.connected(washer))
                .as("washer, on the surviving broker all along")
                .isTrue();

        // and when the survivor dies too, the REST service alone notices
        platform.second().killForcibly();
        await().atMost(platform.bound())
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !platform.connected(fridge) && !platform.connected(washer));
    }
}
