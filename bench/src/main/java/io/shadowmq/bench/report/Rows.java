package io.shadowmq.bench.report;

import io.shadowmq.bench.cost.CostPerRequest;
import io.shadowmq.bench.load.Percentiles;
import io.shadowmq.bench.load.RateLadder;
import io.shadowmq.bench.load.StepResult;
import io.shadowmq.bench.load.Timeline;
import io.shadowmq.bench.mqtt.ConnectStorm;
import io.shadowmq.bench.scenario.CostBench;
import io.shadowmq.bench.scenario.IdleBench;
import io.shadowmq.bench.scenario.RecoveryBench;
import io.shadowmq.bench.scenario.RestReadBench;
import io.shadowmq.bench.scenario.RoundTripRun;
import io.shadowmq.bench.scenario.SearchBench;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Turns measurements into table rows, judged against the goals in docs/benchmarks.md. The goals live here, once.
 */
public final class Rows {

    /** Shadow-update throughput must reach this fraction of the same run's {@code floor-redis} held rate. */
    public static final double UPDATES_VS_FLOOR_REDIS_GOAL = 0.5;
    /** Beyond the goal: this fraction of {@code floor-redis} is the moonshot (shown, not judged). */
    public static final double UPDATES_VS_FLOOR_REDIS_MOONSHOT = 0.8;

    public static final double UPDATES_P99_AT_HALF_GOAL_MILLIS = 10;
    /** Lightly loaded: the ladder's step at this fraction of the held rate. */
    public static final double LIGHT_LOAD_FRACTION = 0.10;
    /** At {@link #LIGHT_LOAD_FRACTION} of their held rates, updates' p50 within this multiple of floor-redis's. */
    public static final double UPDATES_P50_AT_LIGHT_LOAD_VS_FLOOR_REDIS_GOAL = 2;

    /** The fixed rate at which {@code cost} is judged, requests per second. */
    public static final int COST_GOAL_RATE = 2_000;
    /** ShadowMQ's own CPU per update (JVM + Redis, updates minus floor-redis) at {@link #COST_GOAL_RATE}, µs. */
    public static final double COST_OWN_CPU_GOAL_MICROS = 100;
    /** ShadowMQ's own allocation per update (updates minus floor-redis) at {@link #COST_GOAL_RATE}, KB. */
    public static final double COST_OWN_ALLOCATION_GOAL_KB = 10;

    /** {@code recovery} runs at this fraction of the held update rate before and after the overload. */
    public static final double RECOVERY_BASE_FRACTION = 0.5;
    /** {@code recovery}'s overload, as a multiple of the held update rate. */
    public static final double RECOVERY_OVERLOAD_FACTOR = 2;
    /** A one-second window is healthy when its p99 is within this and none of its requests failed. */
    public static final double RECOVERY_P99_MILLIS = 50;
    /** Seconds until the windows are healthy and stay so, after a cold start and after the overload. */
    public static final double RECOVERY_GOAL_SECONDS = 10;

    public static final double DELTA_P99_GOAL_MILLIS = 20;
    public static final double STORM_VS_NO_AUTH_GOAL = 0.8;
    public static final int STORM_GOAL_THINGS = 10_000;
    public static final double STORM_GOAL_SECONDS = 10;
    public static final long IDLE_GOAL_HEAP_BYTES = 2L << 30;
    public static final int IDLE_GOAL_THINGS = 10_000;
    public static final double REST_GOAL_PER_SECOND = 10_000;
    public static final double REST_P99_GOAL_MILLIS = 10;
    /** {@code search}: p99 of the selective search ({@code SearchBench.SELECTIVE}) over the loaded cars, ms. */
    public static final double SEARCH_SELECTIVE_P99_GOAL_MILLIS = 20;
    /** {@code search}: what keeping the index may add to an update's CPU (JVM + Redis), as a share of it without. */
    public static final double SEARCH_INDEX_COST_GOAL_SHARE = 0.15;

    /** The ladder step whose latency the updates goal judges: half the held rate. */
    private static final double HALF = 0.5;

    private Rows() {}

