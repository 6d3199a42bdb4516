package io.shadowmq.store.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.RequestFingerprint;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowAlgebra;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.feed.ChangeFeed;
import io.shadowmq.store.feed.FeedCoverage;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedSubscription;
import io.shadowmq.store.feed.NodeFeed;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.redis.StoredJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads, updates and deletes shadow documents — the one place that does, for the extension and the REST service.
 *
 * <p>An update is: validate against the thing model, merge with {@link ShadowAlgebra} (the rules exist once, in
 * Java), then commit with a compare-and-set script that checks nobody changed the shadow meanwhile. A conflict
 * (another process won) re-reads and recomputes, so two writers never lose an update. The last committed document
 * of each thing is kept in a Caffeine cache, so the common update costs one Redis round trip — the script also
 * appends the change-feed entry, except on a Redis Cluster; reads always go to Redis. Requests of one thing run one after another in this process ({@link KeyedSequencer}), in the order they
 * were submitted.
 */
public final class ShadowRepository {

    private static final Logger log = LoggerFactory.getLogger(ShadowRepository.class);

    /** Commits retried after losing a compare-and-set race (or waiting for another writer's lease) before 503. */
    static final int MAX_COMMIT_ATTEMPTS = 64;
    /** After this many lost races a writer takes a short lease: its next commit cannot lose. */
    static final int LEASE_AFTER_CONFLICTS = 2;
    static final Duration LEASE = Duration.ofMillis(250);
    /** Pause before retrying while another writer holds the lease. */
    static final long LEASED_PAUSE_MILLIS = 2;
    static final long CACHED_SHADOWS = 100_000;
    static final Duration CACHE_IDLE_EXPIRY = Duration.ofMinutes(10);
    /** Far longer than any read may take (the store timeout): what guards a read that was slower than the feed. */
    static final Duration ANNOUNCED_MEMORY = Duration.ofMinutes(1);
    static final long ANNOUNCED_THINGS = 1_000_000;

    private final RedissonClient redis;
    private final ThingModels models;
    private final ChangeFeed feed;
    private final StoreCall call;
    private final ShadowLimits limits;
    private final Duration idempotencyWindow;
    private final Clock clock;
    private final LuaScript readScript;
    private final LuaScript updateScript;
    private final LuaScript deleteScript;
    private final KeyedSequencer<ThingId> sequencer = new KeyedSequencer<>();
    private final String writerId = UUID.randomUUID().toString();
    /**
     * What this process knows of each thing's shadow: the base of its next update (a stale base only costs a retry),
     * and — while the change feed is followed and keeps up — the answer to reads. An entry is dropped as soon as the
     * feed announces a newer change of its thing ({@link #observe}), so what is left is never behind what the feed
     * has delivered.
     */
    private final Cache<ThingId, StoredShadow> known = Caffeine.newBuilder()
            .maximumSize(CACHED_SHADOWS).expireAfterAccess(CACHE_IDLE_EXPIRY).build();
    /** Per thing: the rank of the newest change the feed announced, so a slow read cannot put back an older one. */
    private final Cache<ThingId, Long> announced = Caffeine.newBuilder()
            .maximumSize(ANNOUNCED_THINGS).expireAfterWrite(ANNOUNCED_MEMORY).build();
    private volatile FeedCoverage coverage;
    /**
     * Where this process watches what it keeps (the REST service, which holds no devices): the things it remembers,
     * bounded like {@link #known}; a thing leaves the node's watch when it leaves this.
     */
    private volatile Cache<ThingId, Boolean> keptWatched;
    static final String KEEPER = "shadow-memory";
    private final long memoryReadsForNanos;
    /** Replicas that must have an update before it is accepted (StoreConfig#replicaAcks). */
    private final int replicaAcks;
    private final LongAdder memoryReads = new LongAdder();
    private final LongAdder storeReads = new LongAdder();

