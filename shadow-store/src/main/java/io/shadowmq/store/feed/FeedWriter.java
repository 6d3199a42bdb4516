package io.shadowmq.store.feed;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Appends accepted changes (shadow documents, deletions, presence, credential and grant changes) to the change feed's partition
 * streams ({@link FeedPartitions}), and keeps trying what must follow a commit while a Redis Cluster fails over.
 *
 * <p>On standalone and Sentinel Redis a shadow update's entry is appended by the commit script itself
 * ({@link #inScript}), so a change is committed and announced at once or not at all (one round trip). On a Redis
 * Cluster the shadow and the feed live in different slots, so the entry is appended right after the commit
 * ({@link #appendAfterCommit}); should the process die in between, the device still gets its pending delta when it
 * next subscribes, which the extension always checks.
 */
public final class FeedWriter {

    /** How long a committed change's entry is tried again on a Redis Cluster whose partition master is unreachable. */
    public static final Duration ANNOUNCE_RETRY_FOR = Duration.ofSeconds(30);

    static final Duration ANNOUNCE_RETRY_PAUSE = Duration.ofMillis(100);

    private final RedissonClient redis;
    private final StoreCall call;
    private final FeedPartitions partitions;
    private final long maxLength;
    private final boolean inScripts;
    private final LongSupplier nanoClock;
    private final Executor retryPause;

    /**
     * @param inScripts whether the scripts that commit a change may append its entry themselves: true anywhere but on
     *                  a Redis Cluster, where the feed partitions live in other slots than the things
     */
    public FeedWriter(
            @NotNull RedissonClient redis, @NotNull StoreCall call, int partitions, long maxLength, boolean inScripts) {
        this(
                redis,
                call,
                partitions,
                maxLength,
                inScripts,
                call.nanoClock(),
                CompletableFuture.delayedExecutor(ANNOUNCE_RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * As above, measuring retry deadlines with {@code nanoClock} and running each retry on {@code retryPause}, which
     * runs a task {@link #ANNOUNCE_RETRY_PAUSE} later (a test runs them when it has moved its clock).
     */
    public FeedWriter(
            @NotNull RedissonClient redis,
            @NotNull StoreCall call,
            int partitions,
            long maxLength,
            boolean inScripts,
            @NotNull LongSupplier nanoClock,
            @NotNull Executor retryPause) {
        this.redis = redis;
        this.call = call;
        this.partitions = new FeedPartitions(partitions);
        this.maxLength = maxLength;
        this.inScripts = inScripts;
        this.nanoClock = nanoClock;
        this.retryPause = retryPause;
    }

    /** Whether a change and its entry are committed together, by one script (see {@link #inScript}). */
    public boolean appendsInScripts() {
        return inScripts;
    }

    /** The event of {@code change} committed by this process as entry {@code id} ({@link FeedEvent#committedHere}). */
    public @NotNull FeedEvent committedHere(@NotNull FeedChange change, @NotNull String id) {
        return FeedEvent.committedHere(change, id, partitions.of(change.owner()));
    }

    /**
     * The entry of a change, for the script that commits the change to append in the same atomic step, where it can
     * ({@link FeedEntryInScript}); empty on a Redis Cluster, where the caller appends with {@link #appendAfterCommit}
     * once committed.
     */
    public @NotNull Optional<FeedEntryInScript> inScript(@NotNull FeedChange change) {
        if (!inScripts) {
            return Optional.empty();
        }
        return Optional.of(new FeedEntryInScript(
                partitions.keyOf(change.owner()), maxLengthForTrim(), FeedEntries.fields(change)));
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
    public @NotNull CompletionStage<Outcome<String>> appendAfterCommit(@NotNull FeedChange change) {
        if (inScripts) {
            return CompletableFuture.completedFuture(Outcome.ok(""));
        }
        return afterCommit(() -> append(change));
    }

    /**
     * Runs a write that must follow a committed change: on a Redis Cluster tried again like
     * {@link #appendAfterCommit} until it succeeds or {@link #ANNOUNCE_RETRY_FOR} has passed; elsewhere once.
     */
    <T> CompletionStage<Outcome<T>> afterCommit(Supplier<CompletionStage<Outcome<T>>> attempt) {
        return inScripts ? attempt.get() : retryUntil(nanoClock.getAsLong() + ANNOUNCE_RETRY_FOR.toNanos(), attempt);
    }

    private <T> CompletionStage<Outcome<T>> retryUntil(long giveUpAt, Supplier<CompletionStage<Outcome<T>>> attempt) {
        return attempt.get().thenCompose(outcome -> {
            if (outcome.isOk() || nanoClock.getAsLong() - giveUpAt > 0) {
                return CompletableFuture.completedFuture(outcome);
            }
            return CompletableFuture.supplyAsync(() -> null, retryPause)
                    .thenCompose(ignored -> retryUntil(giveUpAt, attempt));
        });
    }

    /** Appends the entry of a change; the answer is its stream id. */
    public @NotNull CompletionStage<Outcome<String>> append(@NotNull FeedChange change) {
        Map<String, String> fields = FeedEntries.asMap(FeedEntries.fields(change));
        StreamAddArgs<String, String> args = StreamAddArgs.entries(fields)
                .trimNonStrict()
                .maxLen(maxLengthForTrim())
                .noLimit();
        CompletionStage<Outcome<String>> appended = call.run(
                "feed append",
                redis.<String, String>getStream(partitions.keyOf(change.owner()), StringCodec.INSTANCE)
                        .addAsync(args),
                id -> Outcome.ok(id.toString()));
        if (!change.kind().reachesEveryNode()) {
            return appended;
        }
        // Every broker node follows credential and grant changes (they are rare): whichever holds the thing
        // disconnects it; every process forgets the household's cached grants.
        StreamAddArgs<String, String> broadcast = StreamAddArgs.entries(fields)
                .trimNonStrict()
                .maxLen(FeedRouter.INBOX_MAX_LENGTH)
                .noLimit();
        return appended.thenCompose(partitionId -> call.run(
                "every-node feed append",
                redis.<String, String>getStream(RedisKeys.everyNodeFeed(), StringCodec.INSTANCE)
                        .addAsync(broadcast),
                id -> partitionId));
    }

    /** Streams are trimmed to about this many entries ({@code MAXLEN ~}). */
    private int maxLengthForTrim() {
        return (int) Math.min(maxLength, Integer.MAX_VALUE);
    }
}
