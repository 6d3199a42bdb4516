package io.shadowmq.bench.load;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds the highest rate a system holds: runs the given rates in order until a step misses (p99 above the limit, or
 * any error), then measures again at 10, 25, 50 and 75 % of the highest rate that held ({@link #FRACTIONS}).
 * Bounded: at most {@code rates.size() + 4} steps.
 */
public final class RateLadder {

    /**
     * The fractions of the highest held rate that are measured again: 10 % for the latency of a lightly loaded
     * system, 50 % for the latency goal, 25 and 75 % to show the curve.
     */
    public static final double[] FRACTIONS = {0.10, 0.25, 0.50, 0.75};

    private final OpenLoop loop;
    private final Duration stepDuration;
    private final Duration pause;
    private final double p99LimitMillis;

    public RateLadder(
            @NotNull OpenLoop loop, @NotNull Duration stepDuration, @NotNull Duration pause, double p99LimitMillis) {
        this.loop = loop;
        this.stepDuration = stepDuration;
        this.pause = pause;
        this.p99LimitMillis = p99LimitMillis;
    }

    /**
     * The ladder's outcome. {@code maxHeldRate} is 0 when even the first step missed; then {@code atFractions} is
     * empty.
     */
    public record Result(
            double p99LimitMillis,
            @NotNull List<StepResult> steps,
            double maxHeldRate,
            @NotNull List<StepResult> atFractions) {

        /** A ladder that did not run. */
        public static @NotNull Result none(double p99LimitMillis) {
            return new Result(p99LimitMillis, List.of(), 0, List.of());
        }

        /** Every step, the climb and the fractions. */
        public @NotNull List<StepResult> allSteps() {
            List<StepResult> all = new ArrayList<>(steps);
            all.addAll(atFractions);
            return all;
        }

        /** The step measured at {@code fraction} of the max held rate, if it ran. */
        public @NotNull java.util.Optional<StepResult> at(double fraction) {
            return atFractions.stream()
                    .filter(s -> Math.abs(s.targetRate() - fraction * maxHeldRate) < 1e-6)
                    .findFirst();
        }
    }

    /**
     * Climbs {@code rates}; {@code progress} hears of every finished step. A warm-up step at the lowest rate runs
     * first and is not part of the result: the first seconds of a fresh JVM measure the JIT compiler, not the system.
     */
    public @NotNull Result climb(
            @NotNull List<Double> rates,
            @NotNull OpenLoop.Sender sender,
            @NotNull Consumer<StepResult> progress,
            @NotNull Consumer<StepResult> warmup)
            throws InterruptedException {
        warmup.accept(loop.run(rates.get(0), stepDuration, sender));
        Thread.sleep(pause.toMillis());
        List<StepResult> steps = new ArrayList<>();
        double maxHeld = 0;
        for (double rate : rates) {
            StepResult step = loop.run(rate, stepDuration, sender);
            steps.add(step);
            progress.accept(step);
            Thread.sleep(pause.toMillis());
            if (!step.held(p99LimitMillis)) {
                break;
            }
            maxHeld = rate;
        }
        List<StepResult> atFractions = new ArrayList<>();
        if (maxHeld > 0) {
            for (double fraction : FRACTIONS) {
                StepResult step = loop.run(fraction * maxHeld, stepDuration, sender);
                atFractions.add(step);
                progress.accept(step);
                Thread.sleep(pause.toMillis());
            }
        }
        return new Result(p99LimitMillis, List.copyOf(steps), maxHeld, List.copyOf(atFractions));
    }
}
