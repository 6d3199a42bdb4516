package io.shadowmq.store.grant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.access.Grant;
import io.shadowmq.model.access.GrantJson;
import io.shadowmq.model.access.GrantRequest;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.feed.FeedChange;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedWriter;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.redis.StoredJson;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RMapAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@link GrantStore} on Redis: one hash per household ({@link RedisKeys#grants}, field = grant id, value =
 * {@link GrantJson}), so a household's grants share one Cluster slot. Creating checks the household's count in the
 * same script that adds the grant ({@code grant-create.lua}). Every create and revoke appends a
 * {@link FeedEventKind#GRANTS} entry, which reaches every node; this process forgets its cached grants of the
 * household at once, before answering.
 *
 * <p>The entry's thing (a feed entry is about one thing): the grant's concrete target ({@code car-1}), else its
 * concrete grantee, else — a grant from a type to a type — the grant id itself, which is shaped as a thing id. The
 * body: {@code {"grantId","change":"created"|"revoked","grantee","target","timestamp"}}.
 */
public final class RedisGrantStore implements GrantStore {

    private static final Logger log = LoggerFactory.getLogger(RedisGrantStore.class);

    /** A grant id: {@code g-} and base62; also a valid thing id (the feed convention above relies on it). */
    static final Pattern ID = Pattern.compile("^g-[A-Za-z0-9]{1,32}$");

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int ID_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedissonClient redis;
    private final ThingRegistry things;
    private final FeedWriter feed;
    private final StoreCall call;
    private final Clock clock;
    private final AuditLog audit;
    private final Consumer<Owner> onChanged;
    private final LuaScript createScript;

    /**
     * @param onChanged called with the household once one of its grants was created or revoked (this process's
     *                  {@link HouseholdGuard#forget}, before the feed brings it)
     */
    public RedisGrantStore(
            @NotNull RedissonClient redis,
            @NotNull ThingRegistry things,
            @NotNull FeedWriter feed,
            @NotNull StoreCall call,
            @NotNull Clock clock,
            @NotNull AuditLog audit,
            @NotNull Consumer<Owner> onChanged) {
        this.redis = redis;
        this.things = things;
        this.feed = feed;
        this.call = call;
        this.clock = clock;
        this.audit = audit;
        this.onChanged = onChanged;
        this.createScript = LuaScript.load(redis, GrantCalls.Create.SCRIPT);
    }

    @Override
    public @NotNull CompletionStage<Outcome<Grant>> create(
            @NotNull Owner owner, @NotNull GrantRequest request, @NotNull Requester requester) {
        return ofHousehold(owner, request.grantee())
                .thenCompose(grantee -> grantee.isOk() ? ofHousehold(owner, request.target()) : done(grantee))
                .thenCompose(checked -> {
                    if (checked instanceof Outcome.Rejected<Boolean> no) {
                        return done(Outcome.<Grant>rejected(no.rejection()));
                    }
                    Grant grant = request.toGrant(newId(), owner, clock.millis(), requester.name());
                    return add(grant, true);
                })
                .thenCompose(created ->
                        created.isOk() ? announce(created.orElseThrow(), "created", requester) : done(created));
    }

    private CompletionStage<Outcome<Grant>> add(Grant grant, boolean mayDrawAgain) {
        GrantCalls.Create create = new GrantCalls.Create(
                RedisKeys.grants(grant.owner()),
                grant.id(),
                SafeJson.writeString(GrantJson.write(grant)),
                MAX_GRANTS,
                clock.millis());
        return call.run("grant create", createScript.call(create), Outcome::ok).thenCompose(answer -> {
            if (answer instanceof Outcome.Rejected<String> no) {
                return done(Outcome.<Grant>rejected(no.rejection()));
            }
            return switch (answer.orElseThrow()) {
                case "created" -> done(Outcome.ok(grant));
                case "full" ->
                    done(Outcome.<Grant>rejected(new Rejection(
                            Rejection.VERSION_CONFLICT,
                            "household " + grant.owner().value() + " has " + MAX_GRANTS
                                    + " grants, the most it may have: revoke one first")));
                default ->
                    mayDrawAgain
                            ? add(withId(grant, newId()), false)
                            : done(Outcome.<Grant>rejected(Rejection.internal("internal error in grant create")));
            };
        });
    }

    @Override
    public @NotNull CompletionStage<Outcome<List<Grant>>> list(@NotNull Owner owner) {
        long now = clock.millis();
        return stored(owner)
                .thenApply(all -> all.map(grants -> {
                    List<String> expired = grants.stream()
                            .filter(grant -> !grant.activeAt(now))
                            .map(Grant::id)
                            .toList();
                    if (!expired.isEmpty()) {
                        Futures.logFailure(
                                redis.<String, String>getMap(RedisKeys.grants(owner), StringCodec.INSTANCE)
                                        .fastRemoveAsync(expired.toArray(String[]::new)),
                                log,
                                "dropping expired grants of " + owner.value());
                    }
                    return grants.stream().filter(grant -> grant.activeAt(now)).toList();
                }));
    }

    /**
     * Every grant the household holds, expired ones included, oldest first: what {@link CachedHouseholdGuard} caches
     * (it honours {@code expiresAt} when it evaluates).
     */
    @NotNull
    CompletionStage<Outcome<List<Grant>>> stored(@NotNull Owner owner) {
        return call.run(
                "grant list",
                redis.<String, String>getMap(RedisKeys.grants(owner), StringCodec.INSTANCE)
                        .readAllMapAsync(),
                fields -> {
                    List<Grant> grants = new ArrayList<>();
                    for (Map.Entry<String, String> field : fields.entrySet()) {
                        Grant grant = parse(owner, field.getKey(), field.getValue());
                        if (grant != null) {
                            grants.add(grant);
                        }
                    }
                    grants.sort(Comparator.comparingLong(Grant::createdAt).thenComparing(Grant::id));
                    return Outcome.ok(List.copyOf(grants));
                });
    }

    @Override
    public @NotNull CompletionStage<Outcome<Grant>> find(@NotNull Owner owner, @NotNull String id) {
        return one(owner, id, "grant find", grants -> grants.getAsync(id));
    }

    @Override
    public @NotNull CompletionStage<Outcome<Grant>> revoke(
            @NotNull Owner owner, @NotNull String id, @NotNull Requester requester) {
        // An expired grant is removed as well, and answered as one that is not there.
        return one(owner, id, "grant revoke", grants -> grants.removeAsync(id))
                .thenCompose(revoked ->
                        revoked.isOk() ? announce(revoked.orElseThrow(), "revoked", requester) : done(revoked));
    }

    /** One grant read (or taken) by {@code command}: 404 when there is none by that id, or it has expired. */
    private CompletionStage<Outcome<Grant>> one(
            Owner owner, String id, String what, Function<RMapAsync<String, String>, CompletionStage<String>> command) {
        if (!ID.matcher(id).matches()) {
            return done(Outcome.rejected(noGrant(id)));
        }
        long now = clock.millis();
        return call.run(
                what,
                command.apply(redis.<String, String>getMap(RedisKeys.grants(owner), StringCodec.INSTANCE)),
                json -> {
                    Grant grant = json == null ? null : parse(owner, id, json);
                    return grant == null || !grant.activeAt(now) ? Outcome.rejected(noGrant(id)) : Outcome.ok(grant);
                });
    }

    /**
     * Forgets the household's grants here, records the change in its audit trail and announces it on the feed. The
     * grant is committed: a failed announcement is logged, not answered (other nodes' caches expire within
     * {@link CachedHouseholdGuard#GRANTS_CACHED_FOR} anyway).
     */
    private CompletionStage<Outcome<Grant>> announce(Grant grant, String change, Requester requester) {
        onChanged.accept(grant.owner());
        long now = clock.millis();
        audit.record(new AuditEntry(
                "",
                now,
                grant.owner(),
                requester.value(),
                grant.id(),
                change.equals("created") ? "grant" : "revoke",
                List.of(),
                200));
        ObjectNode body = SafeJson.object()
                .put("grantId", grant.id())
                .put("change", change)
                .put("grantee", grant.grantee())
                .put("target", grant.target())
                .put("timestamp", now);
        return feed.append(FeedChange.of(FeedEventKind.GRANTS, feedThing(grant), grant.owner(), 0, body))
                .thenApply(appended -> {
                    if (appended instanceof Outcome.Rejected<String> no) {
                        log.warn(
                                "grant {} of {} {}, but announcing it failed ({}): other nodes notice within {} s",
                                grant.id(),
                                grant.owner().value(),
                                change,
                                no.rejection().message(),
                                CachedHouseholdGuard.GRANTS_CACHED_FOR.toSeconds());
                    }
                    return Outcome.ok(grant);
                });
    }

    /** The thing a grant's feed entry names: its concrete target, else its concrete grantee, else the grant id. */
    static @NotNull ThingId feedThing(@NotNull Grant grant) {
        if (!grant.target().startsWith(Grant.TYPE_PREFIX)) {
            return ThingId.of(grant.target());
        }
        if (!grant.grantee().startsWith(Grant.TYPE_PREFIX)) {
            return ThingId.of(grant.grantee());
        }
        return ThingId.of(grant.id());
    }

    /** Ok when {@code who} is a type, or a thing of {@code owner}; 404 {@code no thing X} otherwise. */
    private CompletionStage<Outcome<Boolean>> ofHousehold(Owner owner, String who) {
        if (who.startsWith(Grant.TYPE_PREFIX)) {
            return done(Outcome.ok(true));
        }
        if (!ThingId.isValid(who)) {
            return done(Outcome.rejected(noThing(who)));
        }
        return things.find(ThingId.of(who)).thenApply(found -> {
            if (found instanceof Outcome.Rejected<ThingRecord> no) {
                return Outcome.rejected(no.rejection());
            }
            return found.orElseThrow().owner().equals(owner) ? Outcome.ok(true) : Outcome.rejected(noThing(who));
        });
    }

    private static @Nullable Grant parse(Owner owner, String id, String json) {
        try {
            Grant grant = GrantJson.read(StoredJson.read(json));
            if (!grant.id().equals(id) || !grant.owner().equals(owner)) {
                log.warn("grant {} of {}: stored under another id or household, ignored", id, owner.value());
                return null;
            }
            return grant;
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.warn("grant {} of {}: stored form unreadable ({})", id, owner.value(), e.getMessage());
            return null;
        }
    }

    private static Grant withId(Grant grant, String id) {
        return new Grant(
                id,
                grant.owner(),
                grant.grantee(),
                grant.target(),
                grant.read(),
                grant.write(),
                grant.invoke(),
                grant.expiresAt(),
                grant.createdAt(),
                grant.createdBy());
    }

    static @NotNull String newId() {
        StringBuilder id = new StringBuilder("g-");
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return id.toString();
    }

    private static Rejection noGrant(String id) {
        return new Rejection(Rejection.NO_SHADOW, "no grant " + ThingId.printable(id));
    }

    private static Rejection noThing(String who) {
        return new Rejection(Rejection.NO_SHADOW, "no thing " + ThingId.printable(who));
    }

    private static <T> CompletionStage<Outcome<T>> done(Outcome<T> outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
