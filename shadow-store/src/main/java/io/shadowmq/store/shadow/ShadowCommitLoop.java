package io.shadowmq.store.shadow;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.search.SearchSchema;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ReportedHistory;
import io.shadowmq.model.shadow.ShadowAlgebra;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.feed.FeedChange;
import io.shadowmq.store.feed.FeedRouter;
import io.shadowmq.store.feed.FeedWriter;
import io.shadowmq.store.feed.NodeFeed;
import io.shadowmq.store.history.HistoryPolicy;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.search.SearchIndex;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The compare-and-set loop of one update: validate against the thing model, merge with {@link ShadowAlgebra} (the
 * rules exist once, in Java), then commit with {@code update.lua}, which checks nobody changed the shadow meanwhile.
 * A conflict (another process won) recomputes from the fresh state the script answers, so two writers never lose an
 * update; a writer that keeps losing takes a short lease, so it cannot be starved. The base of the first attempt is
 * what {@link ShadowMemory} knows, so the common update costs one Redis round trip.
 */
final class ShadowCommitLoop {

    private static final Logger log = LoggerFactory.getLogger(ShadowCommitLoop.class);

    /** Commits retried after losing a compare-and-set race (or waiting for another writer's lease) before 503. */
    static final int MAX_COMMIT_ATTEMPTS = 64;
    /** After this many lost races a writer takes a short lease: its next commit cannot lose. */
    static final int LEASE_AFTER_CONFLICTS = 2;

    static final Duration LEASE = Duration.ofMillis(250);
    /** Pause before retrying while another writer holds the lease. */
    static final long LEASED_PAUSE_MILLIS = 2;

    private final RedissonClient redis;
    private final ThingModels models;
    private final FeedWriter feed;
    private final FeedRouter router;
    private final StoreCall call;
    private final ShadowLimits limits;
    private final Duration idempotencyWindow;
    private final Clock clock;
    private final ShadowMemory memory;
    private final Function<ThingId, CompletionStage<Outcome<StoredShadow>>> read;
    private final LuaScript updateScript;
    /** Replicas that must have an update before it is accepted (StoreConfig#replicaAcks). */
    private final int replicaAcks;

    private final SearchIndex index;
    /** Whether commits keep the search index (StoreConfig#searchIndex); false only to measure what indexing costs. */
    private final boolean indexUpdates;

    private final HistoryPolicy history;

    private final String writerId = UUID.randomUUID().toString();
    /** This process's node, when it follows one: its commits skip its inbox and reach its follow directly. */
    private volatile @Nullable NodeFeed node;

    /**
     * @param read         reads a thing's shadow from Redis (and remembers it)
     * @param indexUpdates whether commits keep the search index; false: no entries computed, none passed to the script,
     *                     none applied after the commit
     */
    ShadowCommitLoop(
            RedissonClient redis,
            ThingModels models,
            FeedWriter feed,
            FeedRouter router,
            StoreCall call,
            ShadowLimits limits,
            Duration idempotencyWindow,
            Clock clock,
            ShadowMemory memory,
            Function<ThingId, CompletionStage<Outcome<StoredShadow>>> read,
            int replicaAcks,
            SearchIndex index,
            boolean indexUpdates,
            HistoryPolicy history) {
        this.redis = redis;
        this.models = models;
        this.feed = feed;
        this.router = router;
        this.call = call;
        this.limits = limits;
        this.idempotencyWindow = idempotencyWindow;
        this.clock = clock;
        this.memory = memory;
        this.read = read;
        this.replicaAcks = replicaAcks;
        this.index = index;
        this.indexUpdates = indexUpdates;
        this.history = history;
        this.updateScript =
                LuaScript.load(redis, UpdateCall.SCRIPT, FeedRouter.SCRIPT_LIBRARY, SearchIndex.SCRIPT_LIBRARY);
    }

    /**
     * From now on, commits name {@code follower} to their script, which then skips its inbox, and hand their changes to
     * its follow themselves ({@link NodeFeed#deliverCommittedHere}) when it watches the thing.
     */
    void deliverTo(@NotNull NodeFeed follower) {
        this.node = follower;
    }

    /**
     * What one attempt computes from the current shadow at the store clock's time: an update's merge, or the expiry
     * of desired values. An {@link UpdateOutcome.Accepted} whose current document has its previous version changes nothing
     * and is not committed.
     */
    @FunctionalInterface
    private interface Step {
        UpdateOutcome on(StoredShadow current, long nowMillis);
    }

