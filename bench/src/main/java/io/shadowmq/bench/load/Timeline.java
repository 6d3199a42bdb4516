package io.shadowmq.bench.load;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What a multi-phase open-loop run ({@link OpenLoop#runPhases}) did, window by window (usually one second), each
 * request counted in the window of its <em>intended</em> send time, and phase by phase.
 *
 * @param phases        the load profile as asked
 * @param windowSeconds the length of a window
 * @param windows       all windows, in order; a phase's windows follow the one before's without a gap
 */
public record Timeline(
        @NotNull List<LoadPhase> phases,
        double windowSeconds,
        @NotNull List<Window> windows) {

    /**
     * One window's requests.
     *
     * @param index         0 for the first window of the run
     * @param startSeconds  when it starts, after the run's start
     * @param phase         the index of the phase it belongs to
     * @param sent          requests due in it
     * @param succeeded     answered with success
     * @param refusedByCode refused, by the code of the answer (503, 429: shed by the system); 0 = could not be sent
     * @param lost          never answered by the end of the drain (timed out)
     * @param micros        latency of the answered ones, µs (intended send → answer)
     */
    public record Window(
            int index,
            double startSeconds,
            int phase,
            long sent,
            long succeeded,
            @NotNull Map<Integer, Long> refusedByCode,
            long lost,
            @JsonIgnore @NotNull Histogram micros) {

        @JsonProperty("latency")
        public @NotNull Percentiles latency() {
            return Percentiles.of(micros);
        }

        public long refused() {
            return refusedByCode.values().stream().mapToLong(Long::longValue).sum();
        }

        public long errors() {
            return refused() + lost;
        }

        /**
         * Healthy: the p99 of all requests due in it is within {@code p99LimitMillis}, a refused or lost request
         * counting like an endless latency: something was answered, at most 1 % were refused or lost, and the p99 of
         * the answered ones is within the limit. (A few requests shed at the edge of an overload leave a window
         * healthy; a window that sheds more does not count as recovered.)
         */
        public boolean healthy(double p99LimitMillis) {
            return succeeded > 0
                    && errors() * 100 <= succeeded + errors()
                    && latency().p99() <= p99LimitMillis;
        }
    }

    /** One phase's windows summed up. */
    public record PhaseSummary(
            @NotNull LoadPhase phase,
            long sent,
            long succeeded,
            @NotNull Map<Integer, Long> refusedByCode,
            long lost,
            @NotNull Percentiles latency) {

        public long refused() {
            return refusedByCode.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The windows of phase {@code phase}. */
    public @NotNull List<Window> windowsOf(int phase) {
        return windows.stream().filter(w -> w.phase() == phase).toList();
    }

    /** Phase {@code phase} in sum: counts and the latency of all its answered requests. */
    public @NotNull PhaseSummary summary(int phase) {
        List<Window> of = windowsOf(phase);
        Histogram merged = new Histogram(3);
        Map<Integer, Long> refused = new TreeMap<>();
        long sent = 0;
        long succeeded = 0;
        long lost = 0;
        for (Window window : of) {
            merged.add(window.micros());
            window.refusedByCode().forEach((code, count) -> refused.merge(code, count, Long::sum));
            sent += window.sent();
            succeeded += window.succeeded();
            lost += window.lost();
        }
        return new PhaseSummary(phases.get(phase), sent, succeeded, refused, lost, Percentiles.of(merged));
    }

    /** Every phase summed up, in order. */
    public @NotNull List<PhaseSummary> summaries() {
        return java.util.stream.IntStream.range(0, phases.size())
                .mapToObj(this::summary)
                .toList();
    }

    /**
     * How long after the start of phase {@code phase} its windows became {@link Window#healthy healthy} and stayed
     * so to the phase's end: 0 when all were, the start of the first window of the healthy run that reaches the end
     * otherwise; empty when the phase's last window is not healthy (it did not settle within the phase).
     */
    public @NotNull OptionalDouble settledAfter(int phase, double p99LimitMillis) {
        List<Window> of = windowsOf(phase);
        if (of.isEmpty() || !of.get(of.size() - 1).healthy(p99LimitMillis)) {
            return OptionalDouble.empty();
        }
        int first = of.size() - 1;
        while (first > 0 && of.get(first - 1).healthy(p99LimitMillis)) {
            first--;
        }
        return OptionalDouble.of(of.get(first).startSeconds() - of.get(0).startSeconds());
    }
}