    /** The goals in words, for the lines above the table; built from the constants that judge the rows. */
    public static @NotNull List<String> goals() {
        return List.of(
                "goals: updates: " + updatesGoal() + "; cost: " + costGoal(),
                "       recovery: " + recoveryGoal() + "; delta: " + deltaGoal() + "; rest-read: " + restReadGoal()
                        + "; connect-storm: >= %.1fx no-auth; storm-10k: ".formatted(STORM_VS_NO_AUTH_GOAL)
                        + stormAtScaleGoal() + "; idle: " + idleGoal(),
                "       search: " + searchGoal() + "; index cost: " + indexCostGoal());
    }

    private static String searchGoal() {
        return "selective p99 <= %.0f ms".formatted(SEARCH_SELECTIVE_P99_GOAL_MILLIS);
    }

    private static String indexCostGoal() {
        return "<= +%.0f %% of an update's CPU without the index".formatted(SEARCH_INDEX_COST_GOAL_SHARE * 100);
    }

    private static String updatesGoal() {
        return ">= %.1fx floor-redis (moonshot %.1fx), p99 <= %.0f ms at %.0f %%, p50 at %.0f %% <= %.0fx floor-redis's"
                .formatted(
                        UPDATES_VS_FLOOR_REDIS_GOAL,
                        UPDATES_VS_FLOOR_REDIS_MOONSHOT,
                        UPDATES_P99_AT_HALF_GOAL_MILLIS,
                        HALF * 100,
                        LIGHT_LOAD_FRACTION * 100,
                        UPDATES_P50_AT_LIGHT_LOAD_VS_FLOOR_REDIS_GOAL);
    }

    private static String costGoal() {
        return "own CPU <= %.0f µs, own alloc <= %.0f KB per update at %,d/s"
                .formatted(COST_OWN_CPU_GOAL_MICROS, COST_OWN_ALLOCATION_GOAL_KB, COST_GOAL_RATE);
    }

    private static String recoveryGoal() {
        return "p99 <= %.0f ms within %.0f s of a cold start and of a %.0fx overload's end"
                .formatted(RECOVERY_P99_MILLIS, RECOVERY_GOAL_SECONDS, RECOVERY_OVERLOAD_FACTOR);
    }

    private static String deltaGoal() {
        return "p99 <= %.0f ms".formatted(DELTA_P99_GOAL_MILLIS);
    }

    private static String restReadGoal() {
        return ">= %,.0f/s, p99 <= %.0f ms".formatted(REST_GOAL_PER_SECOND, REST_P99_GOAL_MILLIS);
    }

    private static String stormAtScaleGoal() {
        return "%,d connect in <= %.0f s".formatted(STORM_GOAL_THINGS, STORM_GOAL_SECONDS);
    }

    private static String idleGoal() {
        return "%,d idle within 2 GiB heap".formatted(IDLE_GOAL_THINGS);
    }

