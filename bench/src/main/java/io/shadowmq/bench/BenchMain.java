package io.shadowmq.bench;

import io.shadowmq.bench.report.BenchReport;
import io.shadowmq.bench.report.JsonReport;
import io.shadowmq.bench.report.LatencyChart;
import io.shadowmq.bench.report.ResultTable;
import io.shadowmq.bench.report.Rows;
import io.shadowmq.bench.scenario.BenchSettings;
import io.shadowmq.bench.scenario.Progress;
import io.shadowmq.bench.scenario.SearchBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./shadowmq bench}: measures the platform on this machine next to the broker beneath it, prints
 * one table and writes JSON plus a latency-vs-rate PNG to {@code bench-results/}.
 *
 * <pre>{@code
 * ./shadowmq bench                                   # everything, defaults (a few minutes)
 * ./shadowmq bench --quick                           # smoke run, seconds
 * ./shadowmq bench --scenarios updates,echo --things 500 --rates 1000,2000,4000 --step-seconds 5
 * }</pre>
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmark the platform against plain HiveMQ CE (and Mosquitto when present) on this machine.")
public final class BenchMain implements Callable<Integer> {

    @Option(
            names = "--scenarios",
            split = ",",
            description = "which to run (default: all but search): updates, echo, delta, "
                    + "rest-read, connect-storm, peer, idle, floor, cost, recovery; and search, only when named: it "
                    + "starts its own platform and loads --search-things cars first (about 3 to 5 minutes on 2 "
                    + "cores with the defaults)",
            defaultValue = "updates,echo,delta,rest-read,connect-storm,peer,idle,floor,cost,recovery")
    List<String> scenarios;

    @Option(
            names = "--things",
            description = "connected devices for updates/echo/connect-storm (default ${DEFAULT-VALUE})",
            defaultValue = "1000")
    int things;

    @Option(
            names = "--rates",
            split = ",",
            description = "rate steps, total requests/s (default ${DEFAULT-VALUE})",
            defaultValue = "50,100,200,400,700,1000,1500,2000,3000,4000,6000,8000,12000,16000,24000,32000,48000")
    List<Double> rates;

    @Option(
            names = "--step-seconds",
            description = "duration of each rate step (default ${DEFAULT-VALUE})",
            defaultValue = "10")
    int stepSeconds;

    @Option(
            names = "--p99-limit-ms",
            description = "a step holds while p99 stays at or below this (default ${DEFAULT-VALUE})",
            defaultValue = "50")
    double p99LimitMillis;

    @Option(
            names = "--delta-rate",
            description = "REST PATCHes per second in delta (default ${DEFAULT-VALUE})",
            defaultValue = "50")
    double deltaRate;

    @Option(
            names = "--delta-things",
            description = "devices receiving deltas (default ${DEFAULT-VALUE})",
            defaultValue = "200")
    int deltaThings;

    @Option(
            names = "--rest-clients",
            description = "concurrent HTTP clients in rest-read (default ${DEFAULT-VALUE})",
            defaultValue = "16")
    int restClients;

    @Option(
            names = "--idle-things",
            description = "devices connected in idle; capped by the open-file limit " + "(default ${DEFAULT-VALUE})",
            defaultValue = "10000")
    int idleThings;

    @Option(
            names = "--rate-limit",
            description = "the extension's per-thing updates/s for the run, set high so the "
                    + "limiter is not what is measured (default ${DEFAULT-VALUE}; the product default is 20)",
            defaultValue = "100000")
    int rateLimit;

    @Option(
            names = "--cost-rate",
            description = "cost: the fixed rate, updates (and floor-redis requests) per second; the cost goals are "
                    + "stated at the default (${DEFAULT-VALUE})",
            defaultValue = "" + Rows.COST_GOAL_RATE)
    double costRate;

    @Option(
            names = "--cost-seconds",
            description = "cost: how long it measures, after a settle period at the same rate "
                    + "(--cost-settle-seconds) that is not counted (default ${DEFAULT-VALUE})",
            defaultValue = "15")
    int costSeconds;

    @Option(
            names = "--cost-settle-seconds",
            description = "cost: how long it runs at the rate before it measures (default ${DEFAULT-VALUE})",
            defaultValue = "5")
    int costSettleSeconds;

    @Option(
            names = "--recovery-rate",
            description = "recovery: the held rate its profile is derived from when updates did not run this time "
                    + "(default ${DEFAULT-VALUE}); otherwise the updates ladder's",
            defaultValue = "500")
    double recoveryRate;

    @Option(
            names = "--search-things",
            description = "search: the cars loaded, every searchable reported value set (default ${DEFAULT-VALUE})",
            defaultValue = "100000")
    int searchThings;

    @Option(
            names = "--search-seconds",
            description = "search: how long each filter is searched (after a warm-up as long) and each store's share"
                    + " of the index-cost rounds (default ${DEFAULT-VALUE})",
            defaultValue = "10")
    int searchSeconds;

    @Option(
            names = "--search-limit",
            description = "search: the limit of every search (default ${DEFAULT-VALUE})",
            defaultValue = "25")
    int searchLimit;