    public ShadowRepository(@NotNull RedissonClient redis, @NotNull ThingModels models, @NotNull ChangeFeed feed,
                            @NotNull StoreCall call, @NotNull ShadowLimits limits, @NotNull Duration idempotencyWindow,
                            @NotNull Clock clock, @NotNull Duration memoryReadsFor, int replicaAcks) {
        this.memoryReadsForNanos = memoryReadsFor.toNanos();
        this.replicaAcks = replicaAcks;
        this.redis = redis;
        this.models = models;
        this.feed = feed;
        this.call = call;
        this.limits = limits;
        this.idempotencyWindow = idempotencyWindow;
        this.clock = clock;
        this.readScript = LuaScript.load(redis, "read-shadow");
        this.updateScript = LuaScript.load(redis, "update");
        this.deleteScript = LuaScript.load(redis, "delete-shadow");
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
     */
    public @NotNull CompletionStage<UpdateOutcome> update(@NotNull ThingId thing, @NotNull Requester requester,
                                                          @NotNull UpdateRequest request) {
        String token = request.clientToken();
        TokenClaim claim = token == null ? null : new TokenClaim(token,
                RedisKeys.clientToken(thing, requester, token), RequestFingerprint.of(thing, request));
        return sequencer.submit(thing, () -> attemptUpdate(thing, request, claim, 1));
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
        return sequencer.submit(thing, () -> fromMemory(thing).<CompletionStage<Outcome<ShadowDocument>>>map(
                CompletableFuture::completedFuture).orElseGet(() -> readFromStore(thing)));
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
            this.coverage = coverage;
        }
    }

    /**
     * Makes {@code node} watch every thing this process remembers (at most {@value #CACHED_SHADOWS}, each until
     * {@link #CACHE_IDLE_EXPIRY} unused), and answers reads of them from memory while the node's follow keeps up: a
     * process that holds no devices is then told of the changes of exactly the things it keeps, whatever their
     * households. The node's follow must pass events to {@link #observe} ({@code ShadowStore.follow(NodeFeed, ..)}).
     */
    public void watchesWhatItKeeps(@NotNull NodeFeed node) {
        keptWatched = Caffeine.newBuilder().maximumSize(CACHED_SHADOWS).expireAfterAccess(CACHE_IDLE_EXPIRY)
                .<ThingId, Boolean>evictionListener((thing, kept, cause) -> {
                    if (thing != null) {
                        node.release(KEEPER, thing);
                    }
                }).build();
        this.keeper = node;
    }

    private volatile NodeFeed keeper;

    /** As {@link #servesReadsWhile(FeedCoverage)}, for a follow of the whole feed, which covers every thing. */
    public void servesReadsWhile(@NotNull FeedSubscription subscription) {
        servesReadsWhile((thing, owner) -> subscription.liveSince());
    }

    /** Takes note of a change announced on the feed: what this process knew of that thing before it is dropped. */
    public void observe(@NotNull FeedEvent event) {
        switch (event.kind()) {
            case SHADOW_UPDATED -> announce(event.thing(), StoredShadow.rank(event.version(), true));
            case SHADOW_DELETED -> announce(event.thing(), StoredShadow.rank(event.version(), false));
            // A deprovisioned thing's versions may start over if it is provisioned again: remember nothing of it.
            case THING_DELETED -> announce(event.thing(), Long.MAX_VALUE);
            default -> {
            }
        }
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
        return sequencer.submit(thing, () -> call.run("shadow delete",
                deleteScript.run(List.of(RedisKeys.shadow(thing), RedisKeys.thing(thing))),
                Outcome::ok).thenCompose(answer -> {
            if (answer instanceof Outcome.Rejected<List<Object>> failed) {
                known.invalidate(thing);
                return CompletableFuture.completedFuture(Outcome.<Long>rejected(failed.rejection()));
            }
            List<Object> reply = ((Outcome.Ok<List<Object>>) answer).value();
            String status = reply.get(0).toString();
            if (status.equals("nothing")) {
                known.invalidate(thing);
                return CompletableFuture.completedFuture(Outcome.<Long>rejected(Rejection.noShadow(thing.value())));
            }
            if (status.equals("absent")) {
                return CompletableFuture.completedFuture(Outcome.<Long>rejected(Rejection.noShadow(thing.value())));
            }
            long version = Long.parseLong(reply.get(1).toString());
            StoredShadow before = known.getIfPresent(thing);
            known.invalidate(thing);
            long now = clock.millis();
            ObjectNode body = ShadowPayloads.deleteAccepted(version, now, null);
            return ownerOf(thing, before).thenCompose(owner -> owner
                    .map(o -> feed.appendRouted(FeedEventKind.SHADOW_DELETED, thing, o, version, body))
                    .orElseGet(() -> CompletableFuture.completedFuture(Outcome.ok("")))
                    .thenApply(appended -> Outcome.ok(version)));
        }));
    }

