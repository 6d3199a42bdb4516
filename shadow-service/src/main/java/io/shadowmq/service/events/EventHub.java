package io.shadowmq.service.events;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.feed.ChangeFeed;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedSubscription;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The service's follower of the change feed, fanned out to every connected SSE client by thing and by household.
 * It follows only the partitions that open streams need — a partition from the first stream of one of its
 * households until no stream needs it at a heartbeat — so a service with no streams reads no partition at all.
 * Each event is turned into its SSE frame once, however many clients get it. A ticker sends the heartbeat comment to
 * idle streams. What the service keeps in memory for shadow reads is kept current by a follow of its own, started
 * and ended here too: a node inbox of this service process, for exactly the things it keeps
 * ({@link ShadowStore#followWhatIsKept}). That follow also carries the changes every node hears: a household's grants
 * changing makes the store's {@code HouseholdGuard} forget them there (every follow through the store does), so a
 * revocation made anywhere applies to this service's next request.
 *
 * <pre>{@code
 * EventHub hub = EventHub.start(store, Duration.ofSeconds(15));
 * EventStream stream = hub.subscribe(selection, connection, lastEventId, stillAllowed);
 * }</pre>
 */
public final class EventHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    private final ShadowStore store;
    private final FeedSubscription kept;
    private final ChangeFeed feed;
    /** The partitions followed now, by partition (guarded by itself). */
    private final Map<Integer, PartitionFollow> follows = new HashMap<>();

    private final ScheduledExecutorService ticker;
    private final ScheduledFuture<?> heartbeats;
    private final Map<ThingId, Set<EventStream>> byThing = new ConcurrentHashMap<>();
    private final Map<Owner, Set<EventStream>> byHousehold = new ConcurrentHashMap<>();
    /** Per partition: the id of the last entry live delivery passed (any household's). */
    private final AtomicReferenceArray<String> lastDelivered;

    private final AtomicLong slowClientsDropped = new AtomicLong();
    private final long heartbeatNanos;
    private final LongSupplier nanoClock;

    private EventHub(ShadowStore store, Duration heartbeat, LongSupplier nanoClock) {
        this.store = store;
        this.nanoClock = nanoClock;
        this.kept =
                store.followWhatIsKept("service-" + UUID.randomUUID().toString().substring(0, 8));
        this.feed = store.feed();
        this.lastDelivered = new AtomicReferenceArray<>(feed.partitions());
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sse-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        this.heartbeatNanos = heartbeat.toNanos();
        this.heartbeats = ticker.scheduleAtFixedRate(
                this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ready to follow the partitions streams will need ({@link #ready(Owner)}). */
    public static @NotNull EventHub start(@NotNull ShadowStore store, @NotNull Duration heartbeat) {
        return start(store, heartbeat, System::nanoTime);
    }

    /**
     * @param nanoClock monotonic time in nanoseconds, for when a follow was last asked for ({@link System#nanoTime()}
     *                  but in tests)
     */
    static @NotNull EventHub start(
            @NotNull ShadowStore store, @NotNull Duration heartbeat, @NotNull LongSupplier nanoClock) {
        return new EventHub(store, heartbeat, nanoClock);
    }

    /**
     * Follows the household's partition (if nothing did yet); completes once the follow is positioned: events
     * appended after that reach streams of the household subscribed from then on. The follow lasts while a stream
     * needs it, and at least until the next heartbeat.
     */
    public @NotNull CompletionStage<Void> ready(@NotNull Owner household) {
        int partition = partitionOf(household);
        synchronized (follows) {
            PartitionFollow follow = follows.get(partition);
            if (follow == null) {
                // Live delivery starts afresh: a replay must not stop at what an earlier follow had passed.
                lastDelivered.set(partition, null);
                follow = new PartitionFollow(store.followPartitions(new int[] {partition}, this::onEvent));
                follows.put(partition, follow);
            }
            follow.usedAt = nanoClock.getAsLong();
            return follow.subscription.ready();
        }
    }

    /** The partitions followed now. */
    public int partitionsFollowed() {
        synchronized (follows) {
            return follows.size();
        }
    }

    /** The feed partition of a household's events. */
    int partitionOf(@NotNull Owner household) {
        return feed.partitionOf(household);
    }

    /**
     * Registers a stream for live events, then — when resuming — replays what it missed. When the replay fails
     * (Redis), the stream ends; the client resumes again with the last id it got.
     */
    @NotNull
    EventStream subscribe(
            @NotNull EventSelection selection,
            @NotNull SseConnection connection,
            int capacity,
            @Nullable String resumeAfter,
            @Nullable Supplier<CompletionStage<Boolean>> stillAllowed) {
        return subscribe(selection, connection, capacity, resumeAfter, null, stillAllowed, EventView.ALL);
    }

    /**
     * As above; a new stream ({@code resumeAfter} null) sends no event up to {@code startsAfter} ({@link #newestId}),
     * and each event is shown to the client through {@code view} (pruned for a key bound to a thing).
     */
    @NotNull
    EventStream subscribe(
            @NotNull EventSelection selection,
            @NotNull SseConnection connection,
            int capacity,
            @Nullable String resumeAfter,
            @Nullable String startsAfter,
            @Nullable Supplier<CompletionStage<Boolean>> stillAllowed,
            @NotNull EventView view) {
        EventStream stream =
                new EventStream(selection, connection, capacity, resumeAfter, startsAfter, stillAllowed, view);
        register(stream);
        Futures.whenComplete(stream.closed(), log, "SSE stream end", (done, error) -> unregister(stream));
        if (resumeAfter != null) {
            int partition = partitionOf(selection.household());
            // Read after registering: whatever live delivery passes from now on reaches the stream.
            String liveFrom = lastDelivered.get(partition);
            FeedReplay.run(feed, stream, partition, resumeAfter, liveFrom).whenComplete((outcome, error) -> {
                if (outcome instanceof Outcome.Ok<Boolean>) {
                    stream.replayDone();
                } else {
                    log.warn(
                            "SSE replay for {} failed, closing the stream: {}",
                            selection,
                            error != null
                                    ? error.toString()
                                    : ((Outcome.Rejected<Boolean>) outcome)
                                            .rejection()
                                            .message());
                    stream.close();
                }
            });
        }
        return stream;
    }

    /**
     * The newest entry of the household's partition, read before a new stream opens: the follow of that partition may
     * still be delivering entries up to it, committed before the client saw its stream. Empty if Redis did not answer.
     */
    @NotNull
    CompletionStage<Optional<String>> newestId(@NotNull Owner household) {
        return feed.latestId(partitionOf(household))
                .thenApply(newest ->
                        newest instanceof Outcome.Ok<String> ok ? Optional.of(ok.value()) : Optional.<String>empty());
    }

    /** Connected SSE clients. */
    public int streams() {
        return byThing.values().stream().mapToInt(Set::size).sum()
                + byHousehold.values().stream().mapToInt(Set::size).sum();
    }

    /** SSE clients disconnected because they fell too far behind. */
    public long slowClientsDropped() {
        return slowClientsDropped.get();
    }

    /** Counts a client dropped for being too slow. */
    void droppedSlowClient() {
        slowClientsDropped.incrementAndGet();
    }

    /** Ends every stream and stops following the feed (shutdown: streams must not hold up the graceful stop). */
    @Override
    public void close() {
        kept.close();
        synchronized (follows) {
            follows.values().forEach(follow -> follow.subscription.close());
            follows.clear();
        }
        heartbeats.cancel(false);
        ticker.shutdownNow();
        byThing.values().forEach(streams -> streams.forEach(EventStream::close));
        byHousehold.values().forEach(streams -> streams.forEach(EventStream::close));
    }

    private void onEvent(FeedEvent event) {
        lastDelivered.set(event.partition(), event.id());
        Set<EventStream> ofThing = byThing.getOrDefault(event.thing(), Set.of());
        Set<EventStream> ofHousehold = byHousehold.getOrDefault(event.owner(), Set.of());
        if (ofThing.isEmpty() && ofHousehold.isEmpty()) {
            return;
        }
        Optional<byte[]> frame = SseFrames.event(event);
        if (frame.isEmpty()) {
            return;
        }
        ofThing.forEach(stream -> stream.onLive(event, frame.get()));
        ofHousehold.forEach(stream -> stream.onLive(event, frame.get()));
    }

    private void heartbeat() {
        try {
            stopUnneededFollows();
            byThing.values().forEach(streams -> streams.forEach(EventStream::heartbeat));
            byHousehold.values().forEach(streams -> streams.forEach(EventStream::heartbeat));
        } catch (RuntimeException bug) {
            // A failing tick must not cancel the schedule.
            log.error("SSE heartbeat failed", bug);
        }
    }

    /** Stops following partitions no stream needs, unless a stream was about to start on one since the last beat. */
    private void stopUnneededFollows() {
        Set<Integer> needed = new java.util.HashSet<>();
        byThing.values()
                .forEach(streams -> streams.forEach(
                        stream -> needed.add(partitionOf(stream.selection().household()))));
        byHousehold
                .values()
                .forEach(streams -> streams.forEach(
                        stream -> needed.add(partitionOf(stream.selection().household()))));
        long recently = nanoClock.getAsLong() - heartbeatNanos;
        synchronized (follows) {
            follows.entrySet().removeIf(entry -> {
                boolean stop = !needed.contains(entry.getKey()) && entry.getValue().usedAt - recently < 0;
                if (stop) {
                    entry.getValue().subscription.close();
                }
                return stop;
            });
        }
    }

    /** One followed partition, and when a stream last asked for it. */
    private static final class PartitionFollow {
        final FeedSubscription subscription;
        volatile long usedAt;

        PartitionFollow(FeedSubscription subscription) {
            this.subscription = subscription;
        }
    }

    /* Adding and removing inside compute() (one lock per key) so an emptied set is never dropped under an adder. */

    private void register(EventStream stream) {
        if (stream.selection() instanceof EventSelection.OfThing thing) {
            byThing.compute(thing.thing(), (key, streams) -> with(streams, stream));
        } else {
            byHousehold.compute(stream.selection().household(), (key, streams) -> with(streams, stream));
        }
    }

    private void unregister(EventStream stream) {
        if (stream.selection() instanceof EventSelection.OfThing thing) {
            byThing.computeIfPresent(thing.thing(), (key, streams) -> without(streams, stream));
        } else {
            byHousehold.computeIfPresent(stream.selection().household(), (key, streams) -> without(streams, stream));
        }
    }

    private static Set<EventStream> with(@Nullable Set<EventStream> streams, EventStream stream) {
        Set<EventStream> set = streams != null ? streams : ConcurrentHashMap.newKeySet();
        set.add(stream);
        return set;
    }

    private static @Nullable Set<EventStream> without(Set<EventStream> streams, EventStream stream) {
        streams.remove(stream);
        return streams.isEmpty() ? null : streams;
    }
}
