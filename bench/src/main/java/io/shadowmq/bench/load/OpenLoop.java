package io.shadowmq.bench.load;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * An open-loop load generator: sends at a fixed arrival rate on one thread, never waiting for answers, so the
 * system under test cannot slow the load down. Each step is bounded: {@code rate × duration} requests, then at most
 * the drain time for the last answers; whatever has not been answered by then counts as lost.
 * <pre>{@code
 * StepResult r = new OpenLoop(Duration.ofSeconds(5)).run(2000, Duration.ofSeconds(10),
 *         (step, seq) -> fleet.publish(step, seq));
 * }</pre>
 */
public final class OpenLoop {

    /** Sends request {@code seq} of {@code step}; must end it with {@code step.succeeded/failed} eventually. */
    @FunctionalInterface
    public interface Sender {
        void send(@NotNull LoadStep step, long seq);
    }

    private static final AtomicInteger STEP_IDS = new AtomicInteger();
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Duration drain;
    private final LongSupplier nanoClock;
    private final LongConsumer waitNanos;

    public OpenLoop(@NotNull Duration drain) {
        // Park rather than spin: on a 2-core box a spinning generator would steal a core from the broker. An
        // oversleep is not hidden — latency counts from the intended time.
        this(drain, System::nanoTime, LockSupport::parkNanos);
    }

    /**
     * @param nanoClock monotonic time, for send times and latencies
     * @param waitNanos lets about that many nanoseconds of {@code nanoClock} pass (it may return early or late)
     */
    OpenLoop(@NotNull Duration drain, @NotNull LongSupplier nanoClock, @NotNull LongConsumer waitNanos) {
        this.drain = drain;
        this.nanoClock = nanoClock;
        this.waitNanos = waitNanos;
    }

    /** Runs one step of {@code ratePerSecond} for {@code duration} and returns what it achieved. */
    public @NotNull StepResult run(double ratePerSecond, @NotNull Duration duration, @NotNull Sender sender) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
        }
        LoadStep step = sendAndDrain(List.of(new LoadPhase(ratePerSecond, duration)), 0, sender);
        long succeeded = step.succeededCount();
        long failed = step.failedCount();
        long lost = Math.max(0, step.total() - succeeded - failed);
        // Over the nominal duration, or longer when answers trailed: a saturated system must not look faster.
        long elapsed = Math.max(duration.toNanos(), step.lastEndNanos() - step.startNanos());
        double achieved = succeeded / (elapsed / 1e9);
        return new StepResult(
                ratePerSecond, achieved, step.total(), succeeded, failed, lost, Percentiles.of(step.histogram()));
    }

    /**
     * Runs {@code phases} back to back — no pause, no drain between them, the next phase's first request is due
     * when the one before's time is up — then drains once, and returns the run window by window ({@code window}
     * long, by intended send time) and phase by phase.
     */
    public @NotNull Timeline runPhases(
            @NotNull List<LoadPhase> phases, @NotNull Duration window, @NotNull Sender sender) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        return sendAndDrain(phases, window.toNanos(), sender).timeline();
    }

    private LoadStep sendAndDrain(List<LoadPhase> phases, long windowNanos, Sender sender) {
        LoadStep step = new LoadStep(STEP_IDS.incrementAndGet(), nanoClock, phases, windowNanos);
        int total = step.total();
        for (int seq = 0; seq < total; seq++) {
            long due = step.intendedNanos(seq);
            long wait;
            while ((wait = due - nanoClock.getAsLong()) > 0) {
                waitNanos.accept(wait);
            }
            try {
                sender.send(step, seq);
            } catch (RuntimeException e) {
                step.failed(seq);
            }
        }
        long deadline = nanoClock.getAsLong() + drain.toNanos();
        while (step.endedCount() < total && nanoClock.getAsLong() < deadline) {
            waitNanos.accept(DRAIN_POLL_NANOS);
        }
        return step;
    }
}
