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