    /** Forgets what this process remembers of a thing (after it was deprovisioned elsewhere). */
    public void forget(@NotNull ThingId thing) {
        known.invalidate(thing);
    }

    private void announce(ThingId thing, long rank) {
        announced.asMap().merge(thing, rank, Math::max);
        known.asMap().computeIfPresent(thing, (key, cached) -> cached.rank() >= rank ? cached : null);
    }

    /** Keeps what was read or committed, unless the feed already announced something newer of that thing. */
    private void remember(ThingId thing, StoredShadow fresh) {
        keep(thing);
        known.asMap().compute(thing, (key, cached) -> {
            Long newest = announced.getIfPresent(key);
            if (newest != null && fresh.rank() < newest) {
                return cached;
            }
            return cached != null && cached.rank() > fresh.rank() ? cached : fresh;
        });
    }

    private Optional<Outcome<ShadowDocument>> fromMemory(ThingId thing) {
        Cache<ThingId, Boolean> watched = keptWatched;
        if (watched != null) {
            var unused = watched.getIfPresent(thing); // the read itself counts as use: it stays watched
        }
        StoredShadow inMemory = known.getIfPresent(thing);
        if (inMemory == null || !isCoherent(thing, inMemory)) {
            return Optional.empty();
        }
        memoryReads.increment();
        return Optional.of(documentOf(thing, Outcome.ok(inMemory)));
    }

    /**
     * Learned while the follow kept up, and not long ago: shadow deletes and deprovisioning announce after their
     * commit, so a writer dying in between leaves no feed entry, and this bounds how long that can go unseen.
     */
    private boolean isCoherent(ThingId thing, StoredShadow inMemory) {
        FeedCoverage covered = coverage;
        if (covered == null) {
            return false;
        }
        long since = covered.coveredSince(thing, inMemory.owner());
        return since != Long.MAX_VALUE && inMemory.observedAt() - since >= 0
                && System.nanoTime() - inMemory.observedAt() <= memoryReadsForNanos;
    }

    private CompletionStage<Outcome<ShadowDocument>> readFromStore(ThingId thing) {
        storeReads.increment();
        // Where what is kept is watched, the read waits for the watch: sent after it, it can answer the next reads.
        return keep(thing).thenCompose(watched -> read(thing)).thenApply(outcome -> documentOf(thing, outcome));
    }

    /** Where this process watches what it keeps: watches {@code thing}; completes once it is watched (or failed). */
    private CompletionStage<?> keep(ThingId thing) {
        Cache<ThingId, Boolean> watched = keptWatched;
        NodeFeed node = keeper;
        if (watched == null || node == null) {
            return CompletableFuture.completedFuture(null);
        }
        watched.asMap().putIfAbsent(thing, Boolean.TRUE);
        return node.hold(KEEPER, thing);
    }

    private static Outcome<ShadowDocument> documentOf(ThingId thing, Outcome<StoredShadow> outcome) {
        if (outcome instanceof Outcome.Ok<StoredShadow> ok) {
            return ok.value().exists() ? Outcome.ok(ok.value().document()) : Outcome.rejected(Rejection.noShadow(thing.value()));
        }
        return Outcome.rejected(((Outcome.Rejected<StoredShadow>) outcome).rejection());
    }

    private CompletionStage<UpdateOutcome> attemptUpdate(ThingId thing, UpdateRequest request,
                                                         @Nullable TokenClaim claim, int attempt) {
        StoredShadow cached = known.getIfPresent(thing);
        CompletionStage<Outcome<StoredShadow>> base = cached != null
                ? CompletableFuture.completedFuture(Outcome.ok(cached))
                : read(thing);
        return base.thenCompose(outcome -> computeAndCommit(thing, request, claim, outcome, cached != null, attempt));
    }

