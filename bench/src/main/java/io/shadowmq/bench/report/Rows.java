package io.shadowmq.bench.report;

import io.shadowmq.bench.load.Percentiles;
import io.shadowmq.bench.load.StepResult;
import io.shadowmq.bench.mqtt.ConnectStorm;
import io.shadowmq.bench.scenario.IdleBench;
import io.shadowmq.bench.scenario.RestReadBench;
import io.shadowmq.bench.scenario.RoundTripRun;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Turns measurements into table rows, judged against the goals in docs/benchmarks.md. The goals live here, once.
 */
public final class Rows {

    /** Shadow-update throughput must reach this fraction of the plain broker's echo. */
    public static final double UPDATES_VS_ECHO_GOAL = 0.6;

    public static final double UPDATES_P99_AT_HALF_GOAL_MILLIS = 10;
    public static final double DELTA_P99_GOAL_MILLIS = 20;
    public static final double STORM_VS_NO_AUTH_GOAL = 0.8;
    public static final int STORM_GOAL_THINGS = 10_000;
    public static final double STORM_GOAL_SECONDS = 10;
    public static final long IDLE_GOAL_HEAP_BYTES = 2L << 30;
    public static final int IDLE_GOAL_THINGS = 10_000;
    public static final double REST_GOAL_PER_SECOND = 10_000;
    public static final double REST_P99_GOAL_MILLIS = 10;

    private Rows() {}

    /** {@code updates}: the highest held rate, latency at half of it, vs the echo's highest held rate. */
    public static @NotNull ScenarioRow updates(@NotNull RoundTripRun updates, @Nullable RoundTripRun echo) {
        Percentiles half = updates.ladder().at(0.5).map(StepResult::latency).orElse(Percentiles.NONE);
        Double ratio = echo == null || echo.ladder().maxHeldRate() == 0
                ? null
                : updates.ladder().maxHeldRate() / echo.ladder().maxHeldRate();
        Boolean met = ratio == null
                ? null
                : ratio >= UPDATES_VS_ECHO_GOAL && half.count() > 0 && half.p99() <= UPDATES_P99_AT_HALF_GOAL_MILLIS;
        return new ScenarioRow(
                "updates",
                "%,.0f upd/s".formatted(updates.ladder().maxHeldRate()),
                half.p50(),
                half.p99(),
                ratio == null ? "echo not run" : "%.2fx echo".formatted(ratio),
                ">= %.1fx echo, p99 <= %.0f ms at 50 %%"
                        .formatted(UPDATES_VS_ECHO_GOAL, UPDATES_P99_AT_HALF_GOAL_MILLIS),
                met);
    }

    /** {@code echo} (and {@code peer}): the highest held rate and latency at half of it; the reference. */
    public static @NotNull ScenarioRow echo(
            @NotNull String scenario,
            @NotNull RoundTripRun echo,
            @Nullable RoundTripRun other,
            @NotNull String otherName) {
        Percentiles half = echo.ladder().at(0.5).map(StepResult::latency).orElse(Percentiles.NONE);
        String vs = other == null || other.ladder().maxHeldRate() == 0
                ? "the limit"
                : "%.2fx %s"
                        .formatted(echo.ladder().maxHeldRate() / other.ladder().maxHeldRate(), otherName);
        return new ScenarioRow(
                scenario, "%,.0f msg/s".formatted(echo.ladder().maxHeldRate()), half.p50(), half.p99(), vs, "", null);
    }

    /**
     * {@code floor} / {@code floor-redis}: the least an extension can do per request (reply, or one Redis write then
     * reply), against echo. Below {@link #UPDATES_VS_ECHO_GOAL}, no extension of that shape reaches the updates goal.
     */
    public static @NotNull ScenarioRow floor(
            @NotNull String scenario, @NotNull RoundTripRun floor, @Nullable RoundTripRun echo) {
        Percentiles half = floor.ladder().at(0.5).map(StepResult::latency).orElse(Percentiles.NONE);
        String vs = echo == null || echo.ladder().maxHeldRate() == 0
                ? "echo not run"
                : "%.2fx echo"
                        .formatted(floor.ladder().maxHeldRate() / echo.ladder().maxHeldRate());
        return new ScenarioRow(
                scenario, "%,.0f req/s".formatted(floor.ladder().maxHeldRate()), half.p50(), half.p99(), vs, "", null);
    }

    public static @NotNull ScenarioRow delta(@NotNull StepResult delta) {
        return new ScenarioRow(
                "delta",
                "%,.0f deltas/s".formatted(delta.achievedRate()),
                delta.latency().p50(),
                delta.latency().p99(),
                "errors %d".formatted(delta.errors()),
                "p99 <= %.0f ms".formatted(DELTA_P99_GOAL_MILLIS),
                delta.errors() == 0 && delta.succeeded() > 0 && delta.latency().p99() <= DELTA_P99_GOAL_MILLIS);
    }

