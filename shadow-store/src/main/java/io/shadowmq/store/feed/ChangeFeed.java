package io.shadowmq.store.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamMultiReadArgs;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The change feed: every accepted change (shadow documents, deletions, presence, credential changes) is appended to
 * one of N Redis Streams so other processes can follow it — brokers deliver deltas to the devices they hold, the REST
 * service serves Server-Sent Events resumable by stream id.
 *
 * <p>A household's events all go to one partition (chosen by owner), so they are totally ordered and one stream id
 * resumes a per-thing or per-household SSE stream exactly. Each partition has its own hash tag, so a Redis Cluster
 * spreads them. On standalone and Sentinel Redis a shadow update's entry is appended by the commit script itself, so
 * a change is committed and announced at once or not at all (one round trip). On a Redis Cluster the shadow and the
 * feed live in different slots, so the entry is appended right after the commit; should the process die in between,
 * the device still gets its pending delta when it next subscribes, which the extension always checks.
 */
public final class ChangeFeed {

    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    /** How long one blocking read waits for new entries before it asks again. */
    public static final Duration BLOCK_FOR = Duration.ofSeconds(1);
    /** A follow whose readers all got an answer within this long keeps up ({@link FeedSubscription#liveSince()}). */
    public static final Duration LIVE_WITHIN = BLOCK_FOR.multipliedBy(2).plusMillis(500);
    /** Pause before a follower retries after Redis failed, so an outage does not become a busy loop. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    static final int READ_BATCH = 256;
    /** How long a committed change's entry is tried again on a Redis Cluster whose partition master is unreachable. */
    public static final Duration ANNOUNCE_RETRY_FOR = Duration.ofSeconds(30);
    static final Duration ANNOUNCE_RETRY_PAUSE = Duration.ofMillis(100);
    /** Approximate cap of a node's inbox and of the credential stream ({@code MAXLEN ~}): a node reads them live. */
    static final int INBOX_MAX_LENGTH = 10_000;

    private static final String FIELD_KIND = "kind";
    private static final String FIELD_THING = "thing";
    private static final String FIELD_OWNER = "owner";
    private static final String FIELD_VERSION = "version";
    private static final String FIELD_NEW_DELTA = "newDelta";
    private static final String FIELD_BODY = "body";

    private final RedissonClient redis;
    private final StoreCall call;
    private final int partitions;
    private final long maxLength;
    private final boolean inScripts;

    /**
     * @param inScripts whether the scripts that commit a change may append its entry themselves: true anywhere but on
     *                  a Redis Cluster, where the feed partitions live in other slots than the things
     */
    public ChangeFeed(@NotNull RedissonClient redis, @NotNull StoreCall call, int partitions, long maxLength,
                      boolean inScripts) {
        this.redis = redis;
        this.call = call;
        this.partitions = partitions;
        this.maxLength = maxLength;
        this.inScripts = inScripts;
    }

    /** Whether a change and its entry are committed together, by one script (see {@link #addTo}). */
    public boolean appendsInScripts() {
        return inScripts;
    }

    /**
     * Lets a script that commits a change append its entry in the same atomic step, where it can: adds the
     * household partition's key as the script's last key, and {@code MAXLEN} followed by the entry's field-value
     * pairs as its last arguments. The script appends when that key is present
     * ({@code if KEYS[n] then redis.call('XADD', KEYS[n], 'MAXLEN', '~', ARGV[m], '*', unpack(ARGV, m + 1)) end}).
     * On a Redis Cluster it adds nothing, and the caller appends with {@link #appendAfterCommit} once committed.
     */
    public void addTo(@NotNull List<Object> scriptKeys, @NotNull List<Object> scriptArgs, @NotNull FeedEventKind kind,
                      @NotNull ThingId thing, @NotNull Owner owner, long version, @NotNull String body,
                      @Nullable Boolean newDelta) {
        if (inScripts) {
            scriptKeys.add(keyOf(owner));
            scriptArgs.add(Integer.toString(maxLengthForTrim()));
            scriptArgs.addAll(entryFields(kind, thing, owner, version, body, newDelta));
        }
    }

