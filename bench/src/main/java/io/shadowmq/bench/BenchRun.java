package io.shadowmq.bench;

import io.shadowmq.bench.cost.CostMeter;
import io.shadowmq.bench.load.StepResult;
import io.shadowmq.bench.mqtt.ThingCredentials;
import io.shadowmq.bench.report.BenchReport;
import io.shadowmq.bench.report.Rows;
import io.shadowmq.bench.report.ScenarioRow;
import io.shadowmq.bench.scenario.BenchSettings;
import io.shadowmq.bench.scenario.CostBench;
import io.shadowmq.bench.scenario.DeltaBench;
import io.shadowmq.bench.scenario.IdleBench;
import io.shadowmq.bench.scenario.Progress;
import io.shadowmq.bench.scenario.RecoveryBench;
import io.shadowmq.bench.scenario.RestReadBench;
import io.shadowmq.bench.scenario.RoundTripBench;
import io.shadowmq.bench.scenario.RoundTripRun;
import io.shadowmq.bench.scenario.SearchBench;
import io.shadowmq.bench.target.BenchPlatform;
import io.shadowmq.bench.target.Mosquitto;
import io.shadowmq.bench.target.PlainHiveMq;
import io.shadowmq.bench.target.RedisVersion;
import io.shadowmq.bench.target.ReplyFloor;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * One bench run: the platform's scenarios while it runs, then the plain broker's, then the peer's — one target at
 * a time, so they never share the two cores — and the table built from all of them.
 */
final class BenchRun {

    /** Each idle device holds one socket in this JVM (the broker's side; the devices run in their own), plus headroom. */
    private static final int FD_HEADROOM = 2_000;

    private final BenchSettings settings;
    private final Set<Scenario> scenarios;
    private final Path extensionFolder;
    private final Path workDir;
    private final Progress progress;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    // What the scenarios measured, set as they finish (a run is used once).
    private @Nullable RoundTripRun updates;
    private @Nullable CostBench.Result cost;
    private @Nullable CostBench.Result costFloor;
    private @Nullable RecoveryBench.Result recovery;
    private @Nullable CostMeter costMeter;
    private @Nullable SearchBench.Result search;
    private final SearchBench.Settings searchSettings;

    BenchRun(
            @NotNull BenchSettings settings,
            @NotNull SearchBench.Settings searchSettings,
            @NotNull Set<Scenario> scenarios,
            @NotNull Path extensionFolder,
            @NotNull Path workDir,
            @NotNull Progress progress) {
        this.settings = settings;
        this.searchSettings = searchSettings;
        this.scenarios = scenarios;
        this.extensionFolder = extensionFolder;
        this.workDir = workDir;
        this.progress = progress;
    }

