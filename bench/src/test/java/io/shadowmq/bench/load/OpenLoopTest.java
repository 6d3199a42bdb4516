package io.shadowmq.bench.load;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator on simulated time: the clock moves only when the loop waits (or a sender stalls), so every number
 * below is exact and no test sleeps.
 */
class OpenLoopTest {

    private final SimulatedTime time = new SimulatedTime();
    private final OpenLoop loop = new OpenLoop(Duration.ofMillis(500), time::now, time::advance);

    @AfterEach
    void stopAnswering() throws InterruptedException {
        time.close();
    }

    @Test
    void sendsRateTimesDurationRequestsAndCountsEveryAnswer() {
        StepResult step = loop.run(200, Duration.ofMillis(500), LoadStep::succeeded);

        assertThat(step.sent()).isEqualTo(100);
        assertThat(step.succeeded()).isEqualTo(100);
        assertThat(step.errors()).isZero();
        assertThat(step.achievedRate()).isEqualTo(200.0);
        assertThat(step.held(50)).isTrue();
    }

    @Test
    void requestsThatAreNeverAnsweredCountAsLostAfterTheDrain() {
        long start = time.now();
        StepResult step = loop.run(100, Duration.ofMillis(200), (s, seq) -> {});

        assertThat(step.lost()).isEqualTo(20);
        assertThat(step.held(50)).isFalse();
        // The last request left at 190 ms; then it waited the whole drain for answers, no longer.
        assertThat(time.now() - start).isBetween(ms(190 + 500), ms(190 + 500 + 5));
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
                time.advance(ms(300));
            }
            s.succeeded(seq);
        });

        // then the requests that were due during the stall are measured from when they were due (no coordinated
        // omission): 30 % of them waited, the first one 300 ms, and the ones sent on time took no time.
        assertThat(step.latency().max()).isBetween(299.0, 301.0);
        assertThat(step.latency().p90()).isGreaterThan(0.5);
        assertThat(step.latency().p50()).isZero();
    }

    @Test
    void answersArrivingLaterOnOtherThreadsAreTimedFromTheIntendedSend() {
        StepResult step = loop.run(
                50, Duration.ofMillis(400), (s, seq) -> time.onAnotherThreadAfter(ms(20), () -> s.succeeded(seq)));

        assertThat(step.succeeded()).isEqualTo(20);
        assertThat(step.latency().p50()).isBetween(19.9, 20.1);
        assertThat(step.latency().max()).isBetween(19.9, 20.1);
    }

    @Test
    void aRequestEndsOnceEvenIfItIsAnsweredTwice() {
        StepResult step = loop.run(100, Duration.ofMillis(100), (s, seq) -> {
            s.succeeded(seq);
            s.succeeded(seq);
            s.failed(seq);
        });

        assertThat(List.of(step.succeeded(), step.failed(), step.latency().count()))
                .containsExactly(10L, 0L, 10L);
    }

    @Test
    void phasesRunBackToBackAndEachRequestCountsInTheWindowOfItsIntendedSendTime() {
        long start = time.now();
        List<Long> intended = new java.util.ArrayList<>();
        Timeline timeline = loop.runPhases(
                List.of(new LoadPhase(100, Duration.ofSeconds(2)), new LoadPhase(300, Duration.ofSeconds(1))),
                Duration.ofSeconds(1),
                (s, seq) -> {
                    if (seq == 200) {
                        intended.add(s.intendedNanos(seq) - start);
                    }
                    s.succeeded(seq);
                });

        // The second phase's first request is due the moment the first phase's time is up: no pause, no drain.
        assertThat(intended).containsExactly(ms(2_000));
        assertThat(timeline.windows()).extracting(Timeline.Window::sent).containsExactly(100L, 100L, 300L);
        assertThat(timeline.windows()).extracting(Timeline.Window::phase).containsExactly(0, 0, 1);
        assertThat(timeline.windows()).extracting(Timeline.Window::startSeconds).containsExactly(0.0, 1.0, 2.0);
        assertThat(timeline.summary(1).succeeded()).isEqualTo(300);
        assertThat(timeline.settledAfter(0, 50)).hasValue(0.0);
    }

    @Test
    void aStallCountsAgainstTheWindowsTheDelayedRequestsWereDueInAndRecoveryIsWhenTheyStayHealthy() {
        // Given a system that stalls 1.2 s on the request due at 0.5 s and answers at once otherwise,
        Timeline timeline =
                loop.runPhases(List.of(new LoadPhase(100, Duration.ofSeconds(5))), Duration.ofSeconds(1), (s, seq) -> {
                    if (seq == 50) {
                        time.advance(ms(1_200));
                    }
                    s.succeeded(seq);
                });

        // then the requests due from 0.5 s to 1.7 s are late, in the windows they were due in (0 and 1), however
        // late they were sent; from 2 s on every window is healthy.
        assertThat(timeline.windows().get(0).latency().max()).isBetween(1_199.0, 1_201.0);
        assertThat(timeline.windows().get(1).latency().p99()).isGreaterThan(600.0);
        assertThat(timeline.windows().get(2).latency().max()).isZero();
        assertThat(timeline.settledAfter(0, 50)).hasValue(2.0);
    }

    @Test
    void refusalsAreCountedByCodeAndLostRequestsPerWindowAndEitherKeepsAWindowUnhealthy() {
        // Given a profile of 1 s at 100/s, an overload of 1 s at 200/s during which every other request is shed
        // with 503, and 2 s at 100/s whose first 50 requests are never answered,
        Timeline timeline = loop.runPhases(
                List.of(
                        new LoadPhase(100, Duration.ofSeconds(1)),
                        new LoadPhase(200, Duration.ofSeconds(1)),
                        new LoadPhase(100, Duration.ofSeconds(2))),
                Duration.ofSeconds(1),
                (s, seq) -> {
                    if (seq >= 100 && seq < 300 && seq % 2 == 0) {
                        s.refused(seq, 503);
                    } else if (seq < 300 || seq >= 350) {
                        s.succeeded(seq);
                    }
                });

        Timeline.PhaseSummary overload = timeline.summary(1);
        assertThat(List.of(overload.sent(), overload.succeeded(), overload.lost()))
                .containsExactly(200L, 100L, 0L);
        assertThat(overload.refusedByCode()).containsExactly(org.assertj.core.api.Assertions.entry(503, 100L));
        Timeline.PhaseSummary after = timeline.summary(2);
        assertThat(List.of(after.sent(), after.succeeded(), after.lost())).containsExactly(200L, 150L, 50L);
        assertThat(timeline.windows().get(2).lost()).isEqualTo(50);
        // The phase after the overload: unhealthy in its first second (lost requests), healthy in its second.
        assertThat(timeline.settledAfter(2, 50)).hasValue(1.0);
        // The overload itself never settled: its last window shed requests.
        assertThat(timeline.settledAfter(1, 50)).isEmpty();
        assertThat(timeline.settledAfter(0, 50)).hasValue(0.0);
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /**
     * A nanosecond clock that moves only when told to; moving it delivers the answers due by then, each on the
     * answering thread (as a client library's callback would), in due order, before the clock moves on.
     */
    private static final class SimulatedTime implements AutoCloseable {

        private record Answer(long dueNanos, long order, Runnable action) {}

        private final ExecutorService answering = Executors.newSingleThreadExecutor();
        private final PriorityQueue<Answer> pending = new PriorityQueue<>((a, b) -> a.dueNanos() != b.dueNanos()
                ? Long.compare(a.dueNanos(), b.dueNanos())
                : Long.compare(a.order(), b.order()));
        private volatile long now = 1_000_000_000L;
        private long scheduled;

        long now() {
            return now;
        }

        void onAnotherThreadAfter(long nanos, Runnable action) {
            pending.add(new Answer(now + nanos, scheduled++, action));
        }

        void advance(long nanos) {
            long until = now + nanos;
            while (!pending.isEmpty() && pending.peek().dueNanos() <= until) {
                Answer answer = pending.poll();
                now = answer.dueNanos();
                try {
                    answering.submit(answer.action()).get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            now = until;
        }

        @Override
        public void close() throws InterruptedException {
            answering.shutdownNow();
            answering.awaitTermination(1, TimeUnit.SECONDS);
        }
    }
}
