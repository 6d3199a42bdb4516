package io.shadowmq.sdk.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FridgeThermalModelTest {

    @Test
    void theTemperatureConvergesToTheTarget() {
        FridgeState fridge = new FridgeState(8, 4, false, false);

        FridgeState later = FridgeThermalModel.step(fridge, Duration.ofHours(3));

        assertThat(later.temperature()).isCloseTo(4, within(0.01));
        assertThat(FridgeThermalModel.step(fridge, Duration.ofMinutes(15)).temperature())
                .isCloseTo(4 + 4 / Math.E, within(1e-9));
    }

    @Test
    void superCoolDrivesItLowerThanTheTarget() {
        FridgeState fridge = new FridgeState(4, 4, true, false);

        FridgeState later = FridgeThermalModel.step(fridge, Duration.ofHours(3));

        assertThat(later.temperature()).isCloseTo(1, within(0.01));
    }

    @Test
    void anOpenDoorLetsItWarmTowardsTheKitchen() {
        FridgeState open = new FridgeState(4, 4, false, true);

        FridgeState later = FridgeThermalModel.step(open, Duration.ofMinutes(10));

        assertThat(later.temperature()).isCloseTo(21 - 17 / Math.E, within(1e-9));
    }
}