    /**
     * {@code updates}: the highest held rate, latency at half of it; against {@code floor-redis} of the same run
     * (held rate, and p50 at {@link #LIGHT_LOAD_FRACTION} of each one's held rate), and echo's rate for information.
     * Not judged without floor-redis.
     */
    public static @NotNull ScenarioRow updates(
            @NotNull RoundTripRun updates, @Nullable RoundTripRun echo, @Nullable RoundTripRun floorRedis) {
        RateLadder.Result ladder = updates.ladder();
        Percentiles half = ladder.at(HALF).map(StepResult::latency).orElse(Percentiles.NONE);
        Percentiles light =
                ladder.at(LIGHT_LOAD_FRACTION).map(StepResult::latency).orElse(Percentiles.NONE);
        Double vsFloor = ratio(ladder, floorRedis);
        Double vsEcho = ratio(ladder, echo);
        Percentiles floorLight = floorRedis == null
                ? Percentiles.NONE
                : floorRedis
                        .ladder()
                        .at(LIGHT_LOAD_FRACTION)
                        .map(StepResult::latency)
                        .orElse(Percentiles.NONE);
        Double lightVsFloor = light.count() == 0 || floorLight.count() == 0 || floorLight.p50() == 0
                ? null
                : light.p50() / floorLight.p50();
        Boolean met = vsFloor == null
                ? null
                : vsFloor >= UPDATES_VS_FLOOR_REDIS_GOAL
                        && half.count() > 0
                        && half.p99() <= UPDATES_P99_AT_HALF_GOAL_MILLIS
                        && lightVsFloor != null
                        && lightVsFloor <= UPDATES_P50_AT_LIGHT_LOAD_VS_FLOOR_REDIS_GOAL;
        String vs = (vsFloor == null
                        ? "floor-redis not run"
                        : "%.2fx floor-redis%s"
                                .formatted(
                                        vsFloor,
                                        vsFloor >= UPDATES_VS_FLOOR_REDIS_MOONSHOT ? " (moonshot reached)" : ""))
                + (vsEcho == null ? "" : ", %.2fx echo".formatted(vsEcho))
                + (lightVsFloor == null
                        ? ""
                        : ", p50 at %.0f %% %.2fx floor-redis's".formatted(LIGHT_LOAD_FRACTION * 100, lightVsFloor));
        return new ScenarioRow(
                "updates",
                "%,.0f upd/s".formatted(ladder.maxHeldRate()),
                half.p50(),
                half.p99(),
                vs,
                updatesGoal(),
                met);
    }

    /** {@code ladder}'s held rate over {@code limit}'s; null when the limit was not run or held nothing. */
    private static @Nullable Double ratio(@NotNull RateLadder.Result ladder, @Nullable RoundTripRun limit) {
        return limit == null || limit.ladder().maxHeldRate() == 0
                ? null
                : ladder.maxHeldRate() / limit.ladder().maxHeldRate();
    }

    /**
     * {@code cost} (the platform) and {@code cost-floor} ({@code floor-redis}) at the same fixed rate: per request
     * JVM and Redis CPU and JVM allocation, and ShadowMQ's own — updates minus floor-redis — judged against the goals
     * (only at {@link #COST_GOAL_RATE}, where they are stated). A target that did not hold the rate shows what it
     * achieved and its errors instead of a cost.
     */
    public static @NotNull List<ScenarioRow> cost(
            @NotNull CostBench.Result updates, @Nullable CostBench.Result floorRedis) {
        List<ScenarioRow> rows = new ArrayList<>();
        boolean atGoalRate = Math.abs(updates.step().targetRate() - COST_GOAL_RATE) < 1e-6;
        String vs;
        Boolean met;
        if (!updates.held()) {
            vs = "no cost: the rate was not held";
            met = atGoalRate ? false : null;
        } else if (floorRedis == null) {
            vs = "floor-redis not run";
            met = null;
        } else if (!floorRedis.held()) {
            vs = "floor-redis did not hold the rate";
            met = null;
        } else {
            CostPerRequest own = updates.perRequest().minus(floorRedis.perRequest());
            vs = "own %.0f µs (JVM %.0f + Redis %s), %s"
                    .formatted(
                            own.cpuMicros(),
                            own.jvmMicros(),
                            own.redisMicros() == null ? "?" : "%.0f".formatted(own.redisMicros()),
                            own.allocatedKb() == null ? "alloc not measured" : "%.1f KB".formatted(own.allocatedKb()));
            met = !atGoalRate || own.redisMicros() == null || own.allocatedKb() == null
                    ? null
                    : own.cpuMicros() <= COST_OWN_CPU_GOAL_MICROS && own.allocatedKb() <= COST_OWN_ALLOCATION_GOAL_KB;
        }
        rows.add(new ScenarioRow(
                "cost",
                costText(updates, "upd/s"),
                updates.step().latency().p50(),
                updates.step().latency().p99(),
                vs,
                atGoalRate
                        ? costGoal()
                        : costGoal()
                                + " (measured at %,.0f/s)"
                                        .formatted(updates.step().targetRate()),
                met));
        if (floorRedis != null) {
            rows.add(new ScenarioRow(
                    "cost-floor",
                    costText(floorRedis, "req/s"),
                    floorRedis.step().latency().p50(),
                    floorRedis.step().latency().p99(),
                    "floor-redis, the limit",
                    "",
                    null));
        }
        return rows;
    }

