package io.shadowmq.store.feed;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * Reads and follows the change feed: every accepted change (shadow documents, deletions, presence, credential changes)
 * is appended to one of N Redis Streams ({@link FeedWriter}, by household: {@link FeedPartitions}) so other processes
 * can follow it — brokers deliver deltas to the devices they hold, the REST service serves Server-Sent Events
 * resumable by stream id. This reads a partition after a stream id, and follows partitions from now on
 * ({@link PartitionFollower}); a broker node follows only its share ({@link NodeFeed}, routed by {@link FeedRouter}).
 */
public final class ChangeFeed {

    /** How long one blocking read waits for new entries before it asks again. */
    public static final Duration BLOCK_FOR = Duration.ofSeconds(1);
    /** A follow whose readers all got an answer within this long keeps up ({@link FeedSubscription#liveSince()}). */
    public static final Duration LIVE_WITHIN = BLOCK_FOR.multipliedBy(2).plusMillis(500);
    /** Pause before a follower retries after Redis failed, so an outage does not become a busy loop. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    static final int READ_BATCH = 256;

    private final RedissonClient redis;
    private final StoreCall call;
    private final FeedPartitions partitions;
    private final boolean oneRead;
    private final LongSupplier nanoClock;

    /**
     * @param oneRead whether one blocking read may cover every followed stream: true anywhere but on a Redis Cluster,
     *                where the partitions live in different slots ({@link FeedWriter#appendsInScripts} there too)
     */
    public ChangeFeed(@NotNull RedissonClient redis, @NotNull StoreCall call, int partitions, boolean oneRead) {
        this(redis, call, partitions, oneRead, call.nanoClock());
    }

    /** As above, measuring whether a follow keeps up with {@code nanoClock}. */
    public ChangeFeed(
            @NotNull RedissonClient redis,
            @NotNull StoreCall call,
            int partitions,
            boolean oneRead,
            @NotNull LongSupplier nanoClock) {
        this.redis = redis;
        this.call = call;
        this.partitions = new FeedPartitions(partitions);
        this.oneRead = oneRead;
        this.nanoClock = nanoClock;
    }

    public int partitions() {
        return partitions.count();
    }

    /** The partition holding every event of this household ({@link FeedPartitions}). */
    public int partitionOf(@NotNull Owner owner) {
        return partitions.of(owner);
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
        List<String> keys = IntStream.range(0, partitions.count())
                .mapToObj(RedisKeys::feedPartition)
                .toList();
        return follow(keys, IntStream.range(0, partitions.count()).toArray(), listener, meter);
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
                oneRead,
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
            if (partition < 0 || partition >= partitions.count()) {
                throw new IllegalArgumentException("no partition " + partition + " of " + partitions.count());
            }
            keys.add(RedisKeys.feedPartition(partition));
        }
        return follow(keys, partitionNumbers, listener, FeedMeter.NONE);
    }
}