    private CompletionStage<UpdateOutcome> computeAndCommit(ThingId thing, UpdateRequest request,
                                                            @Nullable TokenClaim claim, Outcome<StoredShadow> outcome,
                                                            boolean fromCache, int attempt) {
        if (outcome instanceof Outcome.Rejected<StoredShadow> rejected) {
            return done(new UpdateOutcome.Rejected(rejected.rejection()));
        }
        StoredShadow current = ((Outcome.Ok<StoredShadow>) outcome).value();
        Optional<Rejection> invalid = validate(current.type(), request);
        if (invalid.isPresent()) {
            return rejectUnlessRepeated(thing, current.owner(), request, claim, invalid.get());
        }
        UpdateOutcome result = ShadowAlgebra.apply(current.document(), request, clock.millis(), limits);
        if (result instanceof UpdateOutcome.Rejected rejected) {
            if (fromCache && rejected.rejection().code() == Rejection.VERSION_CONFLICT) {
                // The cached version may be behind another process's commit: decide on fresh state.
                known.invalidate(thing);
                return attemptUpdate(thing, request, claim, attempt);
            }
            return rejectUnlessRepeated(thing, current.owner(), request, claim, rejected.rejection());
        }
        return commit(thing, request, claim, current, (UpdateOutcome.Accepted) result, attempt);
    }

