package io.shadowmq.bench.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The bookkeeping of one fixed-rate step: request {@code seq} was meant to leave at {@link #intendedNanos(long)},
 * whether or not the generator managed to send it then — so a stalled system shows up as latency instead of as
 * fewer samples (no coordinated omission). Every request ends at most once, by {@link #succeeded} or
 * {@link #failed}; responses that come twice or for another step are ignored.
 * <p>Thread-safe: the generator thread sends, the clients' threads complete.
 */
public final class LoadStep {

    /** Latencies up to a minute are recorded exactly (3 significant digits); longer ones are clamped. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final int id;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final double periodNanos;
    private final int total;
    private final AtomicIntegerArray ended;
    private final Histogram micros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile long lastEndNanos;

    /** Starts now on {@code nanoClock}, which also times every answer. */
    LoadStep(int id, @NotNull LongSupplier nanoClock, double ratePerSecond, int total) {
        this.id = id;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.total = total;
        this.ended = new AtomicIntegerArray(total);
    }

    /** Distinguishes this step's responses from late ones of the step before. */
    public int id() {
        return id;
    }

    public int total() {
        return total;
    }

    /** When request {@code seq} should be sent, on the step's clock. */
    public long intendedNanos(long seq) {
        return startNanos + Math.round(seq * periodNanos);
    }

    /** Request {@code seq} got its answer now; records intended send time → now. */
    public void succeeded(long seq) {
        long now = nanoClock.getAsLong();
        if (end(seq)) {
            micros.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - intendedNanos(seq)) / 1000)));
            succeeded.increment();
            lastEndNanos = now;
        }
    }

    /** Request {@code seq} was refused or could not be sent. */
    public void failed(long seq) {
        if (end(seq)) {
            failed.increment();
            lastEndNanos = nanoClock.getAsLong();
        }
    }

    long succeededCount() {
        return succeeded.sum();
    }

    long failedCount() {
        return failed.sum();
    }

    long endedCount() {
        return succeeded.sum() + failed.sum();
    }

    long startNanos() {
        return startNanos;
    }

    long lastEndNanos() {
        return lastEndNanos;
    }

    @NotNull
    Histogram histogram() {
        return micros;
    }

    private boolean end(long seq) {
        return seq >= 0 && seq < total && ended.compareAndSet((int) seq, 0, 1);
    }
}