    @NotNull
    BenchReport run(@NotNull String command) throws Exception {
        String startedAt = OffsetDateTime.now().toString();
        RoundTripBench roundTrips = new RoundTripBench(settings, progress);
        RoundTripRun echo = null;
        RoundTripRun peer = null;
        StepResult delta = null;
        RestReadBench.Result restRead = null;
        IdleBench.Result idle = null;
        boolean storm = scenarios.contains(Scenario.CONNECT_STORM);

        if (scenarios.stream().anyMatch(Scenario::needsPlatform)) {
            try (BenchPlatform platform = startPlatform("platform", "platform")) {
                notes.add("per-thing rate limit raised to " + settings.updatesPerSecondPerThing()
                        + "/s (default 20/s) so the limiter is not what is measured; 429s seen are reported");
                int idleThings = scenarios.contains(Scenario.IDLE) ? idleThings() : 0;
                List<ThingCredentials> all = platform.provision("bench", Math.max(settings.things(), idleThings));
                List<ThingCredentials> fleet = all.subList(0, settings.things());
                List<ThingCredentials> warmup = platform.provision("bench-warm", settings.warmupThings());
                progress.say("platform", "provisioned %,d things".formatted(all.size() + warmup.size()));
                boolean climbOrStorm = scenarios.contains(Scenario.UPDATES) || storm;
                if (climbOrStorm || scenarios.contains(Scenario.COST)) {
                    attempt(climbOrStorm ? "updates" : "cost", () -> {
                        try (RoundTripBench.Session session = roundTrips.open(
                                "updates", platform, RoundTripBench.Shape.SHADOW_UPDATE, warmup, fleet)) {
                            if (climbOrStorm) {
                                updates = scenarios.contains(Scenario.UPDATES) ? session.climb() : session.stormOnly();
                            }
                            if (scenarios.contains(Scenario.COST)) {
                                cost = attempt("cost", () -> costBench().measure("cost", session));
                            }
                        }
                        return null;
                    });
                    if (updates != null && updates.rateLimited() > 0) {
                        notes.add(updates.rateLimited() + " updates were rate-limited (429): raise --rate-limit");
                    }
                }
                if (scenarios.contains(Scenario.DELTA)) {
                    delta = attempt(
                            "delta",
                            () -> new DeltaBench(settings, progress)
                                    .run(platform, platform.provision("bench-delta", settings.deltaThings())));
                }
                if (scenarios.contains(Scenario.REST_READ)) {
                    restRead = attempt("rest-read", () -> new RestReadBench(settings, progress).run(platform, fleet));
                }
                if (scenarios.contains(Scenario.IDLE)) {
                    idle = attempt(
                            "idle", () -> new IdleBench(progress).run(platform, all.subList(0, idleThings), workDir));
                }
            }
        }
        if (scenarios.contains(Scenario.RECOVERY)) {
            recovery = attempt("recovery", () -> recovery(roundTrips));
        }
        if (scenarios.contains(Scenario.SEARCH)) {
            search = attempt("search", this::search);
        }
        if (scenarios.contains(Scenario.ECHO) || storm) {
            progress.say("echo", "starting HiveMQ CE without the extension");
            try (PlainHiveMq plain = PlainHiveMq.start(workDir)) {
                echo = attempt(
                        "echo",
                        () -> roundTrips.run(
                                "echo",
                                plain,
                                RoundTripBench.Shape.ECHO,
                                anyone("warm", settings.warmupThings()),
                                anyone("bench", settings.things()),
                                scenarios.contains(Scenario.ECHO)));
            }
        }
        if (scenarios.contains(Scenario.PEER)) {
            Optional<Path> mosquitto = Mosquitto.findBinary();
            if (mosquitto.isEmpty()) {
                progress.say("peer", "skipped: no mosquitto binary on PATH");
                notes.add("peer skipped: no mosquitto binary on PATH");
            } else {
                try (Mosquitto broker = Mosquitto.start(mosquitto.get(), workDir)) {
                    peer = attempt(
                            "peer",
                            () -> roundTrips.run(
                                    "peer",
                                    broker,
                                    RoundTripBench.Shape.ECHO,
                                    anyone("warm", settings.warmupThings()),
                                    anyone("bench", settings.things()),
                                    true));
                }
            }
        }
        RoundTripRun floor = null;
        RoundTripRun floorRedis = null;
        if (scenarios.contains(Scenario.FLOOR)) {
            floor = floor(roundTrips, false);
        }
        if (scenarios.contains(Scenario.FLOOR) || scenarios.contains(Scenario.COST)) {
            floorRedis = floor(roundTrips, true);
        }
        if (costMeter != null) {
            costMeter.limitations().forEach(limit -> notes.add("cost: " + limit));
        }
        List<ScenarioRow> table = table(echo, peer, delta, restRead, idle, floor, floorRedis, storm);
        return new BenchReport(
                startedAt,
                command,
                BenchReport.Machine.current(
                        usesRedis() ? RedisVersion.describe(settings.redisServer()) : "no Redis in this run"),
                settings,
                table,
                scenarios.contains(Scenario.UPDATES) ? updates : null,
                scenarios.contains(Scenario.ECHO) ? echo : null,
                peer,
                delta,
                restRead,
                idle,
                floor,
                floorRedis,
                cost,
                costFloor,
                recovery,
                search,
                Rows.goals(),
                List.copyOf(notes));
    }