    /**
     * The second half of {@link #addTo}: on a Redis Cluster, appends the entry of a change its script committed;
     * elsewhere the script did, and this answers at once.
     *
     * <p>The change is committed, so its entry must follow, or a connected device would never hear of it: while the
     * partition's master is unreachable (a failover takes a few seconds) the append is tried again every
     * {@link #ANNOUNCE_RETRY_PAUSE} for up to {@link #ANNOUNCE_RETRY_FOR}, and the caller's answer waits for it, so
     * the changes of one thing are announced in the order they were committed. An append that timed out may have
     * been written after all: followers can then see an entry twice, with the same version (at-least-once).
     */
    public @NotNull CompletionStage<Outcome<String>> appendAfterCommit(@NotNull FeedEventKind kind,
                                                                       @NotNull ThingId thing, @NotNull Owner owner,
                                                                       long version, @NotNull String body,
                                                                       @Nullable Boolean newDelta) {
        if (inScripts) {
            return CompletableFuture.completedFuture(Outcome.ok(""));
        }
        long giveUpAt = System.nanoTime() + ANNOUNCE_RETRY_FOR.toNanos();
        return appendUntil(giveUpAt, () -> append(kind, thing, owner, version, body, newDelta));
    }

    private CompletionStage<Outcome<String>> appendUntil(long giveUpAt,
                                                        Supplier<CompletionStage<Outcome<String>>> attempt) {
        return retryUntil(giveUpAt, attempt);
    }

    private static <T> CompletionStage<Outcome<T>> retryUntil(long giveUpAt,
                                                               Supplier<CompletionStage<Outcome<T>>> attempt) {
        return attempt.get().thenCompose(outcome -> {
            if (outcome.isOk() || System.nanoTime() - giveUpAt > 0) {
                return CompletableFuture.completedFuture(outcome);
            }
            Executor pause = CompletableFuture.delayedExecutor(ANNOUNCE_RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, pause).thenCompose(ignored -> retryUntil(giveUpAt, attempt));
        });
    }

    /**
     * Like {@link #addTo}, for the commit of a shadow update, which also routes the change to the nodes that watch its
     * thing: adds the thing's watchers set ({@link RedisKeys#watchers}, in the thing's slot) as a key, and the inbox
     * key prefix and {@code MAXLEN} as arguments, before what {@link #addTo} adds. Where scripts may append, the
     * script appends the entry to the partition and to each watching node's inbox ({@code XADD NOMKSTREAM}: an
     * inbox that expired with its node is not made again, and the node leaves the set); on a Redis Cluster it
     * answers the watching nodes, and the caller appends with {@link #routeAfterCommit}.
     */
    public void addRoutedTo(@NotNull List<Object> scriptKeys, @NotNull List<Object> scriptArgs, @NotNull ThingId thing,
                            @NotNull Owner owner, long version, @NotNull String body, boolean newDelta) {
        scriptKeys.add(RedisKeys.watchers(thing));
        scriptArgs.add(RedisKeys.INBOX_PREFIX);
        scriptArgs.add(Integer.toString(INBOX_MAX_LENGTH));
        addTo(scriptKeys, scriptArgs, FeedEventKind.SHADOW_UPDATED, thing, owner, version, body, newDelta);
    }

    /**
     * The second half of {@link #addRoutedTo} on a Redis Cluster: appends the committed change to its partition and
     * to the inbox of each node the script answered. Elsewhere the script did both, and this answers at once.
     */
    public @NotNull CompletionStage<Outcome<String>> routeAfterCommit(@NotNull List<String> watchingNodes,
                                                                      @NotNull ThingId thing, @NotNull Owner owner,
                                                                      long version, @NotNull String body,
                                                                      boolean newDelta) {
        if (inScripts) {
            return CompletableFuture.completedFuture(Outcome.ok(""));
        }
        List<String> fields = entryFields(FeedEventKind.SHADOW_UPDATED, thing, owner, version, body, newDelta);
        CompletableFuture<?>[] routed = watchingNodes.stream()
                .map(node -> toInbox(thing, node, fields).toCompletableFuture()).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(routed).thenCompose(ignored ->
                appendAfterCommit(FeedEventKind.SHADOW_UPDATED, thing, owner, version, body, newDelta));
    }

