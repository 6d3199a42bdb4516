package io.shadowmq.bench.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The bookkeeping of one open-loop run: request {@code seq} was meant to leave at {@link #intendedNanos(long)},
 * whether or not the generator managed to send it then — so a stalled system shows up as latency instead of as
 * fewer samples (no coordinated omission). Every request ends at most once, by {@link #succeeded}, {@link #failed}
 * or {@link #refused}; responses that come twice or for another step are ignored.
 *
 * <p>A step is one or more {@link LoadPhase}s back to back (a rate ladder's step is one). With a window length, it
 * also keeps a timeline: each request counts in the window its <em>intended</em> send time falls in, so a window
 * says how the requests due then fared, however late they were answered.
 * <p>Thread-safe: the generator thread sends, the clients' threads complete.
 */
public final class LoadStep {

    /** Latencies up to a minute are recorded exactly (3 significant digits); longer ones are clamped. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final int id;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final List<LoadPhase> phases;
    /** Per phase: its first seq, its start after {@link #startNanos}, and the gap between its requests. */
    private final long[] phaseFirstSeq;

    private final long[] phaseOffsetNanos;
    private final double[] phasePeriodNanos;
    private final int total;
    private final AtomicIntegerArray ended;
    private final Counts all = new Counts();
    private final long windowNanos;
    private final Counts[] windows;
    private final long[] sentPerWindow;
    private volatile long lastEndNanos;

    /**
     * The phases back to back, starting now on {@code nanoClock} (which also times every answer); with
     * {@code windowNanos} above 0, a timeline of windows that long.
     */
    LoadStep(int id, @NotNull LongSupplier nanoClock, @NotNull List<LoadPhase> phases, long windowNanos) {
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("a load step needs at least one phase");
        }
        this.id = id;
        this.nanoClock = nanoClock;
        this.phases = List.copyOf(phases);
        this.phaseFirstSeq = new long[phases.size()];
        this.phaseOffsetNanos = new long[phases.size()];
        this.phasePeriodNanos = new double[phases.size()];
        long seq = 0;
        long offset = 0;
        for (int p = 0; p < phases.size(); p++) {
            LoadPhase phase = phases.get(p);
            phaseFirstSeq[p] = seq;
            phaseOffsetNanos[p] = offset;
            phasePeriodNanos[p] = TimeUnit.SECONDS.toNanos(1) / phase.ratePerSecond();
            seq += phase.requests();
            offset += phase.duration().toNanos();
        }
        this.total = Math.toIntExact(seq);
        this.ended = new AtomicIntegerArray(total);
        this.windowNanos = windowNanos;
        int windowCount = windowNanos > 0 ? (int) Math.max(1, (offset + windowNanos - 1) / windowNanos) : 0;
        this.windows = new Counts[windowCount];
        this.sentPerWindow = new long[windowCount];
        for (int w = 0; w < windowCount; w++) {
            windows[w] = new Counts();
        }
        this.startNanos = nanoClock.getAsLong();
        if (windowCount > 0) {
            for (long s = 0; s < total; s++) {
                sentPerWindow[windowOf(s)]++;
            }
        }
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
        int p = phaseOf(seq);
        return startNanos + phaseOffsetNanos[p] + Math.round((seq - phaseFirstSeq[p]) * phasePeriodNanos[p]);
    }

    /** Request {@code seq} got its answer now; records intended send time → now. */
    public void succeeded(long seq) {
        long now = nanoClock.getAsLong();
        if (end(seq)) {
            long micros = Math.min(HIGHEST_MICROS, Math.max(0, (now - intendedNanos(seq)) / 1000));
            all.succeeded(micros);
            if (windows.length > 0) {
                windows[windowOf(seq)].succeeded(micros);
            }
            lastEndNanos = now;
        }
    }

    /** Request {@code seq} could not be sent, or was refused without a code the bench understands. */
    public void failed(long seq) {
        refused(seq, 0);
    }

    /**
     * Request {@code seq} was refused with {@code code} (e.g. 503 or 429: the system shed it); 0 when no code is
     * known (the request could not be sent).
     */
    public void refused(long seq, int code) {
        if (end(seq)) {
            all.refused(code);
            if (windows.length > 0) {
                windows[windowOf(seq)].refused(code);
            }
            lastEndNanos = nanoClock.getAsLong();
        }
    }

    long succeededCount() {
        return all.succeeded.sum();
    }

    long failedCount() {
        return all.failedCount();
    }

    long endedCount() {
        return succeededCount() + failedCount();
    }

    long startNanos() {
        return startNanos;
    }

    long lastEndNanos() {
        return lastEndNanos;
    }

    @NotNull
    Histogram histogram() {
        return all.micros;
    }

    /** The timeline so far (after the drain: final); empty without a window length. */
    @NotNull
    Timeline timeline() {
        List<Timeline.Window> result = new ArrayList<>(windows.length);
        for (int w = 0; w < windows.length; w++) {
            Counts counts = windows[w];
            long second = w * windowNanos;
            result.add(new Timeline.Window(
                    w,
                    second / 1e9,
                    phaseAt(second),
                    sentPerWindow[w],
                    counts.succeeded.sum(),
                    counts.refusedByCode(),
                    Math.max(0, sentPerWindow[w] - counts.succeeded.sum() - counts.failedCount()),
                    counts.micros.copy()));
        }
        return new Timeline(phases, windowNanos / 1e9, result);
    }

    private int phaseOf(long seq) {
        // First seqs strictly increase: every phase has at least one request.
        int found = Arrays.binarySearch(phaseFirstSeq, seq);
        return found >= 0 ? found : -found - 2;
    }

    /** The phase running at {@code offsetNanos} after the start. */
    private int phaseAt(long offsetNanos) {
        int p = 0;
        while (p + 1 < phaseOffsetNanos.length && phaseOffsetNanos[p + 1] <= offsetNanos) {
            p++;
        }
        return p;
    }

    private int windowOf(long seq) {
        long offset = intendedNanos(seq) - startNanos;
        return (int) Math.min(windows.length - 1, Math.max(0, offset / windowNanos));
    }

    private boolean end(long seq) {
        return seq >= 0 && seq < total && ended.compareAndSet((int) seq, 0, 1);
    }

    /** The outcomes of a set of requests (the whole step, or one window). */
    private static final class Counts {
        final Histogram micros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        final LongAdder succeeded = new LongAdder();
        final Map<Integer, LongAdder> refused = new ConcurrentHashMap<>();

        void succeeded(long latencyMicros) {
            micros.recordValue(latencyMicros);
            succeeded.increment();
        }

        void refused(int code) {
            refused.computeIfAbsent(code, c -> new LongAdder()).increment();
        }

        long failedCount() {
            return refused.values().stream().mapToLong(LongAdder::sum).sum();
        }

        Map<Integer, Long> refusedByCode() {
            Map<Integer, Long> byCode = new TreeMap<>();
            refused.forEach((code, count) -> byCode.put(code, count.sum()));
            return byCode;
        }
    }
}