    /** {@code "2,000 upd/s: 740 µs JVM + 120 µs Redis, 25.1 KB each"}, or what was achieved when not held. */
    private static String costText(CostBench.Result cost, String unit) {
        StepResult step = cost.step();
        if (!cost.held()) {
            return "did not hold %,.0f %s: achieved %,.0f/s, %,d errors (%,d failed, %,d lost)"
                    .formatted(step.targetRate(), unit, step.achievedRate(), step.errors(), step.failed(), step.lost());
        }
        CostPerRequest each = cost.perRequest();
        return "%,.0f %s: %.0f µs JVM + %s Redis, %s each"
                .formatted(
                        step.targetRate(),
                        unit,
                        each.jvmMicros(),
                        each.redisMicros() == null ? "? µs" : "%.0f µs".formatted(each.redisMicros()),
                        each.allocatedKb() == null ? "alloc ?" : "%.1f KB".formatted(each.allocatedKb()));
    }

    /**
     * {@code recovery-cold} and {@code recovery-overload}: seconds until the one-second windows are healthy (p99
     * within {@link #RECOVERY_P99_MILLIS}, nothing refused or lost) and stay so, after a cold start and after the
     * overload; and what the overload did.
     */
    public static @NotNull List<ScenarioRow> recovery(@NotNull RecoveryBench.Result recovery) {
        Timeline timeline = recovery.timeline();
        Timeline.PhaseSummary cold = timeline.summary(RecoveryBench.COLD_START);
        Timeline.PhaseSummary overload = timeline.summary(RecoveryBench.OVERLOAD);
        Timeline.PhaseSummary after = timeline.summary(RecoveryBench.AFTER_OVERLOAD);
        OptionalDouble coldSettled = timeline.settledAfter(RecoveryBench.COLD_START, RECOVERY_P99_MILLIS);
        OptionalDouble overloadSettled = timeline.settledAfter(RecoveryBench.AFTER_OVERLOAD, RECOVERY_P99_MILLIS);
        ScenarioRow coldRow = new ScenarioRow(
                "recovery-cold",
                "%,.0f upd/s for %d s on a fresh platform: %s"
                        .formatted(
                                cold.phase().ratePerSecond(),
                                cold.phase().duration().toSeconds(),
                                settled(coldSettled, "")),
                cold.latency().p50(),
                cold.latency().p99(),
                "errors %,d (rate from %s)".formatted(cold.refused() + cold.lost(), recovery.rateFrom()),
                "p99 <= %.0f ms within %.0f s of a cold start".formatted(RECOVERY_P99_MILLIS, RECOVERY_GOAL_SECONDS),
                within(coldSettled));
        ScenarioRow overloadRow = new ScenarioRow(
                "recovery-overload",
                "%.0fx = %,.0f/s for %d s: %,d of %,d answered, %,d refused%s, %,d lost; then %,.0f/s: %s"
                        .formatted(
                                RECOVERY_OVERLOAD_FACTOR,
                                overload.phase().ratePerSecond(),
                                overload.phase().duration().toSeconds(),
                                overload.succeeded(),
                                overload.sent(),
                                overload.refused(),
                                byCode(overload.refusedByCode()),
                                overload.lost(),
                                after.phase().ratePerSecond(),
                                settled(overloadSettled, " after the overload")),
                after.latency().p50(),
                after.latency().p99(),
                "errors after %,d".formatted(after.refused() + after.lost()),
                "p99 <= %.0f ms within %.0f s of the overload's end"
                        .formatted(RECOVERY_P99_MILLIS, RECOVERY_GOAL_SECONDS),
                within(overloadSettled));
        return List.of(coldRow, overloadRow);
    }

    private static String settled(OptionalDouble seconds, String since) {
        return seconds.isPresent()
                ? "healthy from %.0f s%s on".formatted(seconds.getAsDouble(), since)
                : "not healthy by the phase's end";
    }

