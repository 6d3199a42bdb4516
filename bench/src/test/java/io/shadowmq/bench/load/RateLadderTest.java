package io.shadowmq.bench.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLadderTest {

    /** Simulated time: it moves only when the generator waits, so a climb takes no real time. */
    private final AtomicLong nanos = new AtomicLong();

    private final RateLadder ladder = new RateLadder(
            new OpenLoop(Duration.ofMillis(200), nanos::get, nanos::addAndGet),
            Duration.ofMillis(200),
            Duration.ZERO,
            50);

    @Test
    void climbsUntilAStepHasErrorsThenMeasuresAtATenthAQuarterHalfAndThreeQuartersOfTheLastThatHeld() throws Exception {
        // Given a system that refuses everything above 300 requests/s,
        List<StepResult> heard = new ArrayList<>();
        OpenLoop.Sender sender = (step, seq) -> {
            if (step.total() > 300 * 0.2) {
                step.failed(seq);
            } else {
                step.succeeded(seq);
            }
        };

        RateLadder.Result result =
                ladder.climb(List.of(100.0, 200.0, 300.0, 400.0, 800.0), sender, heard::add, step -> {});

        assertThat(result.steps()).extracting(StepResult::targetRate).containsExactly(100.0, 200.0, 300.0, 400.0);
        assertThat(result.maxHeldRate()).isEqualTo(300.0);
        assertThat(result.atFractions()).extracting(StepResult::targetRate).containsExactly(30.0, 75.0, 150.0, 225.0);
        assertThat(result.at(0.5)).isPresent();
        assertThat(result.at(0.1)).isPresent();
        assertThat(heard).hasSize(8);
    }

    @Test
    void whenTheFirstStepMissesNothingHeldAndNoFractionsRun() throws Exception {
        RateLadder.Result result = ladder.climb(List.of(100.0, 200.0), (step, seq) -> {}, step -> {}, step -> {});

        assertThat(result.maxHeldRate()).isZero();
        assertThat(result.atFractions()).isEmpty();
        assertThat(result.steps()).hasSize(1);
    }
}
