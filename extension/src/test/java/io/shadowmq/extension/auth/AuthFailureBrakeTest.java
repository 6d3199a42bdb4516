package io.shadowmq.extension.auth;

import io.shadowmq.extension.config.AuthFailureLimit;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The brake on a clock the test moves: nothing sleeps. */
class AuthFailureBrakeTest {

    private static final AuthFailureLimit LIMIT =
            new AuthFailureLimit(3, 5, Duration.ofMinutes(1), Duration.ofMinutes(5));
    private static final ThingId CAR = ThingId.of("car-1");
    private static final ThingId WASHER = ThingId.of("washer-1");
    private static final String ATTACKER = "203.0.113.7";
    private static final String CARS_ADDRESS = "198.51.100.20";

    private final AtomicLong nanos = new AtomicLong(1);
    private final AuthFailureBrake brake = new AuthFailureBrake(LIMIT, nanos::get);

    @Test
    void failuresInAThingsNameFromOneAddressNeverKeepItOutFromAnother() {
        for (int i = 0; i < 50; i++) {
            brake.recordFailure(ATTACKER, CAR);
        }

        assertThat(brake.brakedFor(ATTACKER, CAR)).isPresent();
        assertThat(brake.brakedFor(CARS_ADDRESS, CAR)).isEmpty();
    }

    @Test
    void anAddressFailingForOneThingIsBrakedForThatThingOnly() {
        for (int i = 0; i < 3; i++) {
            assertThat(brake.brakedFor(ATTACKER, CAR)).isEmpty();
            brake.recordFailure(ATTACKER, CAR);
        }

        assertThat(brake.brakedFor(ATTACKER, CAR))
                .hasValue("too many failed attempts for this thing from this address, retry later");
        assertThat(brake.brakedFor(ATTACKER, WASHER)).isEmpty();
    }

    @Test
    void anAddressFailingForManyThingsIsBrakedForEveryThing() {
        for (int i = 0; i < 5; i++) {
            brake.recordFailure(ATTACKER, ThingId.of("thing-" + i));
        }

        assertThat(brake.brakedFor(ATTACKER, WASHER))
                .hasValue("too many failed attempts from this address, retry later");
        assertThat(brake.brakedFor(CARS_ADDRESS, WASHER)).isEmpty();
    }

    @Test
    void theBlockLiftsAfterTheBlockTime() {
        for (int i = 0; i < 3; i++) {
            brake.recordFailure(ATTACKER, CAR);
        }

        nanos.addAndGet(Duration.ofMinutes(5).minusNanos(1).toNanos());
        assertThat(brake.brakedFor(ATTACKER, CAR)).isPresent();
        nanos.addAndGet(1);
        assertThat(brake.brakedFor(ATTACKER, CAR)).isEmpty();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        brake.recordFailure(ATTACKER, CAR);
        brake.recordFailure(ATTACKER, CAR);
        nanos.addAndGet(Duration.ofMinutes(1).plusNanos(1).toNanos());

        brake.recordFailure(ATTACKER, CAR);

        assertThat(brake.brakedFor(ATTACKER, CAR)).isEmpty();
    }

    @Test
    void anIpv6AddressCountsAsItsSlash64AndAnIpv4AddressAsItself() throws Exception {
        assertThat(AuthFailureBrake.sourceOf(InetAddress.getByName("2001:db8:0:1:aaaa::1")))
                .isEqualTo(AuthFailureBrake.sourceOf(InetAddress.getByName("2001:db8:0:1:bbbb::2")))
                .isEqualTo("2001:db8:0:1::/64");
        assertThat(AuthFailureBrake.sourceOf(InetAddress.getByName("2001:db8:0:2::1")))
                .isEqualTo("2001:db8:0:2::/64");
        assertThat(AuthFailureBrake.sourceOf(InetAddress.getByName("203.0.113.7")))
                .isEqualTo("203.0.113.7");
        assertThat(AuthFailureBrake.sourceOf(InetAddress.getByName("::ffff:203.0.113.7")))
                .isEqualTo("203.0.113.7");
    }

    @Test
    void onlyTheFailureThatStartsABlockSaysSo() {
        assertThat(brake.recordFailure(ATTACKER, CAR)).isFalse();
        assertThat(brake.recordFailure(ATTACKER, CAR)).isFalse();
        assertThat(brake.recordFailure(ATTACKER, CAR)).isTrue();
    }
}
