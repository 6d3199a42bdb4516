package io.shadowmq.platform;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The promise under the default settings (lease 15 s renewed every 5 s, reapers every 5 s): a broker killed with
 * {@code kill -9} has its things shown disconnected within 30 s. Slow: it waits out a real default lease.
 */
@Tag("slow")
class BrokerDeathWithDefaultLeaseIT {

    private static final Duration PROMISED = Duration.ofSeconds(30);

    @RegisterExtension
    static final BrokerDeathPlatform platform =
            new BrokerDeathPlatform(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(5));

    @Test
    void aKilledBrokersThingsAreShownDisconnectedWithinThirtySecondsUnderTheDefaults() throws Exception {
        String car = platform.provision("car", "default-lease-car");
        platform.connect(car, platform.first());
        await().atMost(Duration.ofSeconds(10)).until(() -> platform.connected(car));

        long killedAt = System.currentTimeMillis();
        platform.first().killForcibly();

        await().atMost(PROMISED).pollInterval(Duration.ofMillis(250)).until(() -> !platform.connected(car));
        long seen = System.currentTimeMillis() - killedAt;
        System.out.printf(
                "BrokerDeathWithDefaultLeaseIT: shown disconnected %d ms after kill -9 (lease 15 s, "
                        + "renewal 5 s, reapers 5 s)%n",
                seen);
        assertThat(platform.thing(car).get("lastDisconnectedAt").asLong())
                .isBetween(killedAt, System.currentTimeMillis());
    }
}