    public static @NotNull ScenarioRow restRead(@NotNull RestReadBench.Result read) {
        return new ScenarioRow(
                "rest-read",
                "%,.0f GET/s".formatted(read.throughput()),
                read.latency().p50(),
                read.latency().p99(),
                "%.2fx goal".formatted(read.throughput() / REST_GOAL_PER_SECOND),
                ">= %,.0f/s, p99 <= %.0f ms".formatted(REST_GOAL_PER_SECOND, REST_P99_GOAL_MILLIS),
                read.errors() == 0
                        && read.throughput() >= REST_GOAL_PER_SECOND
                        && read.latency().p99() <= REST_P99_GOAL_MILLIS);
    }

    /**
     * {@code connect-storm}: connects per second with authentication vs without. With fewer than 10,000 things
     * the 10-second goal is judged on the rate, projected to 10,000 — the row says so — unless the 10,000-thing
     * storm was measured ({@link #stormAtScale}), which then judges it.
     */
    public static @NotNull ScenarioRow connectStorm(
            @NotNull ConnectStorm withAuth, @Nullable ConnectStorm withoutAuth, boolean measuredAtScaleElsewhere) {
        Double ratio = withoutAuth == null || withoutAuth.rate() == 0 ? null : withAuth.rate() / withoutAuth.rate();
        boolean measuredAtScale = withAuth.devices() >= STORM_GOAL_THINGS;
        double secondsFor10k = withAuth.rate() == 0 ? Double.POSITIVE_INFINITY : STORM_GOAL_THINGS / withAuth.rate();
        boolean judgesScale = !measuredAtScaleElsewhere;
        Boolean met = ratio == null
                ? null
                : withAuth.failed() == 0
                        && ratio >= STORM_VS_NO_AUTH_GOAL
                        && (!judgesScale || secondsFor10k <= STORM_GOAL_SECONDS);
        String goal = judgesScale
                ? ">= %.1fx no-auth, 10k in <= %.0f s%s"
                        .formatted(
                                STORM_VS_NO_AUTH_GOAL,
                                STORM_GOAL_SECONDS,
                                measuredAtScale ? "" : " (projected %.1f s)".formatted(secondsFor10k))
                : ">= %.1fx no-auth".formatted(STORM_VS_NO_AUTH_GOAL);
        return new ScenarioRow(
                "connect-storm",
                "%,.0f conn/s (%,d of %,d in %.2f s, %,d refused)"
                        .formatted(
                                withAuth.rate(),
                                withAuth.connected(),
                                withAuth.devices(),
                                withAuth.seconds(),
                                withAuth.failed()),
                withAuth.latency().p50(),
                withAuth.latency().p99(),
                ratio == null ? "no-auth storm not run" : "%.2fx no-auth".formatted(ratio),
                goal,
                met);
    }

    /** Whether {@code idle} connected enough things at once to judge the 10,000-thing storm goal itself. */
    public static boolean isStormAtScale(@NotNull IdleBench.Result idle) {
        return idle.things() >= STORM_GOAL_THINGS;
    }

    /** {@code storm-10k}: the idle fleet's first connect, all at once: how many got in, how fast, how many refused. */
    public static @NotNull ScenarioRow stormAtScale(@NotNull IdleBench.Result idle) {
        int inStorm = idle.things() - idle.refusedInStorm();
        return new ScenarioRow(
                "storm-10k",
                "%,d of %,d in %.2f s, %,d refused"
                        .formatted(inStorm, idle.things(), idle.connectSeconds(), idle.refusedInStorm()),
                null,
                null,
                "auth on",
                "%,d connect in <= %.0f s".formatted(STORM_GOAL_THINGS, STORM_GOAL_SECONDS),
                idle.refusedInStorm() == 0 && idle.connectSeconds() <= STORM_GOAL_SECONDS);
    }

    /** {@code idle}: the broker's heap per thing, projected to 10,000 things, against 2 GiB; and the whole fleet's storm. */
    public static @NotNull ScenarioRow idle(@NotNull IdleBench.Result idle) {
        long projected = idle.heapBytesPerThing() * IDLE_GOAL_THINGS;
        return new ScenarioRow(
                "idle",
                "%,d things, %,d B heap + %,d B RSS each (all connected at once: %.1f s, %,d refused)"
                        .formatted(
                                idle.connected(),
                                idle.heapBytesPerThing(),
                                idle.rssBytesPerThing(),
                                idle.connectSeconds(),
                                idle.refusedInStorm()),
                null,
                null,
                "10k = %,d MiB of 2 GiB".formatted(projected >> 20),
                "10,000 idle within 2 GiB heap",
                idle.connected() == idle.things() && projected <= IDLE_GOAL_HEAP_BYTES);
    }
}
