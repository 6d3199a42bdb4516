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
import io.shadowmq.model.shadow.ShadowAlgebra;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.ChangeFeed;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.redis.StoredJson;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;
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

/**
 * Reads, updates and deletes shadow documents — the one place that does, for the extension and the REST service.
 *
 * <p>An update is: validate against the thing model, merge with {@link ShadowAlgebra} (the rules exist once, in
 * Java), then commit with a compare-and-set script that checks nobody changed the shadow meanwhile. A conflict
 * (another process won) re-reads and recomputes, so two writers never lose an update. The last committed document
 * of each thing is kept in a Caffeine cache, so the common update costs one Redis round trip; reads always go to
 * Redis. Requests of one thing run one after another in this process ({@link KeyedSequencer}), in the order they
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
    private final Cache<ThingId, StoredShadow> lastCommitted = Caffeine.newBuilder()
            .maximumSize(CACHED_SHADOWS).expireAfterAccess(CACHE_IDLE_EXPIRY).build();

    public ShadowRepository(@NotNull RedissonClient redis, @NotNull ThingModels models, @NotNull ChangeFeed feed,
                            @NotNull StoreCall call, @NotNull ShadowLimits limits, @NotNull Duration idempotencyWindow,
                            @NotNull Clock clock) {
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
     * Applies an update: accepted (with the previous and current documents) or rejected with the contract's code
     * (404 unknown thing, 409 version, 413 state size, 422 model, 503 Redis, 500 bug). Never completes exceptionally.
     */
    public @NotNull CompletionStage<UpdateOutcome> update(@NotNull ThingId thing, @NotNull UpdateRequest request) {
        return sequencer.submit(thing, () -> attemptUpdate(thing, request, 1));
    }

    /** The current document, or 404 when the thing is unknown or has no shadow. */
    public @NotNull CompletionStage<Outcome<ShadowDocument>> get(@NotNull ThingId thing) {
        return sequencer.submit(thing, () -> read(thing).thenApply(outcome -> {
            if (outcome instanceof Outcome.Ok<StoredShadow> ok) {
                return ok.value().exists() ? Outcome.ok(ok.value().document()) : Outcome.rejected(Rejection.noShadow(thing.value()));
            }
            return Outcome.rejected(((Outcome.Rejected<StoredShadow>) outcome).rejection());
        }));
    }

    /** Deletes the document; the answer is the deleted shadow's version (the next update continues after it). */
    public @NotNull CompletionStage<Outcome<Long>> delete(@NotNull ThingId thing) {
        return sequencer.submit(thing, () -> call.run("shadow delete",
                deleteScript.run(List.of(RedisKeys.shadow(thing), RedisKeys.thing(thing))),
                Outcome::ok).thenCompose(answer -> {
            if (answer instanceof Outcome.Rejected<List<Object>> failed) {
                lastCommitted.invalidate(thing);
                return CompletableFuture.completedFuture(Outcome.<Long>rejected(failed.rejection()));
            }
            List<Object> reply = ((Outcome.Ok<List<Object>>) answer).value();
            String status = reply.get(0).toString();
            if (status.equals("nothing")) {
                lastCommitted.invalidate(thing);
                return CompletableFuture.completedFuture(Outcome.<Long>rejected(Rejection.noShadow(thing.value())));
            }
            if (status.equals("absent")) {
                return CompletableFuture.completedFuture(Outcome.<Long>rejected(Rejection.noShadow(thing.value())));
            }
            long version = Long.parseLong(reply.get(1).toString());
            StoredShadow before = lastCommitted.getIfPresent(thing);
            lastCommitted.invalidate(thing);
            long now = clock.millis();
            ObjectNode body = ShadowPayloads.deleteAccepted(version, now, null);
            return ownerOf(thing, before).thenCompose(owner -> owner
                    .map(o -> feed.append(FeedEventKind.SHADOW_DELETED, thing, o, version, body))
                    .orElseGet(() -> CompletableFuture.completedFuture(Outcome.ok("")))
                    .thenApply(appended -> Outcome.ok(version)));
        }));
    }

    /** Forgets what this process remembers of a thing (after it was deprovisioned elsewhere). */
    public void forget(@NotNull ThingId thing) {
        lastCommitted.invalidate(thing);
    }

    private CompletionStage<UpdateOutcome> attemptUpdate(ThingId thing, UpdateRequest request, int attempt) {
        StoredShadow cached = lastCommitted.getIfPresent(thing);
        CompletionStage<Outcome<StoredShadow>> base = cached != null
                ? CompletableFuture.completedFuture(Outcome.ok(cached))
                : read(thing);
        return base.thenCompose(outcome -> computeAndCommit(thing, request, outcome, cached != null, attempt));
    }

    private CompletionStage<UpdateOutcome> computeAndCommit(ThingId thing, UpdateRequest request,
                                                            Outcome<StoredShadow> outcome, boolean fromCache, int attempt) {
        if (outcome instanceof Outcome.Rejected<StoredShadow> rejected) {
            return done(new UpdateOutcome.Rejected(rejected.rejection()));
        }
        StoredShadow current = ((Outcome.Ok<StoredShadow>) outcome).value();
        Optional<Rejection> invalid = validate(current.type(), request);
        if (invalid.isPresent()) {
            return done(new UpdateOutcome.Rejected(invalid.get()));
        }
        UpdateOutcome result = ShadowAlgebra.apply(current.document(), request, clock.millis(), limits);
        if (result instanceof UpdateOutcome.Rejected rejected) {
            if (fromCache && rejected.rejection().code() == Rejection.VERSION_CONFLICT) {
                // The cached version may be behind another process's commit: decide on fresh state.
                lastCommitted.invalidate(thing);
                return attemptUpdate(thing, request, attempt);
            }
            return done(result);
        }
        return commit(thing, request, current, (UpdateOutcome.Accepted) result, attempt);
    }

    private CompletionStage<UpdateOutcome> commit(ThingId thing, UpdateRequest request, StoredShadow current,
                                                  UpdateOutcome.Accepted accepted, int attempt) {
        String token = request.clientToken();
        String replayRecord = token == null ? "" : SafeJson.writeString(replayRecord(accepted));
        List<Object> keys = List.of(RedisKeys.shadow(thing), RedisKeys.thing(thing),
                RedisKeys.clientToken(thing, token == null ? "-" : token), RedisKeys.writerLease(thing));
        CompletionStage<Outcome<List<Object>>> committed = call.run("shadow update", updateScript.run(keys,
                Long.toString(current.document().version()), current.exists() ? "1" : "0", current.type(),
                SafeJson.writeString(accepted.current().toStoredJson()), Long.toString(accepted.current().version()),
                Long.toString(idempotencyWindow.toMillis()), replayRecord, writerId,
                attempt >= LEASE_AFTER_CONFLICTS ? Long.toString(LEASE.toMillis()) : "0"), Outcome::ok);
        return committed.thenCompose(answer -> {
            if (answer instanceof Outcome.Rejected<List<Object>> failed) {
                // A timeout does not mean "not written": drop the cache so the next attempt reads the truth.
                lastCommitted.invalidate(thing);
                return done(new UpdateOutcome.Rejected(failed.rejection()));
            }
            List<Object> reply = ((Outcome.Ok<List<Object>>) answer).value();
            switch (reply.get(0).toString()) {
                case "ok":
                    lastCommitted.put(thing, new StoredShadow(current.type(), current.owner(), accepted.current(), true));
                    return publish(thing, current.owner(), accepted);
                case "replay":
                    lastCommitted.invalidate(thing);
                    return done(replayed(reply.get(1).toString(), request));
                case "nothing":
                    lastCommitted.invalidate(thing);
                    return done(new UpdateOutcome.Rejected(noThing(thing)));
                case "leased": // another process lost too often and has this turn
                    lastCommitted.invalidate(thing);
                    if (attempt >= MAX_COMMIT_ATTEMPTS) {
                        return done(busy(thing, attempt));
                    }
                    Executor pause = CompletableFuture.delayedExecutor(LEASED_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                    return CompletableFuture.supplyAsync(() -> null, pause)
                            .thenCompose(ignored -> attemptUpdate(thing, request, attempt + 1));
                default: // stale: another writer committed first; the answer carries the fresh state
                    lastCommitted.invalidate(thing);
                    if (attempt >= MAX_COMMIT_ATTEMPTS) {
                        return done(busy(thing, attempt));
                    }
                    Outcome<StoredShadow> fresh = Outcome.ok(toStored(reply.subList(1, reply.size())));
                    return computeAndCommit(thing, request, fresh, false, attempt + 1);
            }
        });
    }

    private CompletionStage<UpdateOutcome> publish(ThingId thing, Owner owner, UpdateOutcome.Accepted accepted) {
        ObjectNode documents = ShadowPayloads.documents(accepted.previous(), accepted.current(), accepted.current().timestamp());
        return feed.append(FeedEventKind.SHADOW_UPDATED, thing, owner, accepted.current().version(), documents)
                .thenApply(appended -> {
                    if (appended instanceof Outcome.Rejected<String> failed) {
                        log.warn("thing {}: version {} committed but not announced on the change feed: {}",
                                thing, accepted.current().version(), failed.rejection().message());
                    }
                    return accepted;
                });
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
        return call.run("shadow read", readScript.run(List.of(RedisKeys.shadow(thing), RedisKeys.thing(thing))), reply ->
                reply.get(0).toString().equals("nothing")
                        ? Outcome.rejected(noThing(thing))
                        : Outcome.ok(toStored(reply.subList(1, reply.size()))));
    }

    /** Reads {@code type, owner, version, doc or ''} as the scripts answer them. */
    private static StoredShadow toStored(List<Object> fields) {
        String type = fields.get(0).toString();
        Owner owner = Owner.of(fields.get(1).toString());
        long version = Long.parseLong(fields.get(2).toString());
        String doc = fields.get(3).toString();
        return doc.isEmpty()
                ? new StoredShadow(type, owner, ShadowDocument.empty(version), false)
                : new StoredShadow(type, owner, ShadowDocument.fromStoredJson(parseStored(doc)), true);
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

    /** What Redis holds for one thing, as far as updating its shadow is concerned. */
    private record StoredShadow(String type, Owner owner, ShadowDocument document, boolean exists) {
    }
}