    /**
     * Appends a change committed without a script's help (a shadow deleted) to its partition and to the inboxes of
     * the nodes watching its thing, read from its watchers set.
     */
    public @NotNull CompletionStage<Outcome<String>> appendRouted(@NotNull FeedEventKind kind, @NotNull ThingId thing,
                                                                  @NotNull Owner owner, long version,
                                                                  @NotNull ObjectNode body) {
        String text = SafeJson.writeString(body);
        return routeToWatchers(kind, thing, owner, version, text)
                .thenCompose(ignored -> append(kind, thing, owner, version, text, null));
    }

    /**
     * Appends a change whose partition entry is already written (a presence change: its script appended it) to the
     * inboxes of the nodes watching its thing — a broker holding an older connection of the thing learns of a newer
     * one elsewhere.
     */
    public @NotNull CompletionStage<Void> routeToWatchers(@NotNull FeedEventKind kind, @NotNull ThingId thing,
                                                          @NotNull Owner owner, long version, @NotNull String body) {
        return routeToWatchers(kind, thing, owner, version, body, null);
    }

    /** {@link #routeToWatchers(FeedEventKind, ThingId, Owner, long, String)} of a shadow update, with its delta flag. */
    public @NotNull CompletionStage<Void> routeToWatchers(@NotNull FeedEventKind kind, @NotNull ThingId thing,
                                                          @NotNull Owner owner, long version, @NotNull String body,
                                                          @Nullable Boolean newDelta) {
        List<String> fields = entryFields(kind, thing, owner, version, body, newDelta);
        return call.run("feed watchers", redis.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                        .readAllAsync(), Outcome::ok)
                .thenCompose(watchers -> {
                    CompletableFuture<?>[] routed = (watchers instanceof Outcome.Ok<java.util.Set<String>> ok
                            ? ok.value() : java.util.Set.<String>of()).stream()
                            .map(node -> toInbox(thing, node, fields).toCompletableFuture())
                            .toArray(CompletableFuture[]::new);
                    return CompletableFuture.allOf(routed);
                });
    }

    /** One entry into a node's inbox, unless the inbox expired with its node: then the node stops watching. */
    private CompletionStage<Void> toInbox(ThingId thing, String node, List<String> fields) {
        if (!NodeFeed.isValidNode(node)) {
            return CompletableFuture.completedFuture(null);
        }
        StreamAddArgs<String, String> args = StreamAddArgs.entries(asMap(fields)).noMakeStream()
                .trimNonStrict().maxLen(INBOX_MAX_LENGTH).noLimit();
        Supplier<CompletionStage<Outcome<Boolean>>> attempt = () -> call.run("inbox append",
                redis.<String, String>getStream(RedisKeys.nodeInbox(node), StringCodec.INSTANCE).addAsync(args),
                id -> Outcome.ok(id != null));
        // On a Cluster the inbox's master may be failing over: tried again like the partition's entry.
        CompletionStage<Outcome<Boolean>> appended = inScripts ? attempt.get()
                : retryUntil(System.nanoTime() + ANNOUNCE_RETRY_FOR.toNanos(), attempt);
        return appended
                .thenCompose(added -> added instanceof Outcome.Ok<Boolean> ok && !ok.value()
                        ? call.run("watchers prune", redis.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                        .removeAsync(node), Outcome::ok).thenApply(pruned -> (Void) null)
                        : CompletableFuture.completedFuture(null));
    }

