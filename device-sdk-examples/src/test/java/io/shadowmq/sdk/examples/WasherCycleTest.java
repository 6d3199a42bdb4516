package io.shadowmq.sdk.examples;

import io.shadowmq.sdk.CommandFailedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WasherCycleTest {

    @Test
    void startRunsTheProgramDownAndTheWasherReportsFinished() {
        // given
        WasherState running = WasherCycle.start(WasherState.idle("cotton"), "quick");
        assertThat(running.state()).isEqualTo("running");
        assertThat(running.remainingMinutes()).isEqualTo(30);

        // when
        WasherState halfway = WasherCycle.step(running, Duration.ofMinutes(14).plusSeconds(30));
        WasherState done = WasherCycle.step(halfway, Duration.ofMinutes(16));

        // then
        assertThat(halfway.remainingMinutes()).isEqualTo(16);
        assertThat(WasherCycle.progress(halfway)).isEqualTo(48);
        assertThat(done.state()).isEqualTo("finished");
        assertThat(done.remainingMinutes()).isZero();
        assertThat(WasherCycle.progress(done)).isEqualTo(100);
    }

    @Test
    void pauseHoldsTheRemainingTimeAndStartResumesIt() {
        WasherState paused = WasherCycle.pause(
                WasherCycle.step(WasherCycle.start(WasherState.idle("wool"), "wool"), Duration.ofMinutes(10)));

        WasherState stillPaused = WasherCycle.step(paused, Duration.ofHours(1));
        WasherState resumed = WasherCycle.start(stillPaused, "wool");

        assertThat(stillPaused.state()).isEqualTo("paused");
        assertThat(stillPaused.remainingMinutes()).isEqualTo(30);
        assertThat(resumed.state()).isEqualTo("running");
        assertThat(resumed.remainingMinutes()).isEqualTo(30);
    }

    @Test
    void stopEndsTheProgram() {
        WasherState stopped = WasherCycle.stop(WasherCycle.start(WasherState.idle("eco"), "eco"));

        assertThat(stopped.state()).isEqualTo("idle");
        assertThat(stopped.remainingMinutes()).isZero();
    }

    @Test
    void aStartWhileRunningAPauseWhileIdleAndAnUnknownProgramAreRefused() {
        WasherState running = WasherCycle.start(WasherState.idle("cotton"), "cotton");

        assertThatThrownBy(() -> WasherCycle.start(running, "quick"))
                .isInstanceOfSatisfying(
                        CommandFailedException.class,
                        refused -> assertThat(refused.reason()).isEqualTo("already running cotton"));
        assertThatThrownBy(() -> WasherCycle.pause(WasherState.idle("cotton")))
                .isInstanceOf(CommandFailedException.class);
        assertThatThrownBy(() -> WasherCycle.start(WasherState.idle("cotton"), "boil"))
                .isInstanceOf(CommandFailedException.class);
    }

    @Test
    void aProgramChosenAppliesToTheNextStartAndAnUnknownOneIsIgnored() {
        WasherState chosen = WasherCycle.program(WasherState.idle("cotton"), "quick");

        assertThat(chosen.program()).isEqualTo("quick");
        assertThat(WasherCycle.program(chosen, "boil").program()).isEqualTo("quick");
        assertThat(WasherCycle.program(WasherCycle.start(chosen, "eco"), "wool").program())
                .isEqualTo("eco");
    }
}