    /**
     * A request refused on the current state may be the repeat of one that was applied (a retry after a timeout, whose
     * expected version has passed since): the clientToken decides first, as in the commit script.
     */
    private CompletionStage<UpdateOutcome> rejectUnlessRepeated(ThingId thing, Owner owner, UpdateRequest request,
                                                                @Nullable TokenClaim claim, Rejection rejection) {
        if (claim == null) {
            return done(new UpdateOutcome.Rejected(rejection));
        }
        return call.run("clientToken read", redis.<String>getBucket(claim.key(), StringCodec.INSTANCE).getAsync(),
                prior -> Outcome.ok(Optional.ofNullable(prior))).thenCompose(answer -> {
            if (answer instanceof Outcome.Rejected<Optional<String>> unknown) {
                // Whether this repeats an applied request is unknown: 503 invites the retry that can tell.
                return done(new UpdateOutcome.Rejected(unknown.rejection()));
            }
            Optional<String> prior = ((Outcome.Ok<Optional<String>>) answer).value();
            return prior.isPresent() ? replay(thing, owner, claim.verdict(prior.get(), request))
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
        long version = accepted.current().version();
        String documents = documentsOf(accepted);
        return feed.routeToWatchers(FeedEventKind.SHADOW_UPDATED, thing, owner, version, documents,
                        accepted.deltaChanged())
                .thenCompose(routed -> feed.appendAfterCommit(FeedEventKind.SHADOW_UPDATED, thing, owner, version,
                        documents, accepted.deltaChanged()))
                .thenApply(appended -> announced(thing, accepted, appended));
    }

    private static String documentsOf(UpdateOutcome.Accepted accepted) {
        return SafeJson.writeString(
                ShadowPayloads.documents(accepted.previous(), accepted.current(), accepted.current().timestamp()));
    }

    private CompletionStage<UpdateOutcome> commit(ThingId thing, UpdateRequest request, @Nullable TokenClaim claim,
                                                  StoredShadow current, UpdateOutcome.Accepted accepted, int attempt) {
        String replayRecord = claim == null ? "" : SafeJson.writeString(replayRecord(accepted));
        Owner owner = current.owner();
        long version = accepted.current().version();
        String documents = documentsOf(accepted);
        List<Object> keys = new ArrayList<>(5);
        keys.add(RedisKeys.shadow(thing));
        keys.add(RedisKeys.thing(thing));
        // Without a token the script never touches KEYS[3]; it is still named, in the thing's slot, to keep KEYS fixed.
        keys.add(claim == null ? RedisKeys.shadow(thing) : claim.key());
        keys.add(RedisKeys.writerLease(thing));
        List<Object> args = new ArrayList<>(24);
        Collections.addAll(args, Long.toString(current.document().version()), current.exists() ? "1" : "0",
                current.type(), SafeJson.writeString(accepted.current().toStoredJson()), Long.toString(version),
                Long.toString(idempotencyWindow.toMillis()), replayRecord, writerId,
                attempt >= LEASE_AFTER_CONFLICTS ? Long.toString(LEASE.toMillis()) : "0", owner.value(),
                claim == null ? "" : claim.fingerprint());
        boolean newDelta = accepted.deltaChanged();
        feed.addRoutedTo(keys, args, thing, owner, version, documents, newDelta);
        long sentAt = System.nanoTime();
        CompletionStage<Outcome<List<Object>>> committed = call.run("shadow update",
                updateScript.runReplicated(keys, replicaAcks, StoreConfig.REPLICA_ACK_TIMEOUT, args.toArray()),
                Outcome::ok);
        return committed.thenCompose(answer -> {
            if (answer instanceof Outcome.Rejected<List<Object>> failed) {
                // A timeout does not mean "not written": drop the cache so the next attempt reads the truth.
                known.invalidate(thing);
                return done(new UpdateOutcome.Rejected(failed.rejection()));
            }
            List<Object> reply = ((Outcome.Ok<List<Object>>) answer).value();
            switch (reply.get(0).toString()) {
                case "ok":
                    remember(thing, new StoredShadow(current.type(), owner, accepted.current(), true, sentAt));
                    List<String> watchers = reply.subList(2, reply.size()).stream().map(Object::toString).toList();
                    return announce(thing, owner, accepted, documents, newDelta, watchers);
                case "claimed": // the requester used this clientToken before: the same request or another
                    known.invalidate(thing);
                    return replay(thing, owner, claim.verdict(reply.get(1).toString(), request));
                case "nothing":
                    known.invalidate(thing);
                    return done(new UpdateOutcome.Rejected(noThing(thing)));
                case "leased": // another process lost too often and has this turn
                    known.invalidate(thing);
                    if (attempt >= MAX_COMMIT_ATTEMPTS) {
                        return done(busy(thing, attempt));
                    }
                    Executor pause = CompletableFuture.delayedExecutor(LEASED_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                    return CompletableFuture.supplyAsync(() -> null, pause)
                            .thenCompose(ignored -> attemptUpdate(thing, request, claim, attempt + 1));
                default: // stale: another writer committed first; the answer carries the fresh state
                    known.invalidate(thing);
                    if (attempt >= MAX_COMMIT_ATTEMPTS) {
                        return done(busy(thing, attempt));
                    }
                    Outcome<StoredShadow> fresh = Outcome.ok(toStored(reply.subList(1, reply.size()), sentAt));
                    return computeAndCommit(thing, request, claim, fresh, false, attempt + 1);
            }
        });
    }

    /**
     * On a Redis Cluster the entries follow the commit, to the partition and to the watching nodes' inboxes
     * (elsewhere the script wrote them, and this is done at once).
     */
    private CompletionStage<UpdateOutcome> announce(ThingId thing, Owner owner, UpdateOutcome.Accepted accepted,
                                                    String documents, boolean newDelta, List<String> watchers) {
        return feed.routeAfterCommit(watchers, thing, owner, accepted.current().version(), documents, newDelta)
                .thenApply(appended -> announced(thing, accepted, appended));
    }

    private static UpdateOutcome announced(ThingId thing, UpdateOutcome.Accepted accepted, Outcome<String> appended) {
        if (appended instanceof Outcome.Rejected<String> failed) {
            log.warn("thing {}: version {} committed but not announced on the change feed: {}",
                    thing, accepted.current().version(), failed.rejection().message());
        }
        return accepted;
    }

    private Optional<Rejection> validate(String type, UpdateRequest request) {
        Optional<ThingModel> model = models.get(type);
        if (model.isEmpty()) {
            return Optional.of(Rejection.internal("thing type '" + type + "' has no thing model on this server"));
        }
        for (Section section : Section.values()) {
            Optional<ObjectNode> patch = request.patch(section);
            if (patch.isPresent()) {
                Optional<Rejection> violation = model.get().check(section, patch.get());
                if (violation.isPresent()) {
                    return violation;
                }
            }
        }
        return Optional.empty();
    }

    private CompletionStage<Outcome<StoredShadow>> read(ThingId thing) {
        long sentAt = System.nanoTime();
        return call.run("shadow read", readScript.run(List.of(RedisKeys.shadow(thing), RedisKeys.thing(thing))), reply -> {
            if (reply.get(0).toString().equals("nothing")) {
                return Outcome.rejected(noThing(thing));
            }
            StoredShadow stored = toStored(reply.subList(1, reply.size()), sentAt);
            remember(thing, stored);
            return Outcome.ok(stored);
        });
    }

    /** Reads {@code type, owner, version, doc or ''} as the scripts answer them. */
    private static StoredShadow toStored(List<Object> fields, long observedAt) {
        String type = fields.get(0).toString();
        Owner owner = Owner.of(fields.get(1).toString());
        long version = Long.parseLong(fields.get(2).toString());
        String doc = fields.get(3).toString();
        return doc.isEmpty()
                ? new StoredShadow(type, owner, ShadowDocument.empty(version), false, observedAt)
                : new StoredShadow(type, owner, ShadowDocument.fromStoredJson(parseStored(doc)), true, observedAt);
    }

    private CompletionStage<Optional<Owner>> ownerOf(ThingId thing, StoredShadow cached) {
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached.owner()));
        }
        return read(thing).thenApply(outcome -> outcome instanceof Outcome.Ok<StoredShadow> ok
                ? Optional.of(ok.value().owner()) : Optional.empty());
    }

