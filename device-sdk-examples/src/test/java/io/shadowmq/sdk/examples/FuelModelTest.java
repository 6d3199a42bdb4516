package io.shadowmq.sdk.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FuelModelTest {

    @Test
    void aParkedCarLosesALittleFuelAndTheHeaterBurnsMore() {
        double parked = FuelModel.step(62, false, Duration.ofHours(10));
        double heating = FuelModel.step(62, true, Duration.ofHours(1));

        assertThat(parked).isCloseTo(61.8, within(1e-9));
        assertThat(heating).isCloseTo(61.0, within(1e-9));
    }

    @Test
    void theTankNeverGoesBelowEmpty() {
        assertThat(FuelModel.step(0.1, true, Duration.ofDays(30))).isZero();
    }

    @Test
    void theRangeFollowsTheFuelInWholeKilometres() {
        assertThat(FuelModel.rangeKm(62)).isEqualTo(372);
        assertThat(FuelModel.rangeKm(61.99)).isEqualTo(371);
        assertThat(FuelModel.rangeKm(0)).isZero();
    }
}
