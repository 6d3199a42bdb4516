package io.shadowmq.bench.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OpenLoopTest {

    private final OpenLoop loop = new OpenLoop(Duration.ofMillis(500));

    @Test
    void sendsRateTimesDurationRequestsAndCountsEveryAnswer() {
        StepResult step = loop.run(200, Duration.ofMillis(500), LoadStep::succeeded);

        assertThat(step.sent()).isEqualTo(100);
        assertThat(step.succeeded()).isEqualTo(100);
        assertThat(step.errors()).isZero();
        assertThat(step.achievedRate()).isBetween(150.0, 210.0);
        assertThat(step.held(50)).isTrue();
    }

    @Test
    void requestsThatAreNeverAnsweredCountAsLostAfterTheDrain() {
        StepResult step = loop.run(100, Duration.ofMillis(200), (s, seq) -> { });

        assertThat(step.lost()).isEqualTo(20);
        assertThat(step.held(50)).isFalse();
    }

    @Test
    void refusedRequestsAreFailuresNotLatencies() {
        StepResult step = loop.run(100, Duration.ofMillis(200), (s, seq) -> {
            if (seq % 2 == 0) {
                s.failed(seq);
            } else {
                s.succeeded(seq);
            }
        });

        assertThat(step.failed()).isEqualTo(10);
        assertThat(step.latency().count()).isEqualTo(10);
    }

    @Test
    void aStallDelaysEveryRequestQueuedBehindItAndTheLatencyShowsIt() {
        // Given a system that stalls 300 ms on its first request and then answers at once,
        StepResult step = loop.run(100, Duration.ofSeconds(1), (s, seq) -> {
            if (seq == 0) {
                sleep(300);
            }
            s.succeeded(seq);
        });

        // then the requests that were due during the stall are measured from when they were due (no coordinated
        // omission): about 30 % of them waited, the first one ~300 ms.
        assertThat(step.latency().max()).isGreaterThanOrEqualTo(290);
        assertThat(step.latency().p90()).isGreaterThan(0.5);
        assertThat(step.latency().p50()).isLessThan(50);
    }

    @Test
    void answersArrivingLaterOnOtherThreadsAreTimedFromTheIntendedSend() throws InterruptedException {
        ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor();
        try {
            StepResult step = loop.run(50, Duration.ofMillis(400),
                    (s, seq) -> answers.schedule(() -> s.succeeded(seq), 20, TimeUnit.MILLISECONDS));

            assertThat(step.succeeded()).isEqualTo(20);
            assertThat(step.latency().p50()).isBetween(19.0, 45.0);
        } finally {
            answers.shutdownNow();
            answers.awaitTermination(1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRequestEndsOnceEvenIfItIsAnsweredTwice() {
        StepResult step = loop.run(100, Duration.ofMillis(100), (s, seq) -> {
            s.succeeded(seq);
            s.succeeded(seq);
            s.failed(seq);
        });

        assertThat(List.of(step.succeeded(), step.failed(), step.latency().count())).containsExactly(10L, 0L, 10L);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
