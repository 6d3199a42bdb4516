package io.shadowmq.store.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.RequestFingerprint;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.due.DueIndex;
import io.shadowmq.store.due.DueMember;
import io.shadowmq.store.due.Sweeper;
import io.shadowmq.store.feed.FeedChange;
import io.shadowmq.store.feed.FeedCoverage;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedRouter;
import io.shadowmq.store.feed.FeedSubscription;
import io.shadowmq.store.feed.FeedWriter;
import io.shadowmq.store.feed.NodeFeed;
import io.shadowmq.store.history.HistoryPolicy;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.search.SearchIndex;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads, updates and deletes shadow documents — the one place that does, for the extension and the REST service.
 *
 * <p>An update runs the compare-and-set loop of {@link ShadowCommitLoop}: merged in Java, committed by a script that
 * checks nobody changed the shadow meanwhile, recomputed on a conflict, so two writers never lose an update. What
 * this process last read or committed of each thing is kept in {@link ShadowMemory}, so the common update costs one
 * Redis round trip — the script also appends the change-feed entry, except on a Redis Cluster; reads are answered
 * from there while the change feed keeps it current, from Redis otherwise. Requests of one thing run one after
 * another in this process ({@link KeyedSequencer}), in the order they were submitted.
 */
public final class ShadowRepository {

    private static final Logger log = LoggerFactory.getLogger(ShadowRepository.class);

    private final FeedWriter feed;
    private final FeedRouter router;
    private final StoreCall call;
    private final ShadowLimits limits;
    private final Clock clock;
    private final LuaScript readScript;
    private final LuaScript deleteScript;
    private final KeyedSequencer<ThingId> sequencer = new KeyedSequencer<>();
    private final ShadowMemory memory;
    private final ShadowCommitLoop commits;
    private final LongAdder memoryReads = new LongAdder();
    private final LongAdder storeReads = new LongAdder();
    private final UpdateAdmission admission;
    private final SearchIndex index;
    private volatile @Nullable DueIndex due;

    public ShadowRepository(
            @NotNull RedissonClient redis,
            @NotNull ThingModels models,
            @NotNull FeedWriter feed,
            @NotNull FeedRouter router,
            @NotNull StoreCall call,
            @NotNull ShadowLimits limits,
            @NotNull Duration idempotencyWindow,
            @NotNull Clock clock,
            @NotNull Duration memoryReadsFor,
            int replicaAcks,
            int maxUpdatesInFlight,
            @NotNull SearchIndex index,
            boolean indexUpdates,
            @NotNull HistoryPolicy history) {
        this.feed = feed;
        this.router = router;
        this.call = call;
        this.limits = limits;
        this.clock = clock;
        this.admission = new UpdateAdmission(maxUpdatesInFlight);
        this.index = index;
        this.readScript = LuaScript.load(redis, ReadShadowCall.SCRIPT);
        this.deleteScript = LuaScript.load(redis, DeleteShadowCall.SCRIPT);
        // The memory's times are compared with the feed's coverage: both on the store's monotonic clock.
        this.memory = new ShadowMemory(memoryReadsFor, call.nanoClock());
        this.commits = new ShadowCommitLoop(
                redis,
                models,
                feed,
                router,
                call,
                limits,
                idempotencyWindow,
                clock,
                memory,
                this::read,
                replicaAcks,
                index,
                indexUpdates,
                history);
    }

    /** The limits this store enforces (the extension and the service parse requests with them). */
    public @NotNull ShadowLimits limits() {
        return limits;
    }

    /**
     * Applies an update of {@code requester}: accepted (with the previous and current documents) or rejected with the
     * contract's code (404 unknown thing, 409 version or clientToken reused, 413 state size, 422 model, 503 Redis,
     * 500 bug). Never completes exceptionally.
     *
     * <p>A clientToken belongs to its requester for the idempotency window: the same request again (same target,
     * state and version) gets the first result replayed and is not applied twice; a different request under a
     * token the requester already used is rejected with 409 and not applied. Other requesters' tokens never collide.
     *
     * <p>Past {@code maxUpdatesInFlight} updates at once in this process, the next is answered 503 {@code store busy}
     * at once, unapplied ({@link UpdateAdmission}).
     */
    public @NotNull CompletionStage<UpdateOutcome> update(
            @NotNull ThingId thing, @NotNull Requester requester, @NotNull UpdateRequest request) {
        if (!admission.tryEnter()) {
            return done(new UpdateOutcome.Rejected(admission.refusal()));
        }
        CompletableFuture<UpdateOutcome> updated = admitted(thing, requester, request);
        Futures.whenComplete(updated, log, "shadow update", (outcome, error) -> admission.exit());
        return updated;
    }