    @Option(
            names = "--redis-server",
            description = "the redis-server binary of the platform and floor-redis (default: as ./shadowmq up picks: "
                    + "PATH first, then the bundled one); the report names its version")
    Path redisServer;

    @Option(
            names = "--quick",
            description = "a smoke run of seconds: 20 things, 2 short steps, cost at 200/s for 2 s, recovery "
                    + "3 + 2 + 3 s, search over 1,000 cars for 1 s each; overrides the sizes above")
    boolean quick;

    @Option(
            names = "--out",
            description = "where JSON and PNG go (default ${DEFAULT-VALUE})",
            defaultValue = "bench-results")
    Path out;

    @Option(
            names = "--extension-folder",
            hidden = true,
            defaultValue = "${sys:shadowmq.extension.folder:-extension/target/shadowmq-extension}")
    Path extensionFolder;

    @Spec
    CommandSpec spec;

    /** recovery's profile: a cold start, an overload, the time after it (the goals give each its length). */
    private static final Duration RECOVERY_COLD_START = Duration.ofSeconds(20);

    private static final Duration RECOVERY_OVERLOAD = Duration.ofSeconds(10);
    private static final Duration RECOVERY_AFTER = Duration.ofSeconds(20);
    /** --quick measures cost at a rate a cold JVM and 20 things hold; only the goal rate is judged. */
    private static final double QUICK_COST_RATE = 200;
    /** --quick searches this many cars. */
    private static final int QUICK_SEARCH_THINGS = 1_000;

    private final PrintStream stdout = System.out;

    public static void main(String[] args) {
        // Several jars carry a logback.xml (HiveMQ's, the service's); name ours explicitly.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Set<Scenario> selected = EnumSet.noneOf(Scenario.class);
        for (String name : scenarios) {
            selected.add(Scenario.of(name));
        }
        if (redisServer != null && !Files.isExecutable(redisServer)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--redis-server " + redisServer + " is not an executable file");
        }
        BenchSettings settings = settings();
        SearchBench.Settings search = quick
                ? new SearchBench.Settings(QUICK_SEARCH_THINGS, Duration.ofSeconds(1), searchLimit)
                : new SearchBench.Settings(searchThings, Duration.ofSeconds(searchSeconds), searchLimit);
        Progress progress = new Progress(stdout);
        Files.createDirectories(out);
        Path workDir = Files.createTempDirectory("shadowmq-bench-");
        BenchReport report;
        try {
            report = new BenchRun(settings, search, selected, extensionFolder, workDir, progress)
                    .run("./shadowmq bench " + String.join(" ", commandLine()));
        } finally {
            deleteRecursively(workDir);
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path json = out.resolve("bench-" + stamp + ".json");
        Path png = out.resolve("bench-" + stamp + ".png");
        JsonReport.write(report, json);
        LatencyChart chart = new LatencyChart();
        if (report.updates() != null) {
            chart.add("updates (platform)", report.updates().ladder().allSteps());
        }
        if (report.echo() != null) {
            chart.add("echo (HiveMQ CE, no extension)", report.echo().ladder().allSteps());
        }
        if (report.peer() != null) {
            chart.add("peer (Mosquitto)", report.peer().ladder().allSteps());
        }
        if (report.floor() != null) {
            chart.add("floor (reply-only extension)", report.floor().ladder().allSteps());
        }
        if (report.floorRedis() != null) {
            chart.add(
                    "floor-redis (SET, then reply)",
                    report.floorRedis().ladder().allSteps());
        }
        chart.write(
                png,
                "Latency vs offered rate, %d things, %d cores"
                        .formatted(settings.things(), report.machine().cores()),
                settings.p99LimitMillis());

        stdout.println();
        stdout.println(report.machine().line());
        report.goals().forEach(stdout::println);
        stdout.print(ResultTable.render(report.table()));
        for (String note : report.notes()) {
            stdout.println("note: " + note);
        }
        stdout.println("wrote " + json + " and " + png);
        return 0;
    }

    private BenchSettings settings() {
        if (quick) {
            return new BenchSettings(
                    20,
                    List.of(50.0, 100.0),
                    Duration.ofSeconds(1),
                    p99LimitMillis,
                    20,
                    10,
                    2,
                    20,
                    rateLimit,
                    Duration.ofSeconds(3),
                    Duration.ofMillis(200),
                    5,
                    QUICK_COST_RATE,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    recoveryRate,
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(3),
                    redisServer);
        }
        return new BenchSettings(
                things,
                rates.stream().sorted().toList(),
                Duration.ofSeconds(stepSeconds),
                p99LimitMillis,
                deltaRate,
                deltaThings,
                restClients,
                idleThings,
                rateLimit,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                50,
                costRate,
                Duration.ofSeconds(costSettleSeconds),
                Duration.ofSeconds(costSeconds),
                recoveryRate,
                RECOVERY_COLD_START,
                RECOVERY_OVERLOAD,
                RECOVERY_AFTER,
                redisServer);
    }

    private List<String> commandLine() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        return parsed == null ? List.of() : parsed.originalArgs();
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
