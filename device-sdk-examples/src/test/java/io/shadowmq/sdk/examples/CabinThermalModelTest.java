package io.shadowmq.sdk.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CabinThermalModelTest {

    @Test
    void withTheHeaterOnTheCabinWarmsStepByStepUpToTheTargetAndStaysThere() {
        // given: a cold car, heater switched on
        CabinState cabin = new CabinState(-2, -2, true, 21);
        double previous = cabin.temperature();

        // when / then
        for (int minute = 1; minute <= 30; minute++) {
            cabin = CabinThermalModel.step(cabin, Duration.ofMinutes(1));
            assertThat(cabin.temperature()).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(21);
            previous = cabin.temperature();
        }
        assertThat(cabin.temperature()).isEqualTo(21);
    }

    @Test
    void theResultDoesNotDependOnHowTimeIsCutIntoSteps() {
        CabinState start = new CabinState(-2, -2, true, 21);
        CabinState fine = start;
        for (int i = 0; i < 300; i++) {
            fine = CabinThermalModel.step(fine, Duration.ofSeconds(1));
        }

        CabinState coarse = CabinThermalModel.step(start, Duration.ofMinutes(5));

        assertThat(fine.temperature()).isCloseTo(coarse.temperature(), within(1e-9));
        assertThat(coarse.temperature()).isCloseTo(13.3, within(0.1));
    }

    @Test
    void withTheHeaterOffTheCabinCoolsTowardsTheOutsideMoreSlowly() {
        CabinState warm = new CabinState(21, -2, false, 21);

        CabinState later = CabinThermalModel.step(warm, Duration.ofMinutes(45));

        assertThat(later.temperature()).isCloseTo(-2 + 23 / Math.E, within(1e-9));
        assertThat(CabinThermalModel.step(warm, Duration.ofHours(10)).temperature())
                .isCloseTo(-2, within(0.01));
    }

    @Test
    void aRunningHeaterKeepsAWarmerCabinFromCoolingBelowTheTarget() {
        CabinState sunny = new CabinState(25, -2, true, 21);

        CabinState later = CabinThermalModel.step(sunny, Duration.ofHours(5));

        assertThat(later.temperature()).isEqualTo(21);
    }

    @Test
    void theHeaterCannotCoolACabinThatIsWarmBecauseItIsWarmOutside() {
        CabinState summer = new CabinState(30, 30, true, 21);

        assertThat(CabinThermalModel.step(summer, Duration.ofHours(1)).temperature())
                .isCloseTo(30, within(1e-9));
    }
}