    private static Map<String, String> asMap(List<String> pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            fields.put(pairs.get(i), pairs.get(i + 1));
        }
        return fields;
    }

    public int partitions() {
        return partitions;
    }

    /** The partition holding every event of this household. String.hashCode is fixed by the JLS, so all processes agree. */
    public int partitionOf(@NotNull Owner owner) {
        return Math.floorMod(owner.value().hashCode(), partitions);
    }

    /** Appends an event; the answer is its stream id. */
    public @NotNull CompletionStage<Outcome<String>> append(@NotNull FeedEventKind kind, @NotNull ThingId thing,
                                                            @NotNull Owner owner, long version,
                                                            @NotNull ObjectNode body) {
        return append(kind, thing, owner, version, SafeJson.writeString(body), null);
    }

    /**
     * Appends an event whose body is already JSON text; {@code newDelta} as on {@link FeedEvent#newDelta()} (null:
     * followers decide from the body).
     */
    public @NotNull CompletionStage<Outcome<String>> append(@NotNull FeedEventKind kind, @NotNull ThingId thing,
                                                            @NotNull Owner owner, long version, @NotNull String body,
                                                            @Nullable Boolean newDelta) {
        Map<String, String> fields = asMap(entryFields(kind, thing, owner, version, body, newDelta));
        StreamAddArgs<String, String> args = StreamAddArgs.entries(fields).trimNonStrict().maxLen(maxLengthForTrim()).noLimit();
        CompletionStage<Outcome<String>> appended = call.run("feed append", stream(partitionOf(owner)).addAsync(args),
                id -> Outcome.ok(id.toString()));
        if (!kind.changesCredentials()) {
            return appended;
        }
        // Every broker node follows credential changes (they are rare): whichever holds the thing disconnects it.
        StreamAddArgs<String, String> broadcast = StreamAddArgs.entries(fields).trimNonStrict()
                .maxLen(INBOX_MAX_LENGTH).noLimit();
        return appended.thenCompose(partitionId -> call.run("credential feed append",
                redis.<String, String>getStream(RedisKeys.credentialFeed(), StringCodec.INSTANCE).addAsync(broadcast),
                id -> partitionId));
    }

    /**
     * The fields of one entry, as field-value pairs in stream order: what {@link #append} writes, and what a script
     * that appends inside its own transaction passes to {@code XADD} ({@link #addTo}).
     */
    @NotNull List<String> entryFields(@NotNull FeedEventKind kind, @NotNull ThingId thing, @NotNull Owner owner,
                                             long version, @NotNull String body, @Nullable Boolean newDelta) {
        List<String> fields = new ArrayList<>(12);
        fields.add(FIELD_KIND);
        fields.add(kind.wireName());
        fields.add(FIELD_THING);
        fields.add(thing.value());
        fields.add(FIELD_OWNER);
        fields.add(owner.value());
        fields.add(FIELD_VERSION);
        fields.add(Long.toString(version));
        if (newDelta != null) {
            fields.add(FIELD_NEW_DELTA);
            fields.add(newDelta ? "1" : "0");
        }
        fields.add(FIELD_BODY);
        fields.add(body);
        return fields;
    }

    /** The stream key of the household's partition. */
    @NotNull String keyOf(@NotNull Owner owner) {
        return RedisKeys.feedPartition(partitionOf(owner));
    }

    /** Streams are trimmed to about this many entries ({@code MAXLEN ~}). */
    int maxLengthForTrim() {
        return (int) Math.min(maxLength, Integer.MAX_VALUE);
    }

    /**
     * Up to {@code max} events of a partition after {@code afterId} (exclusive), oldest first; {@code null} reads
     * from the oldest entry still kept.
     */
    public @NotNull CompletionStage<Outcome<List<FeedEvent>>> readAfter(int partition, @Nullable String afterId, int max) {
        StreamMessageId start = afterId == null ? StreamMessageId.MIN : parseId(afterId);
        StreamRangeArgs range = afterId == null
                ? StreamRangeArgs.startId(start).endId(StreamMessageId.MAX).count(max)
                : StreamRangeArgs.startIdExclusive(start).endId(StreamMessageId.MAX).count(max);
        return call.run("feed read", stream(partition).rangeAsync(range), entries -> Outcome.ok(toEvents(partition, entries)));
    }

    /** The id of the newest entry of a partition, or {@code 0-0} when it is empty. */
    public @NotNull CompletionStage<Outcome<String>> latestId(int partition) {
        return latestIdOf(RedisKeys.feedPartition(partition));
    }

    private CompletionStage<Outcome<String>> latestIdOf(String key) {
        return call.run("feed latest", redis.<String, String>getStream(key, StringCodec.INSTANCE)
                        .rangeReversedAsync(1, StreamMessageId.MAX, StreamMessageId.MIN),
                entries -> Outcome.ok(entries.isEmpty() ? "0-0" : entries.keySet().iterator().next().toString()));
    }

    /**
     * Follows every partition from now on, with blocking XREAD loops that never hold a thread while they wait: one
     * loop for all partitions, or on a Redis Cluster one per partition. A Redis outage pauses the loops, which
     * resume from their last ids.
     */
    public @NotNull FeedSubscription follow(@NotNull FeedListener listener) {
        return follow(listener, FeedMeter.NONE);
    }

    /** As {@link #follow(FeedListener)}, counting what it reads in {@code meter} (what a whole-feed follow costs). */
    public @NotNull FeedSubscription follow(@NotNull FeedListener listener, @NotNull FeedMeter meter) {
        List<String> keys = IntStream.range(0, partitions).mapToObj(RedisKeys::feedPartition).toList();
        return follow(keys, IntStream.range(0, partitions).toArray(), listener, meter);
    }

    /** Whether a string is a stream id this feed could have issued ({@code ms-seq}). */
    public static boolean isValidId(@Nullable String id) {
        return id != null && id.matches("^\\d{1,19}-\\d{1,19}$");
    }

    private RStream<String, String> stream(int partition) {
        return redis.getStream(RedisKeys.feedPartition(partition), StringCodec.INSTANCE);
    }

    private static StreamMessageId parseId(String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not a feed id: " + id);
        }
        int dash = id.indexOf('-');
        return new StreamMessageId(Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1)));
    }

    private static List<FeedEvent> toEvents(int partition, Map<StreamMessageId, Map<String, String>> entries) {
        List<FeedEvent> events = new ArrayList<>(entries.size());
        for (Map.Entry<StreamMessageId, Map<String, String>> entry : entries.entrySet()) {
            toEvent(partition, entry.getKey(), entry.getValue()).ifPresent(events::add);
        }
        return events;
    }

    private static Optional<FeedEvent> toEvent(int partition, StreamMessageId id, Map<String, String> fields) {
        try {
            Optional<FeedEventKind> kind = FeedEventKind.fromWireName(String.valueOf(fields.get(FIELD_KIND)));
            String body = fields.get(FIELD_BODY);
            if (kind.isEmpty() || body == null) {
                log.warn("skipping feed entry {} of partition {}: unknown kind or no body", id, partition);
                return Optional.empty();
            }
            String newDelta = fields.get(FIELD_NEW_DELTA);
            return Optional.of(new FeedEvent(id.toString(), partition, kind.get(), ThingId.of(fields.get(FIELD_THING)),
                    Owner.of(fields.get(FIELD_OWNER)), Long.parseLong(fields.get(FIELD_VERSION)), body,
                    newDelta == null ? null : newDelta.equals("1")));
        } catch (RuntimeException e) {
            log.warn("skipping unreadable feed entry {} of partition {}: {}", id, partition, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Follows some of the feed's streams from now on (see {@link #follow}): {@code keys} are stream keys,
     * {@code labels} the partition each one's events carry ({@link FeedEvent#partition()}; -1 for streams that are no
     * partition, such as a node's inbox).
     */
    @NotNull FeedSubscription follow(@NotNull List<String> keys, int @NotNull [] labels, @NotNull FeedListener listener,
                                     @NotNull FeedMeter meter) {
        Follower follower = new Follower(keys.toArray(String[]::new), labels.clone(), listener, meter);
        follower.start();
        return follower;
    }

    /**
     * Follows the given partitions only, from now on (the REST service follows the partitions its open streams
     * need).
     */
    public @NotNull FeedSubscription followPartitions(int @NotNull [] partitionNumbers, @NotNull FeedListener listener) {
        List<String> keys = new ArrayList<>(partitionNumbers.length);
        for (int partition : partitionNumbers) {
            if (partition < 0 || partition >= partitions) {
                throw new IllegalArgumentException("no partition " + partition + " of " + partitions);
            }
            keys.add(RedisKeys.feedPartition(partition));
        }
        return follow(keys, partitionNumbers, listener, FeedMeter.NONE);
    }

    private final class Follower implements FeedSubscription {
        private final String[] keys;
        private final int[] labels;
        private final FeedListener listener;
        private final FeedMeter meter;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        /** Per followed stream: System.nanoTime() of the last answer its reader got that left no backlog. */
        private final AtomicLongArray answeredAt;
        /** Since when every reader kept up without a failed read; MAX_VALUE until positioned and after a failure. */
        private volatile long unbrokenSince = Long.MAX_VALUE;
        /** Per followed stream: 1 while its reader's last read failed. */
        private final AtomicIntegerArray failing;
        /** Per followed stream: the id of the last entry read (where the next read starts). */
        private final AtomicReferenceArray<StreamMessageId> positions;
        private final Executor retryLater = CompletableFuture.delayedExecutor(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);

        Follower(String[] keys, int[] labels, FeedListener listener, FeedMeter meter) {
            if (keys.length == 0 || keys.length != labels.length) {
                throw new IllegalArgumentException("a follow needs one label per stream, and at least one stream");
            }
            this.keys = keys;
            this.labels = labels;
            this.listener = listener;
            this.meter = meter;
            this.answeredAt = new AtomicLongArray(keys.length);
            this.failing = new AtomicIntegerArray(keys.length);
            this.positions = new AtomicReferenceArray<>(keys.length);
        }

        void start() {
            List<CompletableFuture<Void>> positioned = new ArrayList<>();
            for (int stream = 0; stream < keys.length; stream++) {
                positioned.add(position(stream));
            }
            CompletableFuture.allOf(positioned.toArray(CompletableFuture[]::new)).thenRun(() -> {
                unbrokenSince = System.nanoTime();
                ready.complete(null);
                startReading();
            });
        }

        private CompletableFuture<Void> position(int stream) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            latestIdOf(keys[stream]).whenComplete((outcome, error) -> {
                if (outcome instanceof Outcome.Ok<String> ok) {
                    answeredAt.set(stream, System.nanoTime());
                    positions.set(stream, parseId(ok.value()));
                    done.complete(null);
                } else if (!closed.get()) {
                    retryLater.execute(() -> position(stream).thenRun(() -> done.complete(null)));
                }
            });
            return done;
        }

        /**
         * Where the scripts append entries (not on a Redis Cluster, where the streams live in different slots) one
         * blocking read covers every followed stream: one connection and one wake-up for whatever arrived in any of
         * them, so under load one read brings many entries. On a Cluster each stream has its own read.
         */
        private void startReading() {
            if (inScripts) {
                read(new Reader(IntStream.range(0, keys.length).toArray()));
            } else {
                for (int stream = 0; stream < keys.length; stream++) {
                    read(new Reader(new int[] {stream}));
                }
            }
        }

        private void read(Reader reader) {
            if (closed.get()) {
                return;
            }
            reader.readOnce().whenComplete((byStream, error) -> {
                if (closed.get()) {
                    return;
                }
                if (error != null) {
                    log.warn("change feed streams {}: read failed, retrying: {}", reader.names(), error.getMessage());
                    for (int stream : reader.covered) {
                        failing.set(stream, 1);
                    }
                    unbrokenSince = Long.MAX_VALUE;
                    retryLater.execute(() -> read(reader));
                    return;
                }
                long cpuBefore = meter.cpuNow();
                boolean backlog = false;
                int entries = 0;
                for (Map.Entry<Integer, Map<StreamMessageId, Map<String, String>>> answer : byStream.entrySet()) {
                    int stream = answer.getKey();
                    for (Map.Entry<StreamMessageId, Map<String, String>> entry : answer.getValue().entrySet()) {
                        positions.set(stream, entry.getKey());
                        toEvent(labels[stream], entry.getKey(), entry.getValue()).ifPresent(this::deliver);
                        entries++;
                    }
                    backlog |= answer.getValue().size() >= READ_BATCH;
                }
                meter.read(entries, cpuBefore);
                if (!backlog) {
                    for (int stream : reader.covered) {
                        answered(stream);
                    }
                }
                read(reader);
            });
        }

        /** One blocking-read loop's streams. */
        private final class Reader {
            final int[] covered;
            /** The first covered stream: a multi-stream XREAD is issued through it. */
            private final RStream<String, String> head;
            private final Map<String, Integer> streamByKey = new HashMap<>();

            Reader(int[] covered) {
                this.covered = covered;
                for (int stream : covered) {
                    streamByKey.put(keys[stream], stream);
                }
                this.head = redis.getStream(keys[covered[0]], StringCodec.INSTANCE);
            }

            String names() {
                return Arrays.toString(Arrays.stream(covered).mapToObj(stream -> keys[stream]).toArray());
            }

            /** One XREAD of the covered streams after their positions; the entries by stream. */
            CompletionStage<Map<Integer, Map<StreamMessageId, Map<String, String>>>> readOnce() {
                meter.call();
                StreamMessageId first = positions.get(covered[0]);
                if (covered.length == 1) {
                    return head.readAsync(StreamReadArgs.greaterThan(first).count(READ_BATCH)
                            .timeout(BLOCK_FOR)).thenApply(entries -> entries == null ? Map.of() : Map.of(covered[0], entries));
                }
                Map<String, StreamMessageId> others = new LinkedHashMap<>();
                for (int i = 1; i < covered.length; i++) {
                    others.put(keys[covered[i]], positions.get(covered[i]));
                }
                return head.readAsync(StreamMultiReadArgs.greaterThan(first, others).count(READ_BATCH)
                        .timeout(BLOCK_FOR)).thenApply(byKey -> {
                            Map<Integer, Map<StreamMessageId, Map<String, String>>> byStream = new HashMap<>();
                            if (byKey != null) {
                                byKey.forEach((key, entries) -> byStream.put(streamByKey.get(key), entries));
                            }
                            return byStream;
                        });
            }
        }

        private void deliver(FeedEvent event) {
            try {
                listener.onEvent(event);
            } catch (FeedEvent.MalformedFeedEntryException unreadable) {
                log.warn("change feed: skipping an entry: {}", unreadable.getMessage());
            } catch (RuntimeException bug) {
                log.error("change feed listener failed on event {} of thing {}", event.id(), event.thing(), bug);
            }
        }

        @Override
        public @NotNull CompletionStage<Void> ready() {
            return ready;
        }

        /** A reader got an answer and has delivered everything up to it. */
        private void answered(int stream) {
            answeredAt.set(stream, System.nanoTime());
            if (failing.compareAndSet(stream, 1, 0)) {
                for (int other = 0; other < keys.length; other++) {
                    if (failing.get(other) == 1) {
                        return;
                    }
                }
                if (ready.isDone()) {
                    unbrokenSince = System.nanoTime();
                }
            }
        }

        @Override
        public long liveSince() {
            long since = unbrokenSince;
            if (closed.get() || since == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            long now = System.nanoTime();
            for (int stream = 0; stream < keys.length; stream++) {
                if (now - answeredAt.get(stream) > LIVE_WITHIN.toNanos()) {
                    return Long.MAX_VALUE;
                }
            }
            return since;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
