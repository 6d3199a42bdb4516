package io.shadowmq.bench.scenario;

import io.shadowmq.bench.load.LoadPhase;
import io.shadowmq.bench.load.Timeline;
import io.shadowmq.bench.report.Rows;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * {@code recovery}: no metastable collapse. On a freshly started platform whose fleet has just connected, three
 * phases back to back, with no pause or drain between them: a cold start at the base rate
 * ({@link Rows#RECOVERY_BASE_FRACTION} of the run's held update rate), an overload at
 * {@link Rows#RECOVERY_OVERLOAD_FACTOR} times the held rate, and the base rate again. The timeline (one-second windows
 * by intended send time) shows how long each start took to settle.
 */
public final class RecoveryBench {

    /** The phases, by index in the timeline. */
    public static final int COLD_START = 0;

    public static final int OVERLOAD = 1;
    public static final int AFTER_OVERLOAD = 2;

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final BenchSettings settings;
    private final Progress progress;

    public RecoveryBench(@NotNull BenchSettings settings, @NotNull Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * What the load profile did.
     *
     * @param heldRate  the held rate the profile was derived from
     * @param rateFrom  where it came from: {@code "updates"} (this run's ladder) or {@code "--recovery-rate"}
     * @param timeline  per-second windows and per-phase sums; phases {@link #COLD_START}, {@link #OVERLOAD},
     *                  {@link #AFTER_OVERLOAD}
     */
    public record Result(
            double heldRate,
            @NotNull String rateFrom,
            @NotNull Timeline timeline) {}

    /** The profile for a held rate: base, overload, base. */
    public @NotNull List<LoadPhase> profile(double heldRate) {
        double base = Rows.RECOVERY_BASE_FRACTION * heldRate;
        return List.of(
                new LoadPhase(base, settings.recoveryColdStart()),
                new LoadPhase(Rows.RECOVERY_OVERLOAD_FACTOR * heldRate, settings.recoveryOverload()),
                new LoadPhase(base, settings.recoveryAfter()));
    }

    /** Runs the profile on {@code session}'s fleet, which must just have connected to a fresh platform. */
    public @NotNull Result run(
            @NotNull String scenario,
            @NotNull RoundTripBench.Session session,
            double heldRate,
            @NotNull String rateFrom)
            throws InterruptedException, TimeoutException {
        List<LoadPhase> phases = profile(heldRate);
        progress.say(
                scenario,
                "%,.0f/s for %d s (cold start), %,.0f/s for %d s (overload), %,.0f/s for %d s; held rate %,.0f/s from %s"
                        .formatted(
                                phases.get(0).ratePerSecond(),
                                phases.get(0).duration().toSeconds(),
                                phases.get(1).ratePerSecond(),
                                phases.get(1).duration().toSeconds(),
                                phases.get(2).ratePerSecond(),
                                phases.get(2).duration().toSeconds(),
                                heldRate,
                                rateFrom));
        Timeline timeline = session.phases(phases, WINDOW);
        for (Timeline.Window window : timeline.windows()) {
            progress.say(
                    scenario,
                    "%5.0f s  %-9s %,8d due  p50 %8.2f ms  p99 %8.2f ms  refused %s  lost %d%s"
                            .formatted(
                                    window.startSeconds(),
                                    new String[] {"cold", "overload", "after"}[window.phase()],
                                    window.sent(),
                                    window.latency().p50(),
                                    window.latency().p99(),
                                    window.refusedByCode(),
                                    window.lost(),
                                    window.healthy(Rows.RECOVERY_P99_MILLIS) ? "" : "  <- not healthy"));
        }
        return new Result(heldRate, rateFrom, timeline);
    }
}