    /**
     * Commits made here name {@code node} to their script and, when it watches the thing, hand the change to its follow
     * directly instead of through its inbox ({@link NodeFeed#deliverCommittedHere}). {@code ShadowStore} calls this
     * when the process follows its node.
     */
    public void deliverCommitsTo(@NotNull NodeFeed node) {
        commits.deliverTo(node);
    }

    /** Updates refused at the door so far ({@code store busy}), for metrics. */
    public long updatesShed() {
        return admission.shed();
    }

    /** Updates being worked on now, for metrics. */
    public int updatesInFlight() {
        return admission.inFlight();
    }

    private CompletableFuture<UpdateOutcome> admitted(ThingId thing, Requester requester, UpdateRequest request) {
        String token = request.clientToken();
        TokenClaim claim = token == null
                ? null
                : new TokenClaim(
                        token, RedisKeys.clientToken(thing, requester, token), RequestFingerprint.of(thing, request));
        return sequencer.submit(
                thing,
                () -> commits.update(thing, request, claim, requester.name())
                        .thenCompose(outcome -> scheduleExpiry(thing, outcome)));
    }

    /**
     * Lets desired values expire whether or not anyone is connected: updates that give a thing a new earliest
     * {@code expiresAt} schedule it in {@code due} (member {@code desired|T}), and {@code sweeper} runs
     * {@link #expireDesired} when it falls due. {@code ShadowStore} wires this once, at construction.
     */
    public void expiresDesiredThrough(@NotNull DueIndex due, @NotNull Sweeper sweeper) {
        this.due = due;
        sweeper.handle(DueMember.DESIRED, (member, nowMillis) -> expireDesired(member.thing()));
    }

    /**
     * Takes the thing's desired values whose {@code expiresAt} has passed out of desired (outcome {@code expired}),
     * committed through the same compare-and-set loop as updates, so that whichever node sweeps, each value expires
     * once; when none has expired nothing is written and the version stays. Answers when the next desired value
     * expires (empty: none left, or no such thing), or the rejection when Redis could not be asked.
     */
    public @NotNull CompletionStage<Outcome<Optional<Long>>> expireDesired(@NotNull ThingId thing) {
        return sequencer
                .submit(thing, () -> commits.expireDesired(thing))
                .thenCompose(outcome -> scheduleExpiry(thing, outcome))
                .thenApply(outcome -> {
                    if (outcome instanceof UpdateOutcome.Accepted accepted) {
                        OptionalLong next = accepted.current().nextDesiredExpiry();
                        return Outcome.ok(next.isPresent() ? Optional.of(next.getAsLong()) : Optional.<Long>empty());
                    }
                    Rejection rejection = ((UpdateOutcome.Rejected) outcome).rejection();
                    return rejection.code() == Rejection.NO_SHADOW
                            ? Outcome.ok(Optional.<Long>empty())
                            : Outcome.<Optional<Long>>rejected(rejection);
                });
    }

    /**
     * Puts the thing into the due index when an accepted change gave it a new earliest desired expiry (the index keeps
     * the earliest schedule). The answer waits for it, so an accepted expiring value is known to the sweepers.
     */
    private CompletionStage<UpdateOutcome> scheduleExpiry(ThingId thing, UpdateOutcome outcome) {
        DueIndex index = due;
        if (index == null || !(outcome instanceof UpdateOutcome.Accepted accepted)) {
            return done(outcome);
        }
        OptionalLong next = accepted.current().nextDesiredExpiry();
        if (next.isEmpty() || next.equals(accepted.previous().nextDesiredExpiry())) {
            return done(outcome);
        }
        return index.schedule(DueMember.of(DueMember.DESIRED, thing), next.getAsLong())
                .thenApply(scheduled -> {
                    if (scheduled instanceof Outcome.Rejected<Boolean> failed) {
                        log.warn(
                                "thing {}: desired value expiring at {} not scheduled for the sweep ({}); it expires "
                                        + "with the thing's next update",
                                thing,
                                next.getAsLong(),
                                failed.rejection().message());
                    }
                    return outcome;
                });
    }

