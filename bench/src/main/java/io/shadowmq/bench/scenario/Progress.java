package io.shadowmq.bench.scenario;

import io.shadowmq.bench.load.StepResult;
import org.jetbrains.annotations.NotNull;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** One line per thing that happened, so a long run shows it is alive and where it is. */
public final class Progress {

    private final PrintStream out;

    public Progress(@NotNull PrintStream out) {
        this.out = out;
    }

    public void say(@NotNull String scenario, @NotNull String what) {
        out.printf("%s [%s] %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), scenario, what);
        out.flush();
    }

    /** A finished rate step: asked vs achieved, latency, errors, and whether it held. */
    public void step(@NotNull String scenario, @NotNull StepResult step, double p99LimitMillis) {
        say(
                scenario,
                "%,8.0f/s -> %,8.0f/s ok  p50 %7.2f ms  p99 %8.2f ms  max %8.2f ms  errors %d%s"
                        .formatted(
                                step.targetRate(),
                                step.achievedRate(),
                                step.latency().p50(),
                                step.latency().p99(),
                                step.latency().max(),
                                step.errors(),
                                step.held(p99LimitMillis) ? "" : "  <- missed"));
    }
}
