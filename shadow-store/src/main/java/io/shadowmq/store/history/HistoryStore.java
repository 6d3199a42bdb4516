package io.shadowmq.store.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ReportedHistory;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.redis.StoredJson;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads a property's recent reported history: the points the write path appends to each thing's history stream
 * ({@link RedisKeys#history}, one per accepted update that changed a reported value), filtered to one property and a
 * time window, optionally downsampled to buckets of a fixed width (min/max/avg over numeric values, last, count).
 *
 * <pre>{@code
 * store.history().read(ThingId.of("car-1"), HistoryQuery.of("state.reported.range", null, null, null,
 *         Duration.ofMinutes(1)).orElseThrow()).thenAccept(outcome -> ...);
 * }</pre>
 *
 * <p>Every call is asynchronous, each Redis read bounded by the store timeout, and completes with an outcome: 404 for
 * an unknown thing, 400 naming the path when the thing's model has no such reported value. Stream ids are the Redis
 * server's clock, a point's timestamp the writing process's: the window is found by id with {@link #CLOCK_SLACK} to
 * spare and then decided by each point's own timestamp. Points older than the retention are never answered, even
 * where the writers' approximate trimming has kept them a while.
 */
public final class HistoryStore {

    /** How far the writers' clocks may be from the Redis server's without a point at a window's edge being missed. */
    public static final Duration CLOCK_SLACK = Duration.ofMinutes(5);

    /** Stream entries read per Redis call. */
    static final int PAGE = 1000;

    private final RedissonClient redis;
    private final StoreCall call;
    private final ThingRegistry things;
    private final ThingModels models;
    private final HistoryPolicy policy;
    private final Clock clock;

    public HistoryStore(
            @NotNull RedissonClient redis,
            @NotNull StoreCall call,
            @NotNull ThingRegistry things,
            @NotNull ThingModels models,
            @NotNull HistoryPolicy policy,
            @NotNull Clock clock) {
        this.redis = redis;
        this.call = call;
        this.things = things;
        this.models = models;
        this.policy = policy;
        this.clock = clock;
    }

    /** How much history each thing keeps. */
    public @NotNull HistoryPolicy policy() {
        return policy;
    }

    /**
     * The history of {@code query.path()} on {@code thing}, oldest first: at most {@code query.limit()} points, or with
     * {@code query.every()} at most that many buckets (only buckets that hold a point).
     */
    public @NotNull CompletionStage<Outcome<PropertyHistory>> read(
            @NotNull ThingId thing, @NotNull HistoryQuery query) {
        return things.find(thing)
                .thenCompose(found -> found instanceof Outcome.Ok<ThingRecord> ok
                        ? read(ok.value(), query)
                        : done(Outcome.rejected(((Outcome.Rejected<ThingRecord>) found).rejection())));
    }

    /** As {@link #read(ThingId, HistoryQuery)} for a thing already looked up. */
    public @NotNull CompletionStage<Outcome<PropertyHistory>> read(
            @NotNull ThingRecord thing, @NotNull HistoryQuery query) {
        Optional<Rejection> unknown = checkPath(thing.type(), query);
        if (unknown.isPresent()) {
            return done(Outcome.rejected(unknown.get()));
        }
        return scan(thing.thingId(), query);
    }

    private CompletionStage<Outcome<PropertyHistory>> scan(ThingId thing, HistoryQuery query) {
        long oldest = clock.millis() - policy.retention().toMillis();
        long from = Math.max(oldest, query.from() == null ? oldest : query.from());
        long to = query.to() == null ? Long.MAX_VALUE : query.to();
        Window window = new Window(query.leaf(), from, to, query.every() == null ? query.limit() : Integer.MAX_VALUE);
        StreamMessageId start = new StreamMessageId(Math.max(0, from - CLOCK_SLACK.toMillis()));
        StreamMessageId end = to > Long.MAX_VALUE - CLOCK_SLACK.toMillis()
                ? StreamMessageId.MAX
                : new StreamMessageId(to + CLOCK_SLACK.toMillis());
        return scan(thing, start, end, window, new ArrayList<>())
                .thenApply(points -> points.map(list -> answer(thing, query, list)));
    }

    /**
     * 400 naming the path when the model of things of {@code type} has no such reported value, or names an object
     * (history is kept per value); empty when it may be asked for.
     */
    public @NotNull Optional<Rejection> checkPath(@NotNull String type, @NotNull HistoryQuery query) {
        Optional<ThingModel> model = models.get(type);
        Optional<DataSchema> schema = model.flatMap(found -> found.schemaAt(query.leaf()));
        if (schema.isEmpty()) {
            return Optional.of(
                    Rejection.malformed("path: " + query.path() + " is not a property of the thing model " + type));
        }
        if (!schema.get().isLeaf()) {
            String example = schema.get().properties().keySet().stream()
                    .findFirst()
                    .map(name -> ", e.g. " + query.path() + "." + name)
                    .orElse("");
            return Optional.of(Rejection.malformed(
                    "path: " + query.path() + " is an object; history is kept of its values" + example));
        }
        return Optional.empty();
    }

    /** One page after another from {@code start} until the window or the stream ends, or enough points are found. */
    private CompletionStage<Outcome<List<HistoryPoint>>> scan(
            ThingId thing, StreamMessageId start, StreamMessageId end, Window window, List<HistoryPoint> into) {
        return call.run(
                        "history read",
                        redis.<String, String>getStream(RedisKeys.history(thing), StringCodec.INSTANCE)
                                .rangeAsync(PAGE, start, end),
                        entries -> Outcome.ok(collect(entries, window, into)))
                .thenCompose(next -> {
                    if (!(next instanceof Outcome.Ok<Optional<StreamMessageId>> ok)) {
                        return done(Outcome.rejected(((Outcome.Rejected<?>) next).rejection()));
                    }
                    if (ok.value().isEmpty() || into.size() >= window.limit()) {
                        return done(Outcome.ok(into));
                    }
                    return scan(thing, ok.value().get(), end, window, into);
                });
    }

    /** Adds the page's points of the window; the id to go on from, empty when the stream ends here. */
    private static Optional<StreamMessageId> collect(
            Map<StreamMessageId, Map<String, String>> entries, Window window, List<HistoryPoint> into) {
        StreamMessageId last = null;
        for (Map.Entry<StreamMessageId, Map<String, String>> entry : entries.entrySet()) {
            last = entry.getKey();
            String stored = entry.getValue().get("e");
            if (stored == null || into.size() >= window.limit()) {
                continue;
            }
            ReportedHistory point = ReportedHistory.fromStored(StoredJson.read(stored));
            JsonNode value = point.changes().get(window.leaf());
            if (value != null && point.timestamp() >= window.from() && point.timestamp() <= window.to()) {
                into.add(new HistoryPoint(point.timestamp(), point.version(), value));
            }
        }
        if (last == null || entries.size() < PAGE) {
            return Optional.empty();
        }
        return Optional.of(new StreamMessageId(last.getId0(), last.getId1() + 1));
    }

    private static PropertyHistory answer(ThingId thing, HistoryQuery query, List<HistoryPoint> points) {
        if (query.every() == null) {
            return new PropertyHistory(thing, query.path(), null, points, List.of());
        }
        return new PropertyHistory(
                thing, query.path(), query.every(), List.of(), buckets(points, query.every(), query.limit()));
    }

    /**
     * The points in buckets of {@code every}, aligned to its multiples since the epoch; the oldest {@code limit}
     * buckets. Points are in commit order, so each bucket's last point is its newest version.
     */
    static @NotNull List<HistoryBucket> buckets(
            @NotNull List<HistoryPoint> points, @NotNull Duration every, int limit) {
        long width = every.toMillis();
        TreeMap<Long, List<HistoryPoint>> byStart = new TreeMap<>();
        for (HistoryPoint point : points) {
            long start = Math.floorDiv(point.timestamp(), width) * width;
            byStart.computeIfAbsent(start, ignored -> new ArrayList<>()).add(point);
        }
        List<HistoryBucket> buckets = new ArrayList<>();
        for (Map.Entry<Long, List<HistoryPoint>> bucket : byStart.entrySet()) {
            if (buckets.size() == limit) {
                break;
            }
            buckets.add(HistoryBucket.of(bucket.getKey(), bucket.getValue()));
        }
        return buckets;
    }

    /** What of the stream is wanted: one leaf's points with timestamps in [from, to], at most {@code limit}. */
    private record Window(String leaf, long from, long to, int limit) {}

    private static <T> CompletionStage<Outcome<T>> done(Outcome<T> outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