    /**
     * The current document, or 404 when the thing is unknown or has no shadow. Served from memory when this process
     * knows it and follows the change feed ({@link #servesReadsWhile}): then it includes every change the feed has
     * delivered to this process — every change made here, and changes made elsewhere a feed delay later (typically
     * about a millisecond). {@link #getLatest} always asks Redis.
     */
    public @NotNull CompletionStage<Outcome<ShadowDocument>> get(@NotNull ThingId thing) {
        if (!sequencer.busy(thing)) {
            // Nothing of this thing is in flight here, so there is no earlier request to wait for.
            Optional<Outcome<ShadowDocument>> inMemory = fromMemory(thing);
            if (inMemory.isPresent()) {
                return done(inMemory.get());
            }
        }
        return sequencer.submit(
                thing,
                () -> fromMemory(thing)
                        .<CompletionStage<Outcome<ShadowDocument>>>map(CompletableFuture::completedFuture)
                        .orElseGet(() -> readFromStore(thing)));
    }

    /** The current document as Redis has it now, or 404 when the thing is unknown or has no shadow. */
    public @NotNull CompletionStage<Outcome<ShadowDocument>> getLatest(@NotNull ThingId thing) {
        return sequencer.submit(thing, () -> readFromStore(thing));
    }

    /**
     * Lets reads of a thing be answered from memory while {@code coverage} says this process is told of every change
     * of that thing, and only with what was read or committed since. The follows behind it must pass every event to
     * {@link #observe} before anything else ({@code ShadowStore} does). Only where updates and their feed entries are
     * committed together (not on a Redis Cluster); an entry answers reads for at most
     * {@code StoreConfig.memoryReadsFor} after it was read or committed.
     */
    public void servesReadsWhile(@NotNull FeedCoverage coverage) {
        if (feed.appendsInScripts()) {
            memory.coveredBy(coverage);
        }
    }

    /**
     * Makes {@code node} watch every thing this process remembers (at most {@value ShadowMemory#CACHED_SHADOWS},
     * each until {@link ShadowMemory#CACHE_IDLE_EXPIRY} unused), and answers reads of them from memory while the
     * node's follow keeps up: a process that holds no devices is then told of the changes of exactly the things it
     * keeps, whatever their households. The node's follow must pass events to {@link #observe} ({@code ShadowStore.follow(NodeFeed, ..)}).
     */
    public void watchesWhatItKeeps(@NotNull NodeFeed node) {
        memory.watchedBy(node);
    }

    /** As {@link #servesReadsWhile(FeedCoverage)}, for a follow of the whole feed, which covers every thing. */
    public void servesReadsWhile(@NotNull FeedSubscription subscription) {
        servesReadsWhile((thing, owner) -> subscription.liveSince());
    }

    /** Takes note of a change announced on the feed: what this process knew of that thing before it is dropped. */
    public void observe(@NotNull FeedEvent event) {
        memory.observe(event);
    }

    /** Reads answered from memory, and from Redis, since start (metrics). */
    public long readsFromMemory() {
        return memoryReads.sum();
    }

    public long readsFromStore() {
        return storeReads.sum();
    }

    /** Deletes the document; the answer is the deleted shadow's version (the next update continues after it). */
    public @NotNull CompletionStage<Outcome<Long>> delete(@NotNull ThingId thing) {
        return sequencer.submit(
                thing,
                () -> call.run("shadow delete", deleteScript.call(new DeleteShadowCall(thing)), Outcome::ok)
                        .thenCompose(answer -> {
                            if (answer instanceof Outcome.Rejected<DeleteShadowCall.Deletion> failed) {
                                memory.forget(thing);
                                return done(Outcome.<Long>rejected(failed.rejection()));
                            }
                            DeleteShadowCall.Deletion deletion =
                                    ((Outcome.Ok<DeleteShadowCall.Deletion>) answer).value();
                            if (deletion instanceof DeleteShadowCall.NoThing) {
                                memory.forget(thing);
                                return done(Outcome.<Long>rejected(Rejection.noShadow(thing.value())));
                            }
                            if (!(deletion instanceof DeleteShadowCall.Deleted deleted)) {
                                return done(Outcome.<Long>rejected(Rejection.noShadow(thing.value())));
                            }
                            long version = deleted.version();
                            StoredShadow before = memory.base(thing);
                            memory.forget(thing);
                            long now = clock.millis();
                            ObjectNode body = ShadowPayloads.deleteAccepted(version, now, null);
                            return thingOf(thing, before)
                                    .thenCompose(found -> found.map(known -> router.appendRouted(FeedChange.of(
                                                            FeedEventKind.SHADOW_DELETED,
                                                            thing,
                                                            known.owner(),
                                                            version,
                                                            body))
                                                    .thenCombine(
                                                            index.apply(
                                                                    thing,
                                                                    version,
                                                                    index.entries(known.type(), known.owner(), null)),
                                                            (appended, indexed) -> appended))
                                            .orElseGet(() -> CompletableFuture.completedFuture(Outcome.ok("")))
                                            .thenApply(appended -> Outcome.ok(version)));
                        }));
    }