    /** The request behind a sweep: it writes nothing itself, the change is the expiry. */
    private static final UpdateRequest EXPIRY =
            UpdateRequest.of(MissingNode.getInstance(), MissingNode.getInstance(), null, null);

    /**
     * Applies {@code request} of the requester named {@code setBy} (see {@code ShadowRepository.update}); never
     * completes exceptionally.
     */
    CompletionStage<UpdateOutcome> update(
            ThingId thing, UpdateRequest request, @Nullable TokenClaim claim, String setBy) {
        Step step = (current, now) -> {
            Optional<ThingModel> model = models.get(current.type());
            if (model.isEmpty()) {
                return new UpdateOutcome.Rejected(
                        Rejection.internal("thing type '" + current.type() + "' has no thing model on this server"));
            }
            Optional<Rejection> invalid = validate(model.get(), request);
            if (invalid.isPresent()) {
                return new UpdateOutcome.Rejected(invalid.get());
            }
            return ShadowAlgebra.apply(
                    current.document(), request, setBy, model.get().desiredPolicy(), now, limits);
        };
        return attempt(thing, request, step, claim, 1);
    }

    /**
     * Takes the desired values of {@code thing} that have expired by now out of desired, committed as any update (one
     * version, announced on the feed); when none has, nothing is written. Answers the document as it is afterwards.
     */
    CompletionStage<UpdateOutcome> expireDesired(ThingId thing) {
        Step step = (current, now) -> {
            ShadowDocument doc = current.document();
            return new UpdateOutcome.Accepted(
                    doc, ShadowAlgebra.expireDesired(doc, now).orElse(doc), EXPIRY);
        };
        return attempt(thing, EXPIRY, step, null, 1);
    }

    private CompletionStage<UpdateOutcome> attempt(
            ThingId thing, UpdateRequest request, Step step, @Nullable TokenClaim claim, int attempt) {
        StoredShadow cached = memory.base(thing);
        CompletionStage<Outcome<StoredShadow>> base =
                cached != null ? CompletableFuture.completedFuture(Outcome.ok(cached)) : read.apply(thing);
        return base.thenCompose(
                outcome -> computeAndCommit(thing, request, step, claim, outcome, cached != null, attempt));
    }

    private CompletionStage<UpdateOutcome> computeAndCommit(
            ThingId thing,
            UpdateRequest request,
            Step step,
            @Nullable TokenClaim claim,
            Outcome<StoredShadow> outcome,
            boolean fromCache,
            int attempt) {
        if (outcome instanceof Outcome.Rejected<StoredShadow> rejected) {
            return done(new UpdateOutcome.Rejected(rejected.rejection()));
        }
        StoredShadow current = ((Outcome.Ok<StoredShadow>) outcome).value();
        UpdateOutcome result = step.on(current, clock.millis());
        if (result instanceof UpdateOutcome.Rejected rejected) {
            if (fromCache && rejected.rejection().code() == Rejection.VERSION_CONFLICT) {
                // The cached version may be behind another process's commit: decide on fresh state.
                memory.forget(thing);
                return attempt(thing, request, step, claim, attempt);
            }
            return rejectUnlessRepeated(thing, current.owner(), request, claim, rejected.rejection());
        }
        UpdateOutcome.Accepted accepted = (UpdateOutcome.Accepted) result;
        if (accepted.current().version() == accepted.previous().version()) {
            return done(accepted);
        }
        return commit(thing, request, step, claim, current, accepted, attempt);
    }

    /**
     * A request refused on the current state may be the repeat of one that was applied (a retry after a timeout, whose
     * expected version has passed since): the clientToken decides first, as in the commit script.
     */
    private CompletionStage<UpdateOutcome> rejectUnlessRepeated(
            ThingId thing, Owner owner, UpdateRequest request, @Nullable TokenClaim claim, Rejection rejection) {
        if (claim == null) {
            return done(new UpdateOutcome.Rejected(rejection));
        }
        return call.run(
                        "clientToken read",
                        redis.<String>getBucket(claim.key(), StringCodec.INSTANCE)
                                .getAsync(),
                        prior -> Outcome.ok(Optional.ofNullable(prior)))
                .thenCompose(answer -> {
                    if (answer instanceof Outcome.Rejected<Optional<String>> unknown) {
                        // Whether this repeats an applied request is unknown: 503 invites the retry that can tell.
                        return done(new UpdateOutcome.Rejected(unknown.rejection()));
                    }
                    Optional<String> prior = ((Outcome.Ok<Optional<String>>) answer).value();
                    return prior.isPresent()
                            ? replay(thing, owner, claim.verdict(prior.get(), request))
                            : done(new UpdateOutcome.Rejected(rejection));
                });
    }

