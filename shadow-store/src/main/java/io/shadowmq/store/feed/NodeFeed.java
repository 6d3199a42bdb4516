package io.shadowmq.store.feed;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One broker node's share of the change feed: the changes of the things it watches, and every change that reaches
 * every node (credentials, grants: {@link FeedEventKind#reachesEveryNode()}).
 *
 * <p>Instead of every node reading every change, a node puts itself into the watchers set of each thing it needs (a
 * session of the thing, or a subscription to the thing's topics, on this node), and the writer of a change appends
 * it to the inbox stream of each watching node — in the commit script itself, or right after the commit on a Redis
 * Cluster. A node reads only its inbox and the every-node stream (secrets rotated, things deleted, grants changed:
 * rare, and every node must act on them), so adding nodes adds capacity instead of work.
 *
 * <p>The inbox carries a TTL the node renews ({@link #INBOX_TTL}): the node's routing lease. A node that dies stops
 * renewing; once its inbox expires, writers no longer append to it and drop the node from the sets they find it in.
 *
 * <p>Ordering: a thing is watched once the node's entry is in its set ({@link #hold} completes then); every change
 * committed after that is routed here. A reader that must not miss a change (a pending delta on subscribe, the
 * SUBACK of a household subscription) reads after {@code hold} completed.
 * <pre>{@code
 * NodeFeed node = store.nodeFeed("3f2a9c1e");
 * FeedSubscription follow = node.follow(event -> ...);
 * node.hold("car-1", ThingId.of("car-1")).thenRun(() -> ...);   // car-1's changes now reach this node
 * node.releaseAll("car-1");                                       // its session ended
 * }</pre>
 */
public final class NodeFeed implements FeedCoverage {

    private static final Logger log = LoggerFactory.getLogger(NodeFeed.class);

    /** What a node id may look like: it becomes part of a Redis key and travels through Lua. */
    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** How long a node's inbox outlives the node's last renewal; renewed every third of it. */
    public static final Duration INBOX_TTL = Duration.ofSeconds(30);

    private final RedissonClient redis;
    private final StoreCall call;
    private final ChangeFeed feed;
    private final Consumer<ThingId> forget;
    private final String node;
    private final String inbox;
    private final Duration ttl;
    private final LuaScript inboxScript;
    private final FeedMeter meter = FeedMeter.counting();
    /** The things this node watches, and who holds each (guarded by this). */
    private final Map<ThingId, Watch> watches = new HashMap<>();

    private final Map<String, Set<ThingId>> byHolder = new HashMap<>();
    private final CompletableFuture<Void> inboxReady = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile FeedSubscription follow;
    /** What {@link #follow} hands events to, once it started; a commit made here goes to it directly. */
    private volatile @Nullable FeedListener listening;

    /**
     * @param forget called when the node stops watching a thing: what it remembers of that thing can no longer be
     *               kept current
     */
    public NodeFeed(
            @NotNull RedissonClient redis,
            @NotNull StoreCall call,
            @NotNull ChangeFeed feed,
            @NotNull String node,
            @NotNull Duration ttl,
            @NotNull Consumer<ThingId> forget) {
        if (!isValidNode(node)) {
            throw new IllegalArgumentException("node id must match " + NODE_ID + ", was '" + node + "'");
        }
        this.redis = redis;
        this.call = call;
        this.feed = feed;
        this.node = node;
        this.inbox = RedisKeys.nodeInbox(node);
        this.ttl = ttl;
        this.forget = forget;
        this.inboxScript = LuaScript.load(redis, NodeInboxCall.SCRIPT);
    }

    public static boolean isValidNode(@NotNull String node) {
        return NODE_ID.matcher(node).matches();
    }

    public @NotNull String node() {
        return node;
    }

    /** What following costs this node (entries read, reads issued, CPU time). */
    public @NotNull FeedMeter meter() {
        return meter;
    }

    /**
     * Makes the inbox, keeps renewing it, and follows it and the every-node stream from now on. {@code listener}
     * gets the changes of watched things and every change that reaches every node; the follow is ready once the inbox exists
     * and both streams are positioned. One follow per node.
     *
     * <p>Changes arrive by two paths — the inbox, and {@link #deliverCommittedHere} for those this process committed —
     * so two writers' changes of one thing made at the same moment can arrive out of version order; so can a change
     * the feed delivers again. A shadow update older than one already passed on for its thing is not passed on:
     * {@code listener} sees each thing's shadow versions rising.
     */
    public @NotNull FeedSubscription follow(@NotNull FeedListener listener) {
        renew(true);
        FeedListener routed = event -> {
            switch (admit(event)) {
                case UNWATCHED -> unwatchUnheld(event.thing());
                case STALE -> log.debug("node {}: {} arrived after a newer version, skipped", node, event);
                case PASS -> listener.onEvent(event);
            }
        };
        listening = routed;
        CompletableFuture<FeedSubscription> started = inboxReady.thenApply(ready -> {
            FeedSubscription subscription =
                    feed.follow(List.of(inbox, RedisKeys.everyNodeFeed()), new int[] {-1, -1}, routed, meter);
            follow = subscription;
            return subscription;
        });
        return new FeedSubscription() {
            @Override
            public @NotNull CompletionStage<Void> ready() {
                return started.thenCompose(FeedSubscription::ready);
            }

            @Override
            public long liveSince() {
                FeedSubscription current = follow;
                return current == null ? Long.MAX_VALUE : current.liveSince();
            }

            @Override
            public void close() {
                closed.set(true);
                Futures.logFailure(started.thenAccept(FeedSubscription::close), log, "node feed: closing its follow");
            }
        };
    }

    /**
     * Hands a change committed by this process to this node's follow, as its inbox would have: the commit script
     * skipped this node's inbox (it names the committing node), which saves the append and the read back of every
     * change made here. Called on the committing thread, possibly by several at once, once the commit answered and
     * before its requester is answered. Nothing happens before {@link #follow} or after {@link FeedSubscription#close}.
     */
    public void deliverCommittedHere(@NotNull FeedEvent event) {
        FeedListener current = listening;
        if (current == null || closed.get()) {
            return;
        }
        try {
            current.onEvent(event);
        } catch (RuntimeException bug) {
            log.error("node {}: a listener failed on {} committed here", node, event, bug);
        }
    }

    /**
     * Watches {@code thing} for {@code holder} (a session, a client): completes ok once every change committed from
     * then on reaches this node, rejected (503) when Redis could not be told — a later hold tries again.
     */
    public @NotNull CompletionStage<Outcome<Boolean>> hold(@NotNull String holder, @NotNull ThingId thing) {
        synchronized (this) {
            byHolder.computeIfAbsent(holder, key -> new HashSet<>()).add(thing);
            Watch watch = watches.computeIfAbsent(thing, key -> new Watch());
            watch.holders.add(holder);
            if (watch.registered == null || isFailed(watch.registered)) {
                register(thing, watch);
            }
            return watch.registered;
        }
    }

    /** The things {@code holder} holds now. */
    public synchronized @NotNull Set<ThingId> heldBy(@NotNull String holder) {
        return Set.copyOf(byHolder.getOrDefault(holder, Set.of()));
    }

    /** Ends every hold of {@code holder}: things nobody else holds stop being watched. */
    public void releaseAll(@NotNull String holder) {
        Set<ThingId> held;
        synchronized (this) {
            held = byHolder.remove(holder);
        }
        if (held != null) {
            held.forEach(thing -> release(holder, thing));
        }
    }

    /** Ends one hold; the thing stops being watched when nobody holds it. */
    public void release(@NotNull String holder, @NotNull ThingId thing) {
        synchronized (this) {
            Set<ThingId> held = byHolder.get(holder);
            if (held != null) {
                held.remove(thing);
                if (held.isEmpty()) {
                    byHolder.remove(holder);
                }
            }
            Watch watch = watches.get(thing);
            if (watch == null || !watch.holders.remove(holder) || !watch.holders.isEmpty()) {
                return;
            }
            watch.confirmedAt = Long.MAX_VALUE;
            watch.registered = null;
            CompletableFuture<?> unwatched = watch.then(() -> call.run(
                    "unwatch",
                    redis.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                            .removeAsync(node),
                    Outcome::ok));
            Futures.whenComplete(unwatched, log, "node feed: unwatch", (done, error) -> {
                synchronized (NodeFeed.this) {
                    if (watch.holders.isEmpty() && watches.get(thing) == watch && watch.isLast(unwatched)) {
                        watches.remove(thing);
                    }
                }
            });
        }
        forget.accept(thing);
    }

    private enum Admission {
        /** Passed on. */
        PASS,
        /** Left in the thing's set by an earlier run of this node, or released meanwhile: leave it. */
        UNWATCHED,
        /** A shadow version no newer than one passed on already. */
        STALE
    }

    /** Whether {@code event} is passed on, and for a shadow update the thing's newest version now. */
    private synchronized Admission admit(FeedEvent event) {
        Watch watch = watches.get(event.thing());
        boolean watched = watch != null && !watch.holders.isEmpty();
        if (!watched) {
            return event.kind().reachesEveryNode() ? Admission.PASS : Admission.UNWATCHED;
        }
        if (event.kind() == FeedEventKind.THING_DELETED) {
            watch.newestShadowVersion = 0; // provisioned again, its versions start over
        } else if (event.kind() == FeedEventKind.SHADOW_UPDATED) {
            if (event.version() <= watch.newestShadowVersion) {
                return Admission.STALE;
            }
            watch.newestShadowVersion = event.version();
        }
        return Admission.PASS;
    }

    /** Whether this node watches {@code thing} now (someone holds it). */
    public synchronized boolean watches(@NotNull ThingId thing) {
        Watch watch = watches.get(thing);
        return watch != null && !watch.holders.isEmpty();
    }

    /** How many things this node watches, counting those it is still leaving (their sets not yet told). */
    public synchronized int watched() {
        return watches.size();
    }

    @Override
    public long coveredSince(@NotNull ThingId thing, @NotNull Owner owner) {
        FeedSubscription current = follow;
        long confirmed;
        synchronized (this) {
            Watch watch = watches.get(thing);
            confirmed = watch == null || watch.holders.isEmpty() ? Long.MAX_VALUE : watch.confirmedAt;
        }
        if (current == null || confirmed == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long live = current.liveSince();
        return live == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(live, confirmed);
    }

    /**
     * SADD of this node into the thing's watchers, once the inbox exists and is followed; becomes the watch's
     * registration before it is sent, since the answer may come back before this returns (caller holds the lock).
     */
    private void register(ThingId thing, Watch watch) {
        CompletableFuture<Outcome<Boolean>> registered = new CompletableFuture<>();
        watch.registered = registered;
        Futures.logFailure(
                watch.then(() -> inboxReady
                        .thenCompose(ready -> call.run(
                                "watch",
                                redis.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                                        .addAsync(node),
                                added -> Outcome.ok(true)))
                        .thenAccept(outcome -> {
                            synchronized (NodeFeed.this) {
                                if (outcome instanceof Outcome.Ok<Boolean>
                                        && !watch.holders.isEmpty()
                                        && watch.registered == registered) {
                                    // Reads sent from now on see every change the inbox does not bring.
                                    watch.confirmedAt = call.nanoClock().getAsLong();
                                }
                            }
                            registered.complete(outcome);
                        })),
                log,
                "node feed: watch");
    }

    /** An event of a thing nobody here holds: take this node out of its set (unless someone holds it again). */
    private void unwatchUnheld(ThingId thing) {
        synchronized (this) {
            if (watches.containsKey(thing)) {
                return; // held, or a change of its set is under way
            }
        }
        Futures.logFailure(
                call.run(
                        "unwatch stale",
                        redis.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                                .removeAsync(node),
                        Outcome::ok),
                log,
                "node feed: unwatch stale");
    }

    /** Makes or renews the inbox; when it had expired, watches every held thing again. Then again in a while. */
    private void renew(boolean first) {
        if (closed.get()) {
            return;
        }
        Futures.whenComplete(
                call.run("node inbox", inboxScript.call(new NodeInboxCall(inbox, ttl.toMillis())), Outcome::ok),
                log,
                "node feed: node inbox",
                (made, error) -> {
                    if (made instanceof Outcome.Ok<Boolean> ok) {
                        if (ok.value() && !first) {
                            log.warn(
                                    "node {}: its inbox had expired (Redis unreachable for longer than {} s?); "
                                            + "watching its things again",
                                    node,
                                    ttl.toSeconds());
                            rewatchAll();
                        }
                        inboxReady.complete(null);
                    } else if (first || !inboxReady.isDone()) {
                        log.warn(
                                "node {}: cannot make its inbox yet, retrying: {}",
                                node,
                                made == null
                                        ? error
                                        : ((Outcome.Rejected<Boolean>) made)
                                                .rejection()
                                                .message());
                    }
                    long next = inboxReady.isDone() ? ttl.toMillis() / 3 : ChangeFeed.RETRY_PAUSE.toMillis();
                    CompletableFuture.delayedExecutor(next, TimeUnit.MILLISECONDS)
                            .execute(() -> renew(false));
                });
    }

    private void rewatchAll() {
        synchronized (this) {
            watches.forEach((thing, watch) -> {
                if (!watch.holders.isEmpty()) {
                    // Changes routed while the node was out of the set never came: memory is stale until re-read.
                    watch.confirmedAt = Long.MAX_VALUE;
                    register(thing, watch);
                }
            });
        }
    }

    private static boolean isFailed(CompletableFuture<Outcome<Boolean>> registered) {
        return registered.isDone() && !(registered.join() instanceof Outcome.Ok<Boolean>);
    }

    /** One watched thing: who holds it, since when the node is in its set, and its Redis changes in order. */
    private static final class Watch {
        final Set<String> holders = new HashSet<>();
        long confirmedAt = Long.MAX_VALUE;
        /** The newest shadow version passed on to the follow's listener. */
        long newestShadowVersion;

        CompletableFuture<Outcome<Boolean>> registered;
        private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

        /** Runs {@code change} after the thing's earlier changes of its set (caller holds the lock). */
        CompletableFuture<?> then(java.util.function.Supplier<CompletionStage<?>> change) {
            last = last.handle((done, error) -> null).thenCompose(ignored -> change.get());
            return last;
        }

        /** Whether {@code change} is the newest change of the set (caller holds the lock). */
        boolean isLast(CompletableFuture<?> change) {
            return last == change;
        }
    }
}