    /** Starts Redis, HiveMQ CE with the extension and the REST service, in {@code dir} under the work dir. */
    private BenchPlatform startPlatform(String scenario, String dir) throws Exception {
        progress.say(scenario, "starting a platform: Redis, HiveMQ CE with the extension, REST service");
        return BenchPlatform.start(
                extensionFolder, workDir.resolve(dir), settings.updatesPerSecondPerThing(), settings.redisServer());
    }

    /** Whether a target of this run runs Redis: the platform, the fresh one of recovery, or floor-redis. */
    private boolean usesRedis() {
        return scenarios.stream().anyMatch(Scenario::needsPlatform)
                || scenarios.contains(Scenario.RECOVERY)
                || scenarios.contains(Scenario.SEARCH)
                || scenarios.contains(Scenario.FLOOR)
                || scenarios.contains(Scenario.COST);
    }

    /** One meter for the run: it finds the clock tick once and collects what it cannot measure. */
    private CostBench costBench() {
        return new CostBench(settings, progress, costMeter());
    }

    private CostMeter costMeter() {
        if (costMeter == null) {
            costMeter = new CostMeter();
        }
        return costMeter;
    }

    /**
     * {@code recovery}: a fresh platform (new Redis, broker and service), the fleet connected, then straight away
     * the load profile, from this run's held update rate or {@code --recovery-rate}.
     */
    private RecoveryBench.Result recovery(RoundTripBench roundTrips) throws Exception {
        double held = updates == null ? 0 : updates.ladder().maxHeldRate();
        double rate = held > 0 ? held : settings.recoveryRate();
        String from = held > 0 ? "updates" : "--recovery-rate";
        try (BenchPlatform fresh = startPlatform("recovery", "platform-recovery")) {
            List<ThingCredentials> fleet = fresh.provision("bench", settings.things());
            // No warm-up devices: the start is meant to be cold.
            try (RoundTripBench.Session session =
                    roundTrips.open("recovery", fresh, RoundTripBench.Shape.SHADOW_UPDATE, List.of(), fleet)) {
                return new RecoveryBench(settings, progress).run("recovery", session, rate, from);
            }
        }
    }

    /** {@code search}: a fresh platform (so nothing else is in its Redis), loaded with the cars, then measured. */
    private SearchBench.Result search() throws Exception {
        try (BenchPlatform fresh = startPlatform("search", "platform-search")) {
            return new SearchBench(searchSettings, progress, costMeter()).run(fresh);
        }
    }

    /**
     * The reply floor ({@link ReplyFloor}), without or with one Redis write per request: its ladder when
     * {@code floor} runs, and (with Redis) the cost of a request when {@code cost} runs.
     */
    private @Nullable RoundTripRun floor(RoundTripBench roundTrips, boolean withRedis) {
        String scenario = withRedis ? "floor-redis" : "floor";
        progress.say(scenario, "starting HiveMQ CE with the reply-floor extension" + (withRedis ? " and Redis" : ""));
        boolean climb = scenarios.contains(Scenario.FLOOR);
        // Starting inside the attempt: a floor that cannot start leaves a failed row, not a run without a report.
        return attempt(climb ? scenario : "cost-floor", () -> {
            try (ReplyFloor target = ReplyFloor.start(workDir, withRedis, settings.redisServer());
                    RoundTripBench.Session session = roundTrips.open(
                            scenario,
                            target,
                            RoundTripBench.Shape.REPLY,
                            anyone("warm", settings.warmupThings()),
                            anyone("bench", settings.things()))) {
                RoundTripRun run = climb ? session.climb() : null;
                if (withRedis && scenarios.contains(Scenario.COST)) {
                    costFloor = attempt("cost-floor", () -> costBench().measure(scenario, session));
                }
                return run;
            }
        });
    }