    /** Forgets what this process remembers of a thing (after it was deprovisioned elsewhere). */
    public void forget(@NotNull ThingId thing) {
        memory.forget(thing);
    }

    private Optional<Outcome<ShadowDocument>> fromMemory(ThingId thing) {
        Optional<StoredShadow> inMemory = memory.answer(thing);
        if (inMemory.isEmpty()) {
            return Optional.empty();
        }
        memoryReads.increment();
        return Optional.of(documentOf(thing, Outcome.ok(inMemory.get())));
    }

    private CompletionStage<Outcome<ShadowDocument>> readFromStore(ThingId thing) {
        storeReads.increment();
        // Where what is kept is watched, the read waits for the watch: sent after it, it can answer the next reads.
        return memory.keep(thing).thenCompose(watched -> read(thing)).thenApply(outcome -> documentOf(thing, outcome));
    }

    private static Outcome<ShadowDocument> documentOf(ThingId thing, Outcome<StoredShadow> outcome) {
        if (outcome instanceof Outcome.Ok<StoredShadow> ok) {
            return ok.value().exists()
                    ? Outcome.ok(ok.value().document())
                    : Outcome.rejected(Rejection.noShadow(thing.value()));
        }
        return Outcome.rejected(((Outcome.Rejected<StoredShadow>) outcome).rejection());
    }

    /** Reads the thing's shadow from Redis, and remembers it. */
    private CompletionStage<Outcome<StoredShadow>> read(ThingId thing) {
        return readUnremembered(thing).thenApply(outcome -> {
            if (outcome instanceof Outcome.Ok<StoredShadow> ok) {
                memory.remember(thing, ok.value());
            }
            return outcome;
        });
    }

    /**
     * Reads the thing's shadow from Redis without remembering it: remembering keeps the thing watched (its changes
     * routed to this process), which a search that reads hundreds of candidates once must not cause.
     */
    private CompletionStage<Outcome<StoredShadow>> readUnremembered(ThingId thing) {
        ReadShadowCall read = new ReadShadowCall(thing, memory.now());
        return call.run(
                "shadow read",
                readScript.call(read),
                reply -> reply.isEmpty()
                        ? Outcome.<StoredShadow>rejected(ShadowCommitLoop.noThing(thing))
                        : Outcome.ok(reply.get()));
    }

    private CompletionStage<Optional<StoredShadow>> thingOf(ThingId thing, StoredShadow cached) {
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        return read(thing)
                .thenApply(outcome ->
                        outcome instanceof Outcome.Ok<StoredShadow> ok ? Optional.of(ok.value()) : Optional.empty());
    }

    /**
     * The thing's type, owner and shadow document ({@code null} when it has none) as Redis has it now, for a search
     * to check a candidate with; empty when the thing is unknown. Not remembered: this process does not start watching
     * the thing.
     */
    public @NotNull CompletionStage<Outcome<Optional<ThingShadow>>> readThing(@NotNull ThingId thing) {
        return readUnremembered(thing).thenApply(outcome -> {
            if (outcome instanceof Outcome.Ok<StoredShadow> ok) {
                StoredShadow stored = ok.value();
                return Outcome.ok(Optional.of(
                        new ThingShadow(stored.type(), stored.owner(), stored.exists() ? stored.document() : null)));
            }
            Rejection rejection = ((Outcome.Rejected<StoredShadow>) outcome).rejection();
            return rejection.code() == Rejection.NO_SHADOW
                    ? Outcome.ok(Optional.<ThingShadow>empty())
                    : Outcome.<Optional<ThingShadow>>rejected(rejection);
        });
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
