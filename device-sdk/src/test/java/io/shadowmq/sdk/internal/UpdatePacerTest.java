package io.shadowmq.sdk.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class UpdatePacerTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstOfOneSecondsWorthGoesAtOnceThenOnePerInterval() {
        // given
        UpdatePacer pacer = new UpdatePacer(20, now::get);

        // when
        int sentAtOnce = 0;
        while (pacer.tryAcquire()) {
            sentAtOnce++;
        }

        // then
        assertThat(sentAtOnce).isEqualTo(20);
        assertThat(pacer.nanosUntilNextPermit()).isEqualTo(Duration.ofMillis(50).toNanos());
        now.addAndGet(Duration.ofMillis(50).toNanos());
        assertThat(pacer.tryAcquire()).isTrue();
        assertThat(pacer.tryAcquire()).isFalse();
    }

    @Test
    void overAnyLongStretchItStaysWithinTheBrokersBucket() {
        // given: the broker's bucket, 20/s with burst 40, fed with what the pacer lets through every millisecond
        UpdatePacer pacer = new UpdatePacer(20, now::get);
        double brokerTokens = 40;
        int refused = 0;
        int sent = 0;

        // when: a device that wants to send all the time, for 10 s
        for (int ms = 0; ms < 10_000; ms++) {
            now.addAndGet(1_000_000);
            brokerTokens = Math.min(40, brokerTokens + 20 / 1000.0);
            while (pacer.tryAcquire()) {
                sent++;
                if (brokerTokens >= 1) {
                    brokerTokens -= 1;
                } else {
                    refused++;
                }
            }
        }

        // then
        assertThat(refused).isZero();
        assertThat(sent).isBetween(200, 221);
    }

    @Test
    void afterA429ItSendsNothingForThePauseAndThenOneAtATime() {
        // given
        UpdatePacer pacer = new UpdatePacer(20, now::get);

        // when
        pacer.pause(Duration.ofSeconds(1));

        // then
        assertThat(pacer.tryAcquire()).isFalse();
        assertThat(pacer.nanosUntilNextPermit()).isEqualTo(Duration.ofSeconds(1).toNanos());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(pacer.tryAcquire()).isTrue();
    }

    @Test
    void aSlowRateStillAllowsOneUpdate() {
        UpdatePacer pacer = new UpdatePacer(0.5, now::get);

        assertThat(pacer.tryAcquire()).isTrue();
        assertThat(pacer.tryAcquire()).isFalse();
        assertThat(pacer.nanosUntilNextPermit()).isEqualTo(Duration.ofSeconds(2).toNanos());
    }
}
