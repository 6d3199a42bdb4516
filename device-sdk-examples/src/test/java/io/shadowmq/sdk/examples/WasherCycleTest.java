package io.shadowmq.sdk.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WasherCycleTest {

    @Test
    void startRunsTheProgramDownAndTheWasherReportsFinished() {
        // given
        WasherState running = WasherCycle.command(WasherState.idle("quick"), "start");
        assertThat(running.state()).isEqualTo("running");
        assertThat(running.remainingMinutes()).isEqualTo(30);

        // when
        WasherState halfway = WasherCycle.step(running, Duration.ofMinutes(14).plusSeconds(30));
        WasherState done = WasherCycle.step(halfway, Duration.ofMinutes(16));

        // then
        assertThat(halfway.remainingMinutes()).isEqualTo(16);
        assertThat(done.state()).isEqualTo("finished");
        assertThat(done.remainingMinutes()).isZero();
        assertThat(done.lastCommand()).isEqualTo("start");
    }

    @Test
    void pauseHoldsTheRemainingTimeAndStartResumesIt() {
        WasherState paused = WasherCycle.command(
                WasherCycle.step(WasherCycle.command(WasherState.idle("wool"), "start"), Duration.ofMinutes(10)),
                "pause");

        WasherState stillPaused = WasherCycle.step(paused, Duration.ofHours(1));
        WasherState resumed = WasherCycle.command(stillPaused, "start");

        assertThat(stillPaused.state()).isEqualTo("paused");
        assertThat(stillPaused.remainingMinutes()).isEqualTo(30);
        assertThat(resumed.state()).isEqualTo("running");
        assertThat(resumed.remainingMinutes()).isEqualTo(30);
    }

    @Test
    void stopEndsTheProgram() {
        WasherState stopped = WasherCycle.command(WasherCycle.command(WasherState.idle("eco"), "start"), "stop");

        assertThat(stopped.state()).isEqualTo("idle");
        assertThat(stopped.remainingMinutes()).isZero();
        assertThat(stopped.lastCommand()).isEqualTo("stop");
    }

    @Test
    void aNewProgramAppliesToTheNextStart() {
        WasherState running = WasherCycle.command(WasherState.idle("cotton"), "start");

        WasherState chosen = WasherCycle.program(running, "quick");
        WasherState restarted = WasherCycle.command(WasherCycle.command(chosen, "stop"), "start");

        assertThat(chosen.remainingMinutes()).isEqualTo(120);
        assertThat(restarted.remainingMinutes()).isEqualTo(30);
    }

    @Test
    void anUnknownProgramIsIgnored() {
        assertThat(WasherCycle.program(WasherState.idle("cotton"), "boil").program())
                .isEqualTo("cotton");
    }
}