    /**
     * The answer to a repeated request. On a Redis Cluster the first attempt's commit may have landed after its
     * answer was lost (a timeout during a failover), and then it was never announced on the change feed: a
     * replayed acceptance is announced (again). Followers may so see one version twice; devices keep the newest
     * version only, so the delta still reaches them once.
     */
    private CompletionStage<UpdateOutcome> replay(ThingId thing, Owner owner, UpdateOutcome verdict) {
        if (feed.appendsInScripts() || !(verdict instanceof UpdateOutcome.Accepted accepted)) {
            return done(verdict);
        }
        // The script's answer naming the watching nodes was lost with the first attempt: read them from the set.
        FeedChange change = FeedChange.shadowUpdated(
                thing, owner, accepted.current().version(), documentsOf(accepted), accepted.deltaChanged());
        return router.routeToWatchers(change)
                .thenCompose(routed -> feed.appendAfterCommit(change))
                .thenApply(appended -> announced(thing, accepted, appended));
    }

    private static String documentsOf(UpdateOutcome.Accepted accepted) {
        return SafeJson.writeString(ShadowPayloads.documents(
                accepted.previous(), accepted.current(), accepted.current().timestamp()));
    }

    private CompletionStage<UpdateOutcome> commit(
            ThingId thing,
            UpdateRequest request,
            Step step,
            @Nullable TokenClaim claim,
            StoredShadow current,
            UpdateOutcome.Accepted accepted,
            int attempt) {
        Owner owner = current.owner();
        long version = accepted.current().version();
        NodeFeed self = node;
        FeedChange change =
                FeedChange.shadowUpdated(thing, owner, version, documentsOf(accepted), accepted.deltaChanged());
        // Without indexing the entries are '': the script skips them, and nothing is applied after the commit.
        // Where the feed is appended in the script (not a Cluster), so is the index: one server holds both.
        boolean indexInScript = feed.appendsInScripts();
        List<String> entryList = indexUpdates
                ? index.schema().indexEntries(current.type(), owner.value(), accepted.current())
                : List.of();
        String entries = indexUpdates ? SearchSchema.toJson(entryList) : "";
        // What changed since the base: the script writes only that when the index holds the base.
        String changes = indexUpdates && indexInScript
                ? SearchSchema.changesJson(
                        index.schema()
                                .indexEntries(
                                        current.type(), owner.value(), current.exists() ? current.document() : null),
                        entryList)
                : "";
        UpdateCall update = new UpdateCall(
                thing,
                claim == null ? null : claim.key(),
                current.document().version(),
                current.exists(),
                current.type(),
                SafeJson.writeString(accepted.current().toStoredJson()),
                version,
                idempotencyWindow.toMillis(),
                claim == null ? "" : TokenClaim.replayRecord(accepted),
                writerId,
                attempt >= LEASE_AFTER_CONFLICTS ? LEASE.toMillis() : 0,
                owner.value(),
                claim == null ? "" : claim.fingerprint(),
                self == null ? "" : self.node(),
                historyOf(accepted),
                indexInScript ? entries : "",
                changes,
                feed.inScript(change),
                memory.now());
        CompletionStage<Outcome<UpdateCall.Commit>> committed = call.run(
                "shadow update",
                updateScript.callReplicated(update, replicaAcks, StoreConfig.REPLICA_ACK_TIMEOUT),
                Outcome::ok);
        return committed.thenCompose(answer -> {
            if (answer instanceof Outcome.Rejected<UpdateCall.Commit> failed) {
                // A timeout does not mean "not written": drop the cache so the next attempt reads the truth.
                memory.forget(thing);
                return done(new UpdateOutcome.Rejected(failed.rejection()));
            }
            UpdateCall.Commit reply = ((Outcome.Ok<UpdateCall.Commit>) answer).value();
            if (reply instanceof UpdateCall.Committed ok) {
                memory.remember(
                        thing, new StoredShadow(current.type(), owner, accepted.current(), true, update.sentAt()));
                CompletionStage<Outcome<Boolean>> indexed =
                        indexInScript || !indexUpdates ? done(Outcome.ok(true)) : index.apply(thing, version, entries);
                return announce(thing, accepted, change, ok.watchers())
                        .thenCombine(indexed, (announced, indexing) -> indexedAfterCommit(thing, announced, indexing))
                        .thenApply(announced -> {
                            if (ok.selfWatches() && self != null) {
                                self.deliverCommittedHere(feed.committedHere(change, ok.entryId()));
                            }
                            return announced;
                        });
            }
            memory.forget(thing);
            if (reply instanceof UpdateCall.Claimed claimed) {
                // the requester used this clientToken before: the same request or another
                return replay(thing, owner, claim.verdict(claimed.stored(), request));
            }
            if (reply instanceof UpdateCall.NoThing) {
                return done(new UpdateOutcome.Rejected(noThing(thing)));
            }
            if (attempt >= MAX_COMMIT_ATTEMPTS) {
                return done(busy(thing, attempt));
            }
            if (reply instanceof UpdateCall.Stale stale) {
                // another writer committed first; the answer carries the fresh state
                return computeAndCommit(thing, request, step, claim, Outcome.ok(stale.fresh()), false, attempt + 1);
            }
            // leased: another process lost too often and has this turn
            Executor pause = CompletableFuture.delayedExecutor(LEASED_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, pause)
                    .thenCompose(ignored -> attempt(thing, request, step, claim, attempt + 1));
        });
    }

