package io.shadowmq.store.registry;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedChange;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedWriter;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.search.SearchIndex;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The thing registry: who exists, of which type, in which household, and the keyed hash of each thing's secret.
 * Listing is by id order with an opaque cursor (the last id of the page), over one of three sorted-set indexes.
 */
public final class ThingRegistry {

    public static final int MAX_PAGE = 1000;
    static final String SECRET_PURPOSE = "thing";

    private final RedissonClient redis;
    private final ThingModels models;
    private final FeedWriter feed;
    private final StoreCall call;
    private final SecretHasher hasher;
    private final Clock clock;
    private final Consumer<ThingId> onDeprovisioned;
    private final LuaScript provisionScript;
    private final LuaScript rotateScript;
    private final LuaScript deprovisionScript;
    private final LuaScript listScript;
    private final SearchIndex index;

    public ThingRegistry(
            @NotNull RedissonClient redis,
            @NotNull ThingModels models,
            @NotNull FeedWriter feed,
            @NotNull StoreCall call,
            @NotNull SecretHasher hasher,
            @NotNull Clock clock,
            @NotNull Consumer<ThingId> onDeprovisioned,
            @NotNull SearchIndex index) {
        this.redis = redis;
        this.models = models;
        this.feed = feed;
        this.call = call;
        this.hasher = hasher;
        this.clock = clock;
        this.onDeprovisioned = onDeprovisioned;
        this.index = index;
        this.provisionScript = LuaScript.load(redis, ProvisionCall.SCRIPT);
        this.rotateScript = LuaScript.load(redis, RotateSecretCall.SCRIPT);
        this.deprovisionScript = LuaScript.load(redis, DeprovisionCall.SCRIPT);
        this.listScript = LuaScript.load(redis, ListThingsCall.SCRIPT);
    }

    /** Creates a thing with a fresh secret: 409 when the id is taken, 422 when the type has no model. */
    public @NotNull CompletionStage<Outcome<ProvisionedThing>> provision(
            @NotNull ThingId thing, @NotNull String type, @NotNull Owner owner) {
        if (models.get(type).isEmpty()) {
            return CompletableFuture.completedFuture(
                    Outcome.rejected(Rejection.modelViolation("type: unknown thing type '" + ThingId.printable(type)
                            + "', known: " + String.join(", ", models.types()))));
        }
        String secret = hasher.newSecret();
        long createdAt = clock.millis();
        ThingRecord record = new ThingRecord(thing, type, owner, createdAt);
        ProvisionCall provision = new ProvisionCall(
                thing, type, owner.value(), createdAt, hasher.hash(SECRET_PURPOSE, thing.value(), secret));
        return call.run("provision", provisionScript.call(provision), Outcome::ok)
                .thenCompose(created -> {
                    if (created instanceof Outcome.Rejected<Boolean> failed) {
                        return done(Outcome.<ProvisionedThing>rejected(failed.rejection()));
                    }
                    if (!((Outcome.Ok<Boolean>) created).value()) {
                        return done(
                                Outcome.<ProvisionedThing>rejected(new Rejection(409, "thing " + thing + " exists")));
                    }
                    // The indexes live in other cluster slots, so they are written after the thing itself; a lost
                    // index write only hides the thing from listings, never from its owner or devices.
                    // Version 0: a shadow update of the thing that overtook this call has indexed it already.
                    CompletableFuture<?>[] indexed = indexes(record).stream()
                            .map(key -> redis.getScoredSortedSet(key, StringCodec.INSTANCE)
                                    .addAsync(0, thing.value())
                                    .toCompletableFuture())
                            .toArray(CompletableFuture[]::new);
                    // In the search index at version 0: a shadow update that overtook this call indexed it already.
                    CompletionStage<Outcome<Boolean>> searchable =
                            index.apply(thing, 0, index.entries(type, owner, null));
                    return call.run(
                                    "index thing",
                                    CompletableFuture.allOf(indexed),
                                    ignored -> Outcome.ok(new ProvisionedThing(record, secret)))
                            .thenCombine(searchable, (listed, searched) -> listed);
                });
    }

