package io.shadowmq.bench.report;

import io.shadowmq.bench.scenario.IdleBench;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The 10,000-thing storm is judged on what the idle fleet's first connect measured, never on a projection. */
class StormRowsTest {

    @Test
    void aStormWithRefusalsMissesEvenWhenFast() {
        IdleBench.Result idle = idle(10_000, 2_639, 9.13);

        ScenarioRow row = Rows.stormAtScale(idle);

        assertThat(Rows.isStormAtScale(idle)).isTrue();
        assertThat(row.throughput()).isEqualTo("7,361 of 10,000 in 9.13 s, 2,639 refused");
        assertThat(row.goalMet()).isFalse();
    }

    @Test
    void everyThingInWithinTenSecondsMeetsTheGoal() {
        assertThat(Rows.stormAtScale(idle(10_000, 0, 8.5)).goalMet()).isTrue();
        assertThat(Rows.stormAtScale(idle(10_000, 0, 10.5)).goalMet()).isFalse();
    }

    @Test
    void aSmallIdleFleetLeavesTheGoalToTheProjection() {
        assertThat(Rows.isStormAtScale(idle(20, 0, 0.1))).isFalse();
    }

    private static IdleBench.Result idle(int things, int refused, double seconds) {
        return new IdleBench.Result(things, things, refused, seconds, 6_600, 6_000, 100L << 20, 6L << 30);
    }
}
