package io.shadowmq.bench.cost;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CostPerRequestTest {

    @Test
    void dividesWhatTheWindowUsedByTheRequestsSentInIt() {
        // 30,000 requests; the JVM used 22.5 s of CPU, Redis 390 ticks of 10 ms (3.9 s), 750 MB were allocated.
        CostSample before = new CostSample(10_000_000_000L, 5_000_000_000L, 1_000);
        CostSample after = new CostSample(32_500_000_000L, 5_750_000_000L, 1_390);

        CostPerRequest cost = CostPerRequest.between(before, after, 30_000, 100);

        assertThat(cost.jvmMicros()).isCloseTo(750, within(1e-9));
        assertThat(cost.redisMicros()).isCloseTo(130, within(1e-9));
        assertThat(cost.allocatedKb()).isCloseTo(25, within(1e-9));
        assertThat(cost.cpuMicros()).isCloseTo(880, within(1e-9));
    }

    @Test
    void whatWasNotMeasuredStaysUnknownAndIsNotSubtracted() {
        CostPerRequest noRedis =
                CostPerRequest.between(new CostSample(0, -1, -1), new CostSample(1_000_000, -1, -1), 1, 100);

        assertThat(noRedis.redisMicros()).isNull();
        assertThat(noRedis.allocatedKb()).isNull();
        assertThat(noRedis.cpuMicros()).isEqualTo(1_000);
        CostPerRequest own = new CostPerRequest(700, 120.0, 25.0).minus(noRedis);
        assertThat(own.jvmMicros()).isEqualTo(-300);
        assertThat(own.redisMicros()).isNull();
    }

    @Test
    void theOwnCostIsTheDifferenceComponentByComponent() {
        CostPerRequest own = new CostPerRequest(740, 130.0, 25.0).minus(new CostPerRequest(560, 45.0, 18.0));

        assertThat(own.jvmMicros()).isEqualTo(180);
        assertThat(own.redisMicros()).isEqualTo(85.0);
        assertThat(own.allocatedKb()).isCloseTo(7.0, within(1e-9));
        assertThat(own.cpuMicros()).isEqualTo(265);
    }

    @Test
    void aWindowWithoutRequestsHasNoCostPerRequest() {
        assertThatThrownBy(() -> CostPerRequest.between(new CostSample(0, 0, 0), new CostSample(1, 1, 1), 0, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one request");
    }
}
