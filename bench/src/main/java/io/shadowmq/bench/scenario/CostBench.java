package io.shadowmq.bench.scenario;

import io.shadowmq.bench.cost.CostMeter;
import io.shadowmq.bench.cost.CostPerRequest;
import io.shadowmq.bench.cost.CostSample;
import io.shadowmq.bench.load.StepResult;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * {@code cost}: what one request costs at a fixed rate ({@link BenchSettings#costRate()}), measured the same way on
 * the platform ({@code updates}) and on {@code floor-redis}: after a settle period at that rate (not counted), one
 * open-loop step of {@link BenchSettings#costWindow()}, and over it the JVM's CPU time, the Redis server's CPU
 * time and the bytes allocated in the JVM, per request sent. Broker, extension, REST service and load generator
 * share the JVM; the generator's share is the same on both targets, so the difference is ShadowMQ's own.
 */
public final class CostBench {

    /** A window held its rate when every request was answered and the answers kept up within this share. */
    static final double HELD_SHARE = 0.95;

    private final BenchSettings settings;
    private final Progress progress;
    private final CostMeter meter;

    public CostBench(@NotNull BenchSettings settings, @NotNull Progress progress, @NotNull CostMeter meter) {
        this.settings = settings;
        this.progress = progress;
        this.meter = meter;
    }

    /**
     * One target's cost.
     *
     * @param step       the measured step: asked and achieved rate, errors, latency
     * @param perRequest what each request sent in it cost
     * @param limitations what could not be measured (see {@link CostMeter#limitations()})
     */
    public record Result(
            @NotNull String target,
            double windowSeconds,
            @NotNull StepResult step,
            @NotNull CostPerRequest perRequest,
            @NotNull List<String> limitations) {

        /** Whether the target kept up with the rate: no errors, and answers at no less than 95 % of it. */
        public boolean held() {
            return step.errors() == 0 && step.achievedRate() >= HELD_SHARE * step.targetRate();
        }
    }

    /** Settles at the cost rate, then measures one window, on {@code session}'s connected fleet. */
    public @NotNull Result measure(@NotNull String scenario, @NotNull RoundTripBench.Session session)
            throws InterruptedException, TimeoutException {
        double rate = settings.costRate();
        if (!settings.costSettle().isZero()) {
            StepResult settle = session.fixedRate(rate, settings.costSettle());
            progress.say(
                    scenario,
                    "cost: settled at %,.0f/s for %d s (not counted), p99 %.2f ms, errors %d"
                            .formatted(
                                    rate,
                                    settings.costSettle().toSeconds(),
                                    settle.latency().p99(),
                                    settle.errors()));
        }
        CostSample before = meter.sample(session.target().redisPid());
        StepResult step = session.fixedRate(rate, settings.costWindow());
        CostSample after = meter.sample(session.target().redisPid());
        CostPerRequest cost = CostPerRequest.between(before, after, step.sent(), meter.clockTicksPerSecond());
        progress.say(
                scenario,
                "cost at %,.0f/s (achieved %,.0f/s, errors %d): JVM %.0f µs, Redis %s, allocated %s per request"
                        .formatted(
                                rate,
                                step.achievedRate(),
                                step.errors(),
                                cost.jvmMicros(),
                                cost.redisMicros() == null ? "not measured" : "%.0f µs".formatted(cost.redisMicros()),
                                cost.allocatedKb() == null ? "not measured" : "%.1f KB".formatted(cost.allocatedKb())));
        return new Result(
                session.target().description(),
                settings.costWindow().toMillis() / 1000.0,
                step,
                cost,
                meter.limitations());
    }
}