    /** The thing, or 404. */
    public @NotNull CompletionStage<Outcome<ThingRecord>> find(@NotNull ThingId thing) {
        return call.run(
                "find thing",
                redis.<String, String>getMap(RedisKeys.thing(thing), StringCodec.INSTANCE)
                        .readAllMapAsync(),
                fields -> fields.isEmpty() ? Outcome.rejected(noThing(thing)) : Outcome.ok(toRecord(thing, fields)));
    }

    /**
     * Checks a thing's secret. Unknown thing and wrong secret answer the same 403 (an attacker learns nothing about
     * which ids exist); Redis trouble answers 503 so the caller can fail closed.
     */
    public @NotNull CompletionStage<Outcome<ThingRecord>> verifySecret(@NotNull ThingId thing, @NotNull String secret) {
        return call.run(
                "verify secret",
                redis.<String, String>getMap(RedisKeys.thing(thing), StringCodec.INSTANCE)
                        .readAllMapAsync(),
                fields -> {
                    String stored = fields.get("secretHash");
                    if (stored == null || !hasher.matches(SECRET_PURPOSE, thing.value(), secret, stored)) {
                        return Outcome.rejected(Rejection.notAllowed("bad credentials for " + thing));
                    }
                    return Outcome.ok(toRecord(thing, fields));
                });
    }

    /** Replaces the secret; the old one stops working at once and brokers disconnect the thing (change feed). */
    public @NotNull CompletionStage<Outcome<ProvisionedThing>> rotateSecret(@NotNull ThingId thing) {
        String secret = hasher.newSecret();
        return call.run(
                        "rotate secret",
                        rotateScript.call(
                                new RotateSecretCall(thing, hasher.hash(SECRET_PURPOSE, thing.value(), secret))),
                        Outcome::ok)
                .thenCompose(rotated -> {
                    if (rotated instanceof Outcome.Rejected<Optional<Owner>> failed) {
                        return done(Outcome.<ProvisionedThing>rejected(failed.rejection()));
                    }
                    Optional<Owner> ownerOfThing = ((Outcome.Ok<Optional<Owner>>) rotated).value();
                    if (ownerOfThing.isEmpty()) {
                        return done(Outcome.<ProvisionedThing>rejected(noThing(thing)));
                    }
                    Owner owner = ownerOfThing.get();
                    return feed.append(FeedChange.of(FeedEventKind.SECRET_ROTATED, thing, owner, 0, timestamped()))
                            .thenCompose(appended -> find(thing))
                            .thenApply(found -> found.map(record -> new ProvisionedThing(record, secret)));
                });
    }

    /** Removes the thing, its shadow document and presence; brokers disconnect it (change feed). 404 if unknown. */
    public @NotNull CompletionStage<Outcome<ThingRecord>> deprovision(@NotNull ThingId thing) {
        return call.run("deprovision", deprovisionScript.call(new DeprovisionCall(thing)), Outcome::ok)
                .thenCompose(deleted -> {
                    if (deleted instanceof Outcome.Rejected<Optional<ThingRecord>> failed) {
                        return done(Outcome.<ThingRecord>rejected(failed.rejection()));
                    }
                    Optional<ThingRecord> removed = ((Outcome.Ok<Optional<ThingRecord>>) deleted).value();
                    if (removed.isEmpty()) {
                        return done(Outcome.<ThingRecord>rejected(noThing(thing)));
                    }
                    onDeprovisioned.accept(thing);
                    ThingRecord record = removed.get();
                    CompletableFuture<?>[] unindexed = indexes(record).stream()
                            .map(key -> redis.getScoredSortedSet(key, StringCodec.INSTANCE)
                                    .removeAsync(thing.value())
                                    .toCompletableFuture())
                            .toArray(CompletableFuture[]::new);
                    CompletionStage<Outcome<Boolean>> unsearchable = index.remove(thing);
                    return call.run("unindex thing", CompletableFuture.allOf(unindexed), ignored -> Outcome.ok(record))
                            .thenCombine(unsearchable, (unlisted, unsearched) -> unlisted)
                            .thenCompose(unindexedOutcome -> feed.append(FeedChange.of(
                                            FeedEventKind.THING_DELETED, thing, record.owner(), 0, timestamped()))
                                    .thenApply(appended -> unindexedOutcome));
                });
    }