    private static boolean within(OptionalDouble seconds) {
        return seconds.isPresent() && seconds.getAsDouble() <= RECOVERY_GOAL_SECONDS;
    }

    /** {@code " (503: 9,000, 429: 10, not sent: 2)"}, empty when nothing was refused. */
    private static String byCode(Map<Integer, Long> refusedByCode) {
        if (refusedByCode.isEmpty()) {
            return "";
        }
        return refusedByCode.entrySet().stream()
                .map(e -> (e.getKey() == 0 ? "not sent" : e.getKey().toString()) + ": %,d".formatted(e.getValue()))
                .collect(java.util.stream.Collectors.joining(", ", " (", ")"));
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
     * reply), against echo: the limits the updates goal is a ratio to.
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
                deltaGoal(),
                delta.errors() == 0 && delta.succeeded() > 0 && delta.latency().p99() <= DELTA_P99_GOAL_MILLIS);
    }

    /**
     * {@code search}: the selective and the broad search (latency, how many the filter matches), what the index adds
     * to an update's CPU, and its memory per indexed value.
     */
    public static @NotNull List<ScenarioRow> search(@NotNull SearchBench.Result search) {
        long things = search.settings().things();
        SearchBench.Query selective = search.selective();
        SearchBench.Query broad = search.broad();
        SearchBench.IndexCost cost = search.cost();
        SearchBench.IndexMemory memory = search.memory();
        return List.of(
                new ScenarioRow(
                        "search-selective",
                        "%,.0f searches/s".formatted(selective.perSecond()),
                        selective.latency().p50(),
                        selective.latency().p99(),
                        matches(selective, things),
                        searchGoal(),
                        selective.errors() == 0
                                && selective.ok() > 0
                                && selective.latency().p99() <= SEARCH_SELECTIVE_P99_GOAL_MILLIS),
                new ScenarioRow(
                        "search-broad",
                        "%,.0f searches/s".formatted(broad.perSecond()),
                        broad.latency().p50(),
                        broad.latency().p99(),
                        matches(broad, things),
                        "",
                        null),
                new ScenarioRow(
                        "index-cost",
                        "%.0f vs %.0f µs CPU/update"
                                .formatted(
                                        cost.withIndex().cpuMicros(),
                                        cost.withoutIndex().cpuMicros()),
                        null,
                        null,
                        "%+.1f %% (JVM %.0f vs %.0f, Redis %s vs %s)"
                                .formatted(
                                        cost.addedShare() * 100,
                                        cost.withIndex().jvmMicros(),
                                        cost.withoutIndex().jvmMicros(),
                                        micros(cost.withIndex().redisMicros()),
                                        micros(cost.withoutIndex().redisMicros())),
                        indexCostGoal(),
                        cost.rejected() == 0 && cost.addedShare() <= SEARCH_INDEX_COST_GOAL_SHARE),
                new ScenarioRow(
                        "index-memory",
                        "%.0f B per indexed value".formatted(memory.bytesPerValue()),
                        null,
                        null,
                        "%.0f B per car (%,d values, %,d cars, %.1f MB)"
                                .formatted(
                                        memory.bytesPerThing(),
                                        memory.indexedValues(),
                                        memory.things(),
                                        memory.bytes() / 1e6),
                        "",
                        null));
    }

    private static String matches(SearchBench.Query query, long things) {
        return "matches %,d (%.2f %%), limit %d"
                .formatted(query.matches(), 100.0 * query.matches() / things, query.limit());
    }

    private static String micros(@Nullable Double micros) {
        return micros == null ? "n/a" : "%.0f".formatted(micros);
    }

    public static @NotNull ScenarioRow restRead(@NotNull RestReadBench.Result read) {
        return new ScenarioRow(
                "rest-read",
                "%,.0f GET/s".formatted(read.throughput()),
                read.latency().p50(),
                read.latency().p99(),
                "%.2fx goal".formatted(read.throughput() / REST_GOAL_PER_SECOND),
                restReadGoal(),
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
                stormAtScaleGoal(),
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
                idleGoal(),
                idle.connected() == idle.things() && projected <= IDLE_GOAL_HEAP_BYTES);
    }
}