    private static ObjectNode replayRecord(UpdateOutcome.Accepted accepted) {
        ObjectNode record = SafeJson.object();
        record.set("previous", accepted.previous().toStoredJson());
        record.set("current", accepted.current().toStoredJson());
        record.set("state", accepted.request().state());
        return record;
    }

    private static UpdateOutcome replayed(String record, UpdateRequest retry) {
        JsonNode stored = parseStored(record);
        ObjectNode state = (ObjectNode) stored.get("state");
        UpdateRequest first = new UpdateRequest(state.path("reported"), state.path("desired"), retry.version(),
                retry.clientToken(), state);
        return new UpdateOutcome.Accepted(ShadowDocument.fromStoredJson(stored.get("previous")),
                ShadowDocument.fromStoredJson(stored.get("current")), first);
    }

    private static JsonNode parseStored(String json) {
        return StoredJson.read(json);
    }

    private static UpdateOutcome busy(ThingId thing, int attempts) {
        log.warn("thing {}: update gave up after {} attempts against concurrent writers", thing, attempts);
        return new UpdateOutcome.Rejected(Rejection.storeUnavailable(
                "store busy: shadow of " + thing + " changed " + attempts + " times while updating, retry"));
    }

    private static Rejection noThing(ThingId thing) {
        return new Rejection(Rejection.NO_SHADOW, "no thing " + thing.value());
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /**
     * A requester's clientToken on one update: the Redis key holding the first result of its request (in the thing's
     * slot) and the request's fingerprint, computed once per update and compared with the stored one.
     */
    private record TokenClaim(String token, String key, String fingerprint) {

        /** The answer to a request whose token already holds {@code stored}: a replay, or 409 for a different request. */
        UpdateOutcome verdict(String stored, UpdateRequest request) {
            if (stored.startsWith(fingerprint)) {
                return replayed(stored.substring(RequestFingerprint.LENGTH), request);
            }
            return new UpdateOutcome.Rejected(Rejection.clientTokenReused(token));
        }
    }

    /**
     * What Redis holds for one thing, as far as updating its shadow is concerned, and when ({@link System#nanoTime()}
     * as the read or commit that learned it was sent).
     */
    private record StoredShadow(String type, Owner owner, ShadowDocument document, boolean exists, long observedAt) {

        /** Orders a thing's states: versions only grow, and deleting keeps the version, so a deletion ranks just after it. */
        static long rank(long version, boolean exists) {
            return version * 2 + (exists ? 0 : 1);
        }

        long rank() {
            return rank(document.version(), exists);
        }
    }
}