    /**
     * The ids of up to {@code count} provisioned things after {@code after} (null: from the first), in id order, from
     * the index alone: no thing record is read (the search index's catch-up compares them with what it holds).
     */
    public @NotNull CompletionStage<Outcome<List<String>>> ids(@Nullable String after, int count) {
        return call.run(
                "list thing ids",
                listScript.call(new ListThingsCall(RedisKeys.allThings(), after == null ? "" : after, count)),
                Outcome::ok);
    }

    /**
     * A page of things, optionally of one owner and/or type, in id order after {@code cursor}. An invalid cursor or
     * limit is 400.
     */
    public @NotNull CompletionStage<Outcome<ThingPage>> list(
            @Nullable Owner owner, @Nullable String type, int limit, @Nullable String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            return done(Outcome.rejected(Rejection.malformed("limit: must be 1.." + MAX_PAGE + ", was " + limit)));
        }
        if (cursor != null && !ThingId.isValid(cursor)) {
            return done(Outcome.rejected(Rejection.malformed("cursor: not a cursor this service issued")));
        }
        if (type != null && !ThingId.isValid(type)) {
            return done(Outcome.rejected(Rejection.malformed("type: invalid type '" + ThingId.printable(type) + "'")));
        }
        String index = owner != null
                ? RedisKeys.thingsOfOwner(owner)
                : type != null ? RedisKeys.thingsOfType(type) : RedisKeys.allThings();
        boolean filterByType = owner != null && type != null;
        return collect(index, filterByType ? type : null, limit, cursor, new ArrayList<>());
    }

    private CompletionStage<Outcome<ThingPage>> collect(
            String index, @Nullable String type, int limit, @Nullable String cursor, List<ThingRecord> found) {
        int batch = Math.max(limit + 1, 50);
        return call.run(
                        "list things",
                        listScript.call(new ListThingsCall(index, cursor == null ? "" : cursor, batch)),
                        Outcome::ok)
                .thenCompose(page -> {
                    if (page instanceof Outcome.Rejected<List<String>> failed) {
                        return done(Outcome.<ThingPage>rejected(failed.rejection()));
                    }
                    List<String> ids = ((Outcome.Ok<List<String>>) page).value();
                    List<CompletableFuture<Outcome<ThingRecord>>> lookups = ids.stream()
                            .map(id -> find(ThingId.of(id)).toCompletableFuture())
                            .toList();
                    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                            .thenCompose(all -> {
                                for (CompletableFuture<Outcome<ThingRecord>> lookup : lookups) {
                                    Outcome<ThingRecord> record = lookup.join(); // complete: allOf has finished
                                    if (record instanceof Outcome.Rejected<ThingRecord> failed) {
                                        if (failed.rejection().code() != Rejection.NO_SHADOW) {
                                            return done(Outcome.<ThingPage>rejected(failed.rejection()));
                                        }
                                        continue; // deprovisioned between the index read and the lookup
                                    }
                                    ThingRecord thing = ((Outcome.Ok<ThingRecord>) record).value();
                                    if (type != null && !thing.type().equals(type)) {
                                        continue;
                                    }
                                    if (found.size() == limit) {
                                        return done(Outcome.ok(new ThingPage(
                                                found,
                                                found.get(limit - 1).thingId().value())));
                                    }
                                    found.add(thing);
                                }
                                if (ids.size() < batch) {
                                    return done(Outcome.ok(new ThingPage(found, null)));
                                }
                                return collect(
                                        index,
                                        type,
                                        limit,
                                        ids.get(ids.size() - 1).toString(),
                                        found);
                            });
                });
    }

    private static List<String> indexes(ThingRecord record) {
        return List.of(
                RedisKeys.allThings(), RedisKeys.thingsOfOwner(record.owner()), RedisKeys.thingsOfType(record.type()));
    }

    private com.fasterxml.jackson.databind.node.ObjectNode timestamped() {
        return SafeJson.object().put("timestamp", clock.millis());
    }

    private static ThingRecord toRecord(ThingId thing, Map<String, String> fields) {
        return new ThingRecord(
                thing,
                fields.get("type"),
                Owner.of(fields.get("owner")),
                Long.parseLong(fields.getOrDefault("createdAt", "0")));
    }

    private static Rejection noThing(ThingId thing) {
        return new Rejection(Rejection.NO_SHADOW, "no thing " + thing.value());
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
