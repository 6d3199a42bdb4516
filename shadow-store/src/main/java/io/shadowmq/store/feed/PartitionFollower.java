package io.shadowmq.store.feed;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamMultiReadArgs;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * One follow of some of the feed's streams ({@link ChangeFeed#follow}): positions a reader at the end of each stream,
 * then runs blocking XREAD loops that never hold a thread while they wait, delivers each entry's event to the
 * listener, and tells whether it keeps up ({@link #liveSince()}). A failed read is retried after
 * {@link ChangeFeed#RETRY_PAUSE}, from the last position.
 */
final class PartitionFollower implements FeedSubscription {

    private static final Logger log = LoggerFactory.getLogger(PartitionFollower.class);

    private final RedissonClient redis;
    private final Function<String, CompletionStage<Outcome<String>>> latestIdOf;
    private final boolean oneRead;
    private final LongSupplier nanoClock;
    private final String[] keys;
    private final int[] labels;
    private final FeedListener listener;
    private final FeedMeter meter;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** The blocking reads now waiting for an answer (one per reader). */
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    /** Per followed stream: the nano clock's time of the last answer its reader got that left no backlog. */
    private final AtomicLongArray answeredAt;
    /** Since when every reader kept up without a failed read; MAX_VALUE until positioned and after a failure. */
    private volatile long unbrokenSince = Long.MAX_VALUE;
    /** Per followed stream: 1 while its reader's last read failed. */
    private final AtomicIntegerArray failing;
    /** Per followed stream: the id of the last entry read (where the next read starts). */
    private final AtomicReferenceArray<StreamMessageId> positions;

    private final Executor retryLater =
            CompletableFuture.delayedExecutor(ChangeFeed.RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);

    /**
     * @param latestIdOf the id of a stream's newest entry ({@code 0-0} when empty): where its reader starts
     * @param oneRead    whether one blocking read covers every stream (they may share a connection: not on a Redis
     *                   Cluster, where they live in different slots)
     * @param nanoClock  monotonic time, for {@link #liveSince()}
     */
    PartitionFollower(
            RedissonClient redis,
            Function<String, CompletionStage<Outcome<String>>> latestIdOf,
            boolean oneRead,
            LongSupplier nanoClock,
            String[] keys,
            int[] labels,
            FeedListener listener,
            FeedMeter meter) {
        if (keys.length == 0 || keys.length != labels.length) {
            throw new IllegalArgumentException("a follow needs one label per stream, and at least one stream");
        }
        this.redis = redis;
        this.latestIdOf = latestIdOf;
        this.oneRead = oneRead;
        this.nanoClock = nanoClock;
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
        Futures.logFailure(
                CompletableFuture.allOf(positioned.toArray(CompletableFuture[]::new))
                        .thenRun(() -> {
                            unbrokenSince = nanoClock.getAsLong();
                            ready.complete(null);
                            startReading();
                        }),
                log,
                "feed: starting to read " + Arrays.toString(keys));
    }

    private CompletableFuture<Void> position(int stream) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        position(stream, done);
        return done;
    }

    /** Asks for the stream's latest id until Redis answers, then completes {@code done}. */
    private void position(int stream, CompletableFuture<Void> done) {
        latestIdOf.apply(keys[stream]).whenComplete((outcome, error) -> {
            if (outcome instanceof Outcome.Ok<String> ok) {
                answeredAt.set(stream, nanoClock.getAsLong());
                positions.set(stream, FeedEntries.parseId(ok.value()));
                done.complete(null);
            } else if (!closed.get()) {
                retryLater.execute(() -> position(stream, done));
            }
        });
    }

    /**
     * Where the scripts append entries (not on a Redis Cluster, where the streams live in different slots) one
     * blocking read covers every followed stream: one connection and one wake-up for whatever arrived in any of
     * them, so under load one read brings many entries. On a Cluster each stream has its own read.
     */
    private void startReading() {
        if (oneRead) {
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
                for (Map.Entry<StreamMessageId, Map<String, String>> entry :
                        answer.getValue().entrySet()) {
                    positions.set(stream, entry.getKey());
                    FeedEntries.toEvent(labels[stream], entry.getKey(), entry.getValue())
                            .ifPresent(this::deliver);
                    entries++;
                }
                backlog |= answer.getValue().size() >= ChangeFeed.READ_BATCH;
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
            return Arrays.toString(
                    Arrays.stream(covered).mapToObj(stream -> keys[stream]).toArray());
        }

        /** One XREAD of the covered streams after their positions; the entries by stream. */
        CompletionStage<Map<Integer, Map<StreamMessageId, Map<String, String>>>> readOnce() {
            meter.call();
            StreamMessageId first = positions.get(covered[0]);
            if (covered.length == 1) {
                return sent(head.readAsync(StreamReadArgs.greaterThan(first)
                                .count(ChangeFeed.READ_BATCH)
                                .timeout(ChangeFeed.BLOCK_FOR)))
                        .thenApply(entries -> entries == null ? Map.of() : Map.of(covered[0], entries));
            }
            Map<String, StreamMessageId> others = new LinkedHashMap<>();
            for (int i = 1; i < covered.length; i++) {
                others.put(keys[covered[i]], positions.get(covered[i]));
            }
            return sent(head.readAsync(StreamMultiReadArgs.greaterThan(first, others)
                            .count(ChangeFeed.READ_BATCH)
                            .timeout(ChangeFeed.BLOCK_FOR)))
                    .thenApply(byKey -> {
                        Map<Integer, Map<StreamMessageId, Map<String, String>>> byStream = new HashMap<>();
                        if (byKey != null) {
                            byKey.forEach((key, entries) -> byStream.put(streamByKey.get(key), entries));
                        }
                        return byStream;
                    });
        }
    }

    /**
     * Keeps the blocking read now waiting, so that closing the follow ends it at once instead of letting it hold its
     * connection (and the client's shutdown) for up to {@link ChangeFeed#BLOCK_FOR}.
     */
    private <T> CompletionStage<T> sent(CompletionStage<T> read) {
        CompletableFuture<?> waiting = read.toCompletableFuture();
        inFlight.add(waiting);
        Futures.whenComplete(waiting, log, "feed: read", (answer, error) -> inFlight.remove(waiting));
        if (closed.get()) {
            waiting.cancel(false);
        }
        return read;
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
        answeredAt.set(stream, nanoClock.getAsLong());
        if (failing.compareAndSet(stream, 1, 0)) {
            for (int other = 0; other < keys.length; other++) {
                if (failing.get(other) == 1) {
                    return;
                }
            }
            if (ready.isDone()) {
                unbrokenSince = nanoClock.getAsLong();
            }
        }
    }

    @Override
    public long liveSince() {
        long since = unbrokenSince;
        if (closed.get() || since == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long now = nanoClock.getAsLong();
        for (int stream = 0; stream < keys.length; stream++) {
            if (now - answeredAt.get(stream) > ChangeFeed.LIVE_WITHIN.toNanos()) {
                return Long.MAX_VALUE;
            }
        }
        return since;
    }

    @Override
    public void close() {
        closed.set(true);
        inFlight.forEach(read -> read.cancel(false));
    }
}