    private List<ScenarioRow> table(
            @Nullable RoundTripRun echo,
            @Nullable RoundTripRun peer,
            @Nullable StepResult delta,
            @Nullable RestReadBench.Result restRead,
            @Nullable IdleBench.Result idle,
            @Nullable RoundTripRun floor,
            @Nullable RoundTripRun floorRedis,
            boolean storm) {
        List<ScenarioRow> rows = new ArrayList<>();
        boolean echoClimbed = echo != null && scenarios.contains(Scenario.ECHO);
        if (updates != null && scenarios.contains(Scenario.UPDATES)) {
            rows.add(Rows.updates(updates, echoClimbed ? echo : null, floorRedis));
        }
        if (echoClimbed) {
            rows.add(Rows.echo("echo", echo, peer, "peer"));
        }
        if (scenarios.contains(Scenario.PEER)) {
            rows.add(
                    peer == null
                            ? ScenarioRow.skipped("peer", "no mosquitto on PATH")
                            : Rows.echo("peer", peer, null, ""));
        }
        if (delta != null) {
            rows.add(Rows.delta(delta));
        }
        if (restRead != null) {
            rows.add(Rows.restRead(restRead));
        }
        if (storm && updates != null) {
            rows.add(Rows.connectStorm(
                    updates.storm(), echo == null ? null : echo.storm(), idle != null && Rows.isStormAtScale(idle)));
        }
        if (idle != null && Rows.isStormAtScale(idle)) {
            rows.add(Rows.stormAtScale(idle));
        }
        if (idle != null) {
            rows.add(Rows.idle(idle));
        }
        if (floor != null) {
            rows.add(Rows.floor("floor", floor, echo));
        }
        if (floorRedis != null) {
            rows.add(Rows.floor("floor-redis", floorRedis, echo));
        }
        if (cost != null) {
            rows.addAll(Rows.cost(cost, costFloor));
        }
        if (recovery != null) {
            rows.addAll(Rows.recovery(recovery));
        }
        if (search != null) {
            rows.addAll(Rows.search(search));
        }
        failures.forEach((scenario, why) -> rows.add(ScenarioRow.failed(scenario, why)));
        return rows;
    }

    /** A measurement that may break; the run goes on without it. */
    @FunctionalInterface
    private interface Measurement<T> {
        T run() throws Exception;
    }

    /**
     * Runs one scenario; if it breaks (a fleet that cannot connect, a timeout) the run goes on with the others and
     * the table says why this one is missing, instead of a half-hour run ending with nothing.
     */
    private <T> @Nullable T attempt(String scenario, Measurement<T> measurement) {
        try {
            return measurement.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + scenario, e);
        } catch (Exception e) {
            progress.say(scenario, "FAILED: " + e);
            failures.put(scenario, String.valueOf(e.getMessage()));
            notes.add(scenario + " failed: " + e);
            return null;
        }
    }

    /** The idle count, capped by this process's file-descriptor limit (said in the notes when it is). */
    private int idleThings() {
        int wanted = settings.idleThings();
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long cap = unix.getMaxFileDescriptorCount() - FD_HEADROOM;
            if (cap < wanted) {
                notes.add("idle capped at %,d things by the open-file limit %,d (the broker holds one socket per thing)"
                        .formatted(cap, unix.getMaxFileDescriptorCount()));
                return (int) Math.max(1, cap);
            }
        }
        return wanted;
    }

    /** Credentials for a broker without authentication: the ids matter (topics), the secret does not. */
    private static List<ThingCredentials> anyone(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new ThingCredentials("%s-%05d".formatted(prefix, i), "-"))
                .toList();
    }
}