    /** The reported-history point of an accepted change, and how the thing's history is trimmed. */
    private UpdateCall.HistoryAppend historyOf(UpdateOutcome.Accepted accepted) {
        long oldest =
                Math.max(0, accepted.current().timestamp() - history.retention().toMillis());
        return new UpdateCall.HistoryAppend(
                ReportedHistory.of(accepted.previous(), accepted.current())
                        .map(ReportedHistory::toStoredJson)
                        .orElse(""),
                history.maxPoints(),
                oldest);
    }

    private static UpdateOutcome indexedAfterCommit(ThingId thing, UpdateOutcome announced, Outcome<Boolean> indexing) {
        if (indexing instanceof Outcome.Rejected<Boolean> failed) {
            // Searches see the previous values of this thing until its next update indexes it again.
            log.warn(
                    "thing {}: committed but not indexed for search: {}",
                    thing,
                    failed.rejection().message());
        }
        return announced;
    }

    /**
     * On a Redis Cluster the entries follow the commit, to the partition and to the watching nodes' inboxes
     * (elsewhere the script wrote them, and this is done at once).
     */
    private CompletionStage<UpdateOutcome> announce(
            ThingId thing, UpdateOutcome.Accepted accepted, FeedChange change, List<String> watchers) {
        return router.routeAfterCommit(watchers, change).thenApply(appended -> announced(thing, accepted, appended));
    }

    private static UpdateOutcome announced(ThingId thing, UpdateOutcome.Accepted accepted, Outcome<String> appended) {
        if (appended instanceof Outcome.Rejected<String> failed) {
            log.warn(
                    "thing {}: version {} committed but not announced on the change feed: {}",
                    thing,
                    accepted.current().version(),
                    failed.rejection().message());
        }
        return accepted;
    }

    private static Optional<Rejection> validate(ThingModel model, UpdateRequest request) {
        for (Section section : Section.values()) {
            Optional<ObjectNode> patch = request.patch(section);
            if (patch.isPresent()) {
                Optional<Rejection> violation = model.check(section, patch.get());
                if (violation.isPresent()) {
                    return violation;
                }
            }
        }
        return model.checkRejectDesired(request.rejectDesired().keySet());
    }

    private static UpdateOutcome busy(ThingId thing, int attempts) {
        log.warn("thing {}: update gave up after {} attempts against concurrent writers", thing, attempts);
        return new UpdateOutcome.Rejected(
                Rejection.storeBusy("shadow of " + thing + " changed " + attempts + " times while updating, retry"));
    }

    static Rejection noThing(ThingId thing) {
        return new Rejection(Rejection.NO_SHADOW, "no thing " + thing.value());
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
