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
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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

    private final RedissonClient redis;
    private final StoreCall call;
    private final int partitions;
    private final long maxLength;
    private final boolean inScripts;
    private final LongSupplier nanoClock;

    /**
     * @param inScripts whether the scripts that commit a change may append its entry themselves: true anywhere but on
     *                  a Redis Cluster, where the feed partitions live in other slots than the things
     */
    public ChangeFeed(
            @NotNull RedissonClient redis, @NotNull StoreCall call, int partitions, long maxLength, boolean inScripts) {
        this(redis, call, partitions, maxLength, inScripts, call.nanoClock());
    }

    /** As above, measuring time (retry deadlines, whether a follow keeps up) with {@code nanoClock}. */
    public ChangeFeed(
            @NotNull RedissonClient redis,
            @NotNull StoreCall call,
            int partitions,
            long maxLength,
            boolean inScripts,
            @NotNull LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.redis = redis;
        this.call = call;
        this.partitions = partitions;
        this.maxLength = maxLength;
        this.inScripts = inScripts;
    }

    /** Whether a change and its entry are committed together, by one script (see {@link #inScript}). */
    public boolean appendsInScripts() {
        return inScripts;
    }

    /**
     * The entry of a change, for the script that commits the change to append in the same atomic step, where it can
     * ({@link FeedEntryInScript}); empty on a Redis Cluster, where the caller appends with {@link #appendAfterCommit}
     * once committed.
     */
    public @NotNull Optional<FeedEntryInScript> inScript(
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull String body,
            @Nullable Boolean newDelta) {
        if (!inScripts) {
            return Optional.empty();
        }
        return Optional.of(new FeedEntryInScript(
                keyOf(owner), maxLengthForTrim(), FeedEntries.fields(kind, thing, owner, version, body, newDelta)));
    }

    /**
     * The second half of {@link #inScript}: on a Redis Cluster, appends the entry of a change its script committed;
     * elsewhere the script did, and this answers at once.
     *
     * <p>The change is committed, so its entry must follow, or a connected device would never hear of it: while the
     * partition's master is unreachable (a failover takes a few seconds) the append is tried again every
     * {@link #ANNOUNCE_RETRY_PAUSE} for up to {@link #ANNOUNCE_RETRY_FOR}, and the caller's answer waits for it, so
     * the changes of one thing are announced in the order they were committed. An append that timed out may have
     * been written after all: followers can then see an entry twice, with the same version (at-least-once).
     */
    public @NotNull CompletionStage<Outcome<String>> appendAfterCommit(
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull String body,
            @Nullable Boolean newDelta) {
        if (inScripts) {
            return CompletableFuture.completedFuture(Outcome.ok(""));
        }
        long giveUpAt = nanoClock.getAsLong() + ANNOUNCE_RETRY_FOR.toNanos();
        return appendUntil(giveUpAt, () -> append(kind, thing, owner, version, body, newDelta));
    }

    private CompletionStage<Outcome<String>> appendUntil(
            long giveUpAt, Supplier<CompletionStage<Outcome<String>>> attempt) {
        return retryUntil(giveUpAt, attempt);
    }

    private <T> CompletionStage<Outcome<T>> retryUntil(long giveUpAt, Supplier<CompletionStage<Outcome<T>>> attempt) {
        return attempt.get().thenCompose(outcome -> {
            if (outcome.isOk() || nanoClock.getAsLong() - giveUpAt > 0) {
                return CompletableFuture.completedFuture(outcome);
            }
            Executor pause = CompletableFuture.delayedExecutor(ANNOUNCE_RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, pause)
                    .thenCompose(ignored -> retryUntil(giveUpAt, attempt));
        });
    }

    /**
     * How many entries a node's inbox keeps, about ({@code MAXLEN ~}): the commit script of a shadow update routes its
     * change to the nodes that watch its thing, into inboxes named {@link RedisKeys#INBOX_PREFIX} and the node. Where
     * scripts may append ({@link #inScript}), the script appends the entry to the partition and to each watching
     * node's inbox ({@code XADD NOMKSTREAM}: an inbox that expired with its node is not made again, and the node
     * leaves the set); on a Redis Cluster it answers the watching nodes, and the caller appends with
     * {@link #routeAfterCommit}.
     */
    public static int inboxMaxLength() {
        return INBOX_MAX_LENGTH;
    }

    /**
     * The second half of a shadow update's commit on a Redis Cluster: appends the committed change to its partition and
     * to the inbox of each node the script answered. Elsewhere the script did both, and this answers at once.
     */
    public @NotNull CompletionStage<Outcome<String>> routeAfterCommit(
            @NotNull List<String> watchingNodes,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull String body,
            boolean newDelta) {
        if (inScripts) {
            return CompletableFuture.completedFuture(Outcome.ok(""));
        }
        List<String> fields = FeedEntries.fields(FeedEventKind.SHADOW_UPDATED, thing, owner, version, body, newDelta);
        CompletableFuture<?>[] routed = watchingNodes.stream()
                .map(node -> toInbox(thing, node, fields).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(routed)
                .thenCompose(ignored ->
                        appendAfterCommit(FeedEventKind.SHADOW_UPDATED, thing, owner, version, body, newDelta));
    }

    /**
     * Appends a change committed without a script's help (a shadow deleted) to its partition and to the inboxes of
     * the nodes watching its thing, read from its watchers set.
     */
    public @NotNull CompletionStage<Outcome<String>> appendRouted(
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
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
    public @NotNull CompletionStage<Void> routeToWatchers(
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull String body) {
        return routeToWatchers(kind, thing, owner, version, body, null);
    }

    /** {@link #routeToWatchers(FeedEventKind, ThingId, Owner, long, String)} of a shadow update, with its delta flag. */
    public @NotNull CompletionStage<Void> routeToWatchers(
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull String body,
            @Nullable Boolean newDelta) {
        List<String> fields = FeedEntries.fields(kind, thing, owner, version, body, newDelta);
        return call.run(
                        "feed watchers",
                        redis.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                                .readAllAsync(),
                        Outcome::ok)
                .thenCompose(watchers -> {
                    CompletableFuture<?>[] routed = (watchers instanceof Outcome.Ok<java.util.Set<String>> ok
                                    ? ok.value()
                                    : java.util.Set.<String>of())
                            .stream()
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
        StreamAddArgs<String, String> args = StreamAddArgs.entries(FeedEntries.asMap(fields))
                .noMakeStream()
                .trimNonStrict()
                .maxLen(INBOX_MAX_LENGTH)
                .noLimit();
        Supplier<CompletionStage<Outcome<Boolean>>> attempt = () -> call.run(
                "inbox append",
                redis.<String, String>getStream(RedisKeys.nodeInbox(node), StringCodec.INSTANCE)
                        .addAsync(args),
                id -> Outcome.ok(id != null));
        // On a Cluster the inbox's master may be failing over: tried again like the partition's entry.
        CompletionStage<Outcome<Boolean>> appended =
                inScripts ? attempt.get() : retryUntil(nanoClock.getAsLong() + ANNOUNCE_RETRY_FOR.toNanos(), attempt);
        return appended.thenCompose(added -> added instanceof Outcome.Ok<Boolean> ok && !ok.value()
                ? call.run(
                                "watchers prune",
                                redis.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                                        .removeAsync(node),
                                Outcome::ok)
                        .thenApply(pruned -> (Void) null)
                : CompletableFuture.completedFuture(null));
    }

    public int partitions() {
        return partitions;
    }

    /** The partition holding every event of this household. String.hashCode is fixed by the JLS, so all processes agree. */
    public int partitionOf(@NotNull Owner owner) {
        return Math.floorMod(owner.value().hashCode(), partitions);
    }

    /** Appends an event; the answer is its stream id. */
    public @NotNull CompletionStage<Outcome<String>> append(
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull ObjectNode body) {
        return append(kind, thing, owner, version, SafeJson.writeString(body), null);
    }

    /**
     * Appends an event whose body is already JSON text; {@code newDelta} as on {@link FeedEvent#newDelta()} (null:
     * followers decide from the body).
     */
    public @NotNull CompletionStage<Outcome<String>> append(
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull String body,
            @Nullable Boolean newDelta) {
        Map<String, String> fields = FeedEntries.asMap(FeedEntries.fields(kind, thing, owner, version, body, newDelta));
        StreamAddArgs<String, String> args = StreamAddArgs.entries(fields)
                .trimNonStrict()
                .maxLen(maxLengthForTrim())
                .noLimit();
        CompletionStage<Outcome<String>> appended =
                call.run("feed append", stream(partitionOf(owner)).addAsync(args), id -> Outcome.ok(id.toString()));
        if (!kind.changesCredentials()) {
            return appended;
        }
        // Every broker node follows credential changes (they are rare): whichever holds the thing disconnects it.
        StreamAddArgs<String, String> broadcast = StreamAddArgs.entries(fields)
                .trimNonStrict()
                .maxLen(INBOX_MAX_LENGTH)
                .noLimit();
        return appended.thenCompose(partitionId -> call.run(
                "credential feed append",
                redis.<String, String>getStream(RedisKeys.credentialFeed(), StringCodec.INSTANCE)
                        .addAsync(broadcast),
                id -> partitionId));
    }

    /** The stream key of the household's partition. */
    @NotNull
    String keyOf(@NotNull Owner owner) {
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
    public @NotNull CompletionStage<Outcome<List<FeedEvent>>> readAfter(
            int partition, @Nullable String afterId, int max) {
        StreamMessageId start = afterId == null ? StreamMessageId.MIN : FeedEntries.parseId(afterId);
        StreamRangeArgs range = afterId == null
                ? StreamRangeArgs.startId(start).endId(StreamMessageId.MAX).count(max)
                : StreamRangeArgs.startIdExclusive(start)
                        .endId(StreamMessageId.MAX)
                        .count(max);
        return call.run(
                "feed read",
                stream(partition).rangeAsync(range),
                entries -> Outcome.ok(FeedEntries.toEvents(partition, entries)));
    }

    /** The id of the newest entry of a partition, or {@code 0-0} when it is empty. */
    public @NotNull CompletionStage<Outcome<String>> latestId(int partition) {
        return latestIdOf(RedisKeys.feedPartition(partition));
    }

    private CompletionStage<Outcome<String>> latestIdOf(String key) {
        return call.run(
                "feed latest",
                redis.<String, String>getStream(key, StringCodec.INSTANCE)
                        .rangeReversedAsync(1, StreamMessageId.MAX, StreamMessageId.MIN),
                entries -> Outcome.ok(
                        entries.isEmpty()
                                ? "0-0"
                                : entries.keySet().iterator().next().toString()));
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
        List<String> keys = IntStream.range(0, partitions)
                .mapToObj(RedisKeys::feedPartition)
                .toList();
        return follow(keys, IntStream.range(0, partitions).toArray(), listener, meter);
    }

    /** Whether a string is a stream id this feed could have issued ({@code ms-seq}). */
    public static boolean isValidId(@Nullable String id) {
        return FeedEntries.isValidId(id);
    }

    private RStream<String, String> stream(int partition) {
        return redis.getStream(RedisKeys.feedPartition(partition), StringCodec.INSTANCE);
    }

    /**
     * Follows some of the feed's streams from now on (see {@link #follow}): {@code keys} are stream keys,
     * {@code labels} the partition each one's events carry ({@link FeedEvent#partition()}; -1 for streams that are no
     * partition, such as a node's inbox).
     */
    @NotNull
    FeedSubscription follow(
            @NotNull List<String> keys,
            int @NotNull [] labels,
            @NotNull FeedListener listener,
            @NotNull FeedMeter meter) {
        PartitionFollower follower = new PartitionFollower(
                redis,
                this::latestIdOf,
                inScripts,
                nanoClock,
                keys.toArray(String[]::new),
                labels.clone(),
                listener,
                meter);
        follower.start();
        return follower;
    }

    /**
     * Follows the given partitions only, from now on (the REST service follows the partitions its open streams
     * need).
     */
    public @NotNull FeedSubscription followPartitions(
            int @NotNull [] partitionNumbers, @NotNull FeedListener listener) {
        List<String> keys = new ArrayList<>(partitionNumbers.length);
        for (int partition : partitionNumbers) {
            if (partition < 0 || partition >= partitions) {
                throw new IllegalArgumentException("no partition " + partition + " of " + partitions);
            }
            keys.add(RedisKeys.feedPartition(partition));
        }
        return follow(keys, partitionNumbers, listener, FeedMeter.NONE);
    }
}
