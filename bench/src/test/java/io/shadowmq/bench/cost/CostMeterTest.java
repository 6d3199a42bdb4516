package io.shadowmq.bench.cost;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CostMeterTest {

    @Test
    void readsUserPlusSystemTimeAfterTheCommandNameEvenWhenItHoldsSpacesAndParentheses() {
        String stat = "4242 (redis-server (x) 1) S 1 4242 4242 0 -1 4194560 1234 0 0 0 517 83 0 0 20 0 5 0 100 "
                + "100000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        assertThat(CostMeter.cpuTicksOfStat(stat)).isEqualTo(517 + 83);
    }

    @Test
    void aLineWithoutCommandNameIsRefusedNamingIt() {
        assertThatThrownBy(() -> CostMeter.cpuTicksOfStat("4242 S 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4242 S 1");
    }

    @Test
    void samplesThisJvmAndAProcessByItsId() {
        CostMeter meter = new CostMeter();

        CostSample sample = meter.sample(OptionalLong.of(ProcessHandle.current().pid()));

        assertThat(sample.jvmCpuNanos()).isPositive();
        assertThat(sample.allocatedBytes()).isPositive();
        assertThat(sample.redisCpuTicks()).isPositive(); // this JVM stands in for Redis: it has used CPU
        assertThat(meter.clockTicksPerSecond()).isPositive();
        assertThat(meter.sample(OptionalLong.empty()).redisCpuTicks()).isEqualTo(-1);
    }
}
