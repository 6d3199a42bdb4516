package io.shadowmq.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.bench.cost.CostMeter;
import io.shadowmq.bench.cost.CostPerRequest;
import io.shadowmq.bench.cost.CostSample;
import io.shadowmq.bench.load.Percentiles;
import io.shadowmq.bench.target.BenchPlatform;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.redis.RedisKeys;
import org.HdrHistogram.Histogram;
import org.jetbrains.annotations.NotNull;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code search}: search over shadow values on {@link Settings#things()} cars, in three measurements.
 *
 * <ol>
 *   <li><b>Latency</b> of {@code GET /api/v1/search/things?filter=..&limit=..} on the platform's REST service, for a
 *       selective filter ({@link #SELECTIVE}, about 0.1 % of the cars) and a broad one ({@link #BROAD}, about 90 %):
 *       one caller on a keep-alive connection sends the next search when the last answered, for the window after a
 *       warm-up as long that is not counted (HdrHistogram, µs).</li>
 *   <li><b>Index cost</b>: what keeping the index adds to an update's CPU. Two stores in this JVM on the platform's
 *       Redis, one as the platform runs ({@link StoreConfig#searchIndex()} true) and one with
 *       {@link StoreConfig#withSearchIndex(boolean) withSearchIndex(false)}, each send the same reported updates
 *       (a car's fuel level and range: searchable numbers) through {@code ShadowStore.shadows().update}, {@value
 *       #COST_CONCURRENCY} in flight, each on its own {@value #COST_CARS} cars, in alternating rounds (without, with, without, with) after a warm-up of each;
 *       the JVM's and Redis's CPU ({@link CostMeter}, as {@code cost}) per accepted update of each, and the ratio.
 *       </li>
 *   <li><b>Index memory</b>: the {@code MEMORY USAGE} (all samples) of every index key ({@code smq:{ix}:*}), right
 *       after the load, divided by the indexed values (the members of its number and value sets: one per car and
 *       searchable property it has, type and owner included) and by the cars.</li>
 * </ol>
 *
 * <p>The cars are loaded by {@link SearchFleet}: provisioned and given all their searchable reported values in one
 * update each, through the store in this JVM with {@value #LOAD_CONCURRENCY} calls in flight — the real scripts, so
 * the index is the platform's own.
 */
public final class SearchBench {

    /** Cars with (almost) no fuel left: about 0.1 % of the fleet. */
    public static final String SELECTIVE = "and(eq(type,\"car\"),lt(state.reported.fuel.level,0.1))";

    static final double SELECTIVE_BELOW = 0.1;
    /** Cars with more than a tenth of a tank: about 90 % of the fleet. */
    public static final String BROAD = "gt(state.reported.fuel.level,10)";

    static final double BROAD_ABOVE = 10;

    static final int LOAD_CONCURRENCY = 128;
    static final int COST_CONCURRENCY = 16;
    /** Cars each store of the index cost updates (disjoint; as many as the {@code cost} fleet). */
    static final int COST_CARS = 1_000;

    private static final Duration LOAD_STORE_TIMEOUT = Duration.ofSeconds(20);
    /** Index keys measured per script call. */
    private static final int MEMORY_BATCH = 500;

    private static final String MEMORY_SCRIPT = """
            local bytes, values, record = 0, 0, 0
            local from = tonumber(ARGV[1]) + 1
            for _, key in ipairs(KEYS) do
              local size = redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0') or 0
              bytes = bytes + size
              local kind = string.sub(key, from, from + 1)
              if kind == 'n:' or kind == 'v:' then values = values + redis.call('ZCARD', key) end
              if key == ARGV[2] then record = size end
            end
            return {bytes, values, record}
            """;

    /**
     * The sizes of one {@code search} run.
     *
     * @param things how many cars are loaded
     * @param window how long each search is measured (after a warm-up as long), and each store's share of the index
     *               cost rounds
     * @param limit  the {@code limit} of every search
     */
    public record Settings(int things, @NotNull Duration window, int limit) {
        public Settings {
            if (things < 1 || limit < 1 || window.toSeconds() < 1) {
                throw new IllegalArgumentException("search needs at least 1 thing, a limit of at least 1 and a window"
                        + " of at least 1 s; got " + things + ", " + limit + ", " + window);
            }
        }
    }

    /**
     * One filter's searches.
     *
     * @param matches   how many cars the filter matches (known from the loaded values)
     * @param firstPage how many items the first page answered (a check that the search finds them)
     */
    public record Query(
            @NotNull String filter,
            int limit,
            long matches,
            int firstPage,
            double perSecond,
            long ok,
            long errors,
            @NotNull Percentiles latency) {}

    /**
     * What indexing adds to an update.
     *
     * @param withIndex    per accepted update, the store as the platform runs it
     * @param withoutIndex per accepted update, {@code withSearchIndex(false)}
     * @param rejected     updates rejected in the measured rounds (both stores)
     */
    public record IndexCost(
            int concurrency,
            double secondsEach,
            long updatesWith,
            long updatesWithout,
            @NotNull CostPerRequest withIndex,
            @NotNull CostPerRequest withoutIndex,
            long rejected,
            @NotNull List<String> limitations) {

        /** The index's share: (CPU with − CPU without) / CPU without, JVM + Redis. */
        public double addedShare() {
            return (withIndex.cpuMicros() - withoutIndex.cpuMicros()) / withoutIndex.cpuMicros();
        }
    }

    /**
     * The index's Redis memory after the load.
     *
     * @param keys          index keys
     * @param bytes         their {@code MEMORY USAGE}, summed
     * @param recordBytes   of which the record hash ({@code smq:{ix}:rec}: each thing's version and entries)
     * @param indexedValues members of the number and value sets: one per car and indexed property
     * @param things        cars indexed
     */
    public record IndexMemory(long keys, long bytes, long recordBytes, long indexedValues, long things) {
        public double bytesPerValue() {
            return indexedValues == 0 ? 0 : (double) bytes / indexedValues;
        }

        public double bytesPerThing() {
            return things == 0 ? 0 : (double) bytes / things;
        }
    }

    /** Everything {@code search} measured. */
    public record Result(
            @NotNull Settings settings,
            int reportedValuesPerCar,
            double loadSeconds,
            @NotNull Query selective,
            @NotNull Query broad,
            @NotNull IndexCost cost,
            @NotNull IndexMemory memory) {}

    private final Settings settings;
    private final Progress progress;
    private final CostMeter meter;

    public SearchBench(@NotNull Settings settings, @NotNull Progress progress, @NotNull CostMeter meter) {
        this.settings = settings;
        this.progress = progress;
        this.meter = meter;
    }

    /** Loads the cars into {@code platform} (which should hold nothing else) and measures. */
    public @NotNull Result run(@NotNull BenchPlatform platform) throws Exception {
        ThingModels models = ThingModels.bundled();
        SearchFleet fleet = SearchFleet.of(settings.things(), models);
        StoreConfig config = platform.storeConfig()
                .withTimeout(LOAD_STORE_TIMEOUT)
                .withMaxUpdatesInFlight(Math.max(StoreConfig.DEFAULT_MAX_UPDATES_IN_FLIGHT, LOAD_CONCURRENCY * 2));
        long loadStart = System.nanoTime();
        try (ShadowStore loader = ShadowStore.connect(config, models)) {
            fleet.provision(loader, LOAD_CONCURRENCY);
            progress.say("search", "provisioned %,d cars in %.1f s".formatted(settings.things(), seconds(loadStart)));
            fleet.report(loader, LOAD_CONCURRENCY);
        }
        double loadSeconds = seconds(loadStart);
        progress.say(
                "search",
                "loaded %,d cars (provisioned, %d searchable reported values each) in %.1f s, %d calls in flight"
                        .formatted(settings.things(), fleet.reportedValues(), loadSeconds, LOAD_CONCURRENCY));
        IndexMemory memory = memory(config);
        progress.say(
                "search",
                "index memory: %,d B in %,d keys (record hash %,d B) for %,d indexed values: %.0f B per value, %.0f B per car"
                        .formatted(
                                memory.bytes(),
                                memory.keys(),
                                memory.recordBytes(),
                                memory.indexedValues(),
                                memory.bytesPerValue(),
                                memory.bytesPerThing()));
        Query selective = search(platform, SELECTIVE, fleet.fuelBelow(SELECTIVE_BELOW));
        Query broad = search(platform, BROAD, fleet.fuelAbove(BROAD_ABOVE));
        IndexCost cost = indexCost(config, models, fleet, platform);
        return new Result(settings, fleet.reportedValues(), loadSeconds, selective, broad, cost, memory);
    }

    /** Sequential searches of {@code filter} for the window, after a warm-up as long. */
    private Query search(BenchPlatform platform, String filter, long matches) throws Exception {
        String path = ApiPaths.SEARCH_THINGS + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                + "&limit=" + settings.limit();
        String authorization = "Bearer " + platform.adminToken();
        int firstPage = firstPage(platform.http(), path, authorization);
        Histogram micros = new Histogram(KeepAliveGets.HIGHEST_MICROS, 3);
        LongAdder ok = new LongAdder();
        LongAdder errors = new LongAdder();
        long warmUntil = System.nanoTime() + settings.window().toNanos();
        long deadline = warmUntil + settings.window().toNanos();
        KeepAliveGets.closedLoop(platform.http(), authorization, () -> path, warmUntil, deadline, micros, ok, errors);
        Query query = new Query(
                filter,
                settings.limit(),
                matches,
                firstPage,
                ok.sum() / (settings.window().toNanos() / 1e9),
                ok.sum(),
                errors.sum(),
                Percentiles.of(micros));
        progress.say(
                "search",
                "%s (matches %,d of %,d, first page %d items): %,.0f searches/s  p50 %.2f ms  p99 %.2f ms  errors %d"
                        .formatted(
                                filter,
                                matches,
                                settings.things(),
                                firstPage,
                                query.perSecond(),
                                query.latency().p50(),
                                query.latency().p99(),
                                query.errors()));
        return query;
    }

    /** The first page's item count; fails when the search is not answered 200 (a broken search measures nothing). */
    private static int firstPage(URI base, String path, String authorization) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(ShadowHttp.REQUEST_TIMEOUT)
                .build();
        HttpResponse<String> answer = client.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", authorization)
                        .timeout(ShadowHttp.REQUEST_TIMEOUT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        JsonNode items = SafeJson.mapper().readTree(answer.body()).path("items");
        return items.size();
    }

    /** The same updates through a store with and without the index, in alternating rounds. */
    private IndexCost indexCost(StoreConfig config, ThingModels models, SearchFleet fleet, BenchPlatform platform)
            throws InterruptedException {
        Duration round = settings.window().dividedBy(2);
        try (ShadowStore with = ShadowStore.connect(config, models);
                ShadowStore without = ShadowStore.connect(config.withSearchIndex(false), models)) {
            // The load left garbage behind; collected now, it does not land in one store's rounds.
            System.gc();
            progress.say(
                    "search",
                    "index cost: warming up both stores for %.1f s each (not counted)".formatted(seconds(round)));
            // Disjoint cars per store: neither finds its remembered shadows changed by the other (a stale base costs a
            // retry), and after the warm-up both update from memory, one round trip each, as the device path does.
            int share = Math.max(1, Math.min(COST_CARS, fleet.cars().size() / 2));
            List<ThingId> withoutCars = fleet.cars().subList(0, share);
            List<ThingId> withCars = fleet.cars()
                    .subList(fleet.cars().size() - share, fleet.cars().size());
            updates(without, withoutCars, fleet, round, platform);
            updates(with, withCars, fleet, round, platform);
            Round withoutTotal = Round.NONE;
            Round withTotal = Round.NONE;
            for (int i = 0; i < 2; i++) {
                withoutTotal = withoutTotal.plus(updates(without, withoutCars, fleet, round, platform));
                withTotal = withTotal.plus(updates(with, withCars, fleet, round, platform));
            }
            if (withTotal.accepted() < 1 || withoutTotal.accepted() < 1) {
                throw new IllegalStateException("index cost: no update accepted (with the index " + withTotal.accepted()
                        + ", without " + withoutTotal.accepted() + "; rejected " + withTotal.rejected() + " and "
                        + withoutTotal.rejected() + ")");
            }
            CostPerRequest perWith = withTotal.perUpdate(meter.clockTicksPerSecond());
            CostPerRequest perWithout = withoutTotal.perUpdate(meter.clockTicksPerSecond());
            IndexCost cost = new IndexCost(
                    COST_CONCURRENCY,
                    seconds(round) * 2,
                    withTotal.accepted(),
                    withoutTotal.accepted(),
                    perWith,
                    perWithout,
                    withTotal.rejected() + withoutTotal.rejected(),
                    meter.limitations());
            progress.say(
                    "search",
                    ("index cost, %d in flight: with the index %,d updates, %.0f µs CPU each (JVM %.0f + Redis %s);"
                                    + " without %,d, %.0f µs (JVM %.0f + Redis %s): +%.1f %%, rejected %d")
                            .formatted(
                                    COST_CONCURRENCY,
                                    withTotal.accepted(),
                                    perWith.cpuMicros(),
                                    perWith.jvmMicros(),
                                    redis(perWith),
                                    withoutTotal.accepted(),
                                    perWithout.cpuMicros(),
                                    perWithout.jvmMicros(),
                                    redis(perWithout),
                                    cost.addedShare() * 100,
                                    cost.rejected()));
            return cost;
        }
    }

    /** What one or more rounds of updates used. */
    private record Round(CostSample used, long accepted, long rejected) {
        static final Round NONE = new Round(new CostSample(0, 0, 0), 0, 0);

        Round plus(Round other) {
            return new Round(
                    new CostSample(
                            used.jvmCpuNanos() + other.used.jvmCpuNanos(),
                            used.allocatedBytes() < 0 || other.used.allocatedBytes() < 0
                                    ? -1
                                    : used.allocatedBytes() + other.used.allocatedBytes(),
                            used.redisCpuTicks() < 0 || other.used.redisCpuTicks() < 0
                                    ? -1
                                    : used.redisCpuTicks() + other.used.redisCpuTicks()),
                    accepted + other.accepted,
                    rejected + other.rejected);
        }

        CostPerRequest perUpdate(long clockTicksPerSecond) {
            return CostPerRequest.between(Round.NONE.used, used, accepted, clockTicksPerSecond);
        }
    }

    /**
     * {@value #COST_CONCURRENCY} chains of updates through {@code store}, each sending the next when the last was
     * answered, for {@code length}; the CPU used meanwhile.
     */
    private Round updates(
            ShadowStore store, List<ThingId> cars, SearchFleet fleet, Duration length, BenchPlatform platform)
            throws InterruptedException {
        LongAdder accepted = new LongAdder();
        LongAdder rejected = new LongAdder();
        CountDownLatch done = new CountDownLatch(COST_CONCURRENCY);
        CostSample before = meter.sample(platform.redisPid());
        long deadline = System.nanoTime() + length.toNanos();
        for (int chain = 0; chain < COST_CONCURRENCY; chain++) {
            SplittableRandom random = new SplittableRandom(System.nanoTime() + chain);
            chain(store, cars, fleet, random, deadline, accepted, rejected, done);
        }
        if (!done.await(length.toMillis() + LOAD_STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("index cost: updates still unanswered " + LOAD_STORE_TIMEOUT.toSeconds()
                    + " s after the round's end");
        }
        CostSample after = meter.sample(platform.redisPid());
        return new Round(
                new CostSample(
                        after.jvmCpuNanos() - before.jvmCpuNanos(),
                        after.allocatedBytes() < 0 || before.allocatedBytes() < 0
                                ? -1
                                : after.allocatedBytes() - before.allocatedBytes(),
                        after.redisCpuTicks() < 0 || before.redisCpuTicks() < 0
                                ? -1
                                : after.redisCpuTicks() - before.redisCpuTicks()),
                accepted.sum(),
                rejected.sum());
    }

    private static void chain(
            ShadowStore store,
            List<ThingId> cars,
            SearchFleet fleet,
            SplittableRandom random,
            long deadline,
            LongAdder accepted,
            LongAdder rejected,
            CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        ThingId car = cars.get(random.nextInt(cars.size()));
        UpdateRequest request = fleet.fuelAndRange(random);
        SearchFleet.update(store, car, request).whenComplete((Rejection rejection, Throwable error) -> {
            if (rejection == null && error == null) {
                accepted.increment();
                chain(store, cars, fleet, random, deadline, accepted, rejected, done);
            } else {
                rejected.increment();
                // A refusal may come at once: the next call on another thread keeps the stack flat.
                ForkJoinPool.commonPool()
                        .execute(() -> chain(store, cars, fleet, random, deadline, accepted, rejected, done));
            }
        });
    }

    /** Sums MEMORY USAGE over every index key, and counts the indexed values. */
    private static IndexMemory memory(StoreConfig config) {
        RedissonClient redis = Redisson.create(ShadowStore.redissonConfig(config));
        try {
            List<String> keys = new ArrayList<>();
            redis.getKeys()
                    .getKeys(KeysScanOptions.defaults()
                            .pattern(RedisKeys.SEARCH_INDEX_PREFIX + "*")
                            .chunkSize(MEMORY_BATCH))
                    .forEach(keys::add);
            RScript script = redis.getScript(StringCodec.INSTANCE);
            long bytes = 0;
            long values = 0;
            long record = 0;
            for (int from = 0; from < keys.size(); from += MEMORY_BATCH) {
                List<Object> batch = new ArrayList<>(keys.subList(from, Math.min(keys.size(), from + MEMORY_BATCH)));
                List<Object> answer = script.eval(
                        RScript.Mode.READ_ONLY,
                        MEMORY_SCRIPT,
                        RScript.ReturnType.LIST,
                        batch,
                        Integer.toString(RedisKeys.SEARCH_INDEX_PREFIX.length()),
                        RedisKeys.searchRecords());
                bytes += ((Number) answer.get(0)).longValue();
                values += ((Number) answer.get(1)).longValue();
                record += ((Number) answer.get(2)).longValue();
            }
            long things = redis.getScoredSortedSet(RedisKeys.searchIds(), StringCodec.INSTANCE)
                    .size();
            return new IndexMemory(keys.size(), bytes, record, values, things);
        } finally {
            redis.shutdown();
        }
    }

    private static String redis(CostPerRequest cost) {
        return cost.redisMicros() == null ? "not measured" : "%.0f".formatted(cost.redisMicros());
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
