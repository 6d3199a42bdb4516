package io.shadowmq.store.search;

import io.shadowmq.model.search.SearchSchema;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.registry.ThingRegistry;
import io.shadowmq.store.shadow.ShadowRepository;
import io.shadowmq.store.shadow.ThingShadow;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The search index in Redis: for every thing, its type, owner and searchable shadow values (what
 * {@link SearchSchema#indexEntries} gives), in sorted sets under one hash tag ({@link RedisKeys#SEARCH_INDEX_PREFIX}),
 * so a search is one script on one server, on a Redis Cluster too.
 *
 * <p>It is kept by the write path: on standalone and Sentinel Redis an update's commit script indexes the new document
 * in the same step ({@code update.lua} with {@code search-index.lua}), so an accepted update is searchable at once;
 * on a Redis Cluster, where the index is in another slot than the thing, the committer indexes right after the commit
 * ({@link #apply}), with the version, so that two writers' calls arriving out of order leave the newer one.
 * Provisioning, shadow deletes and deprovisioning index through {@link #apply} and {@link #remove} everywhere.
 */
public final class SearchIndex {

    /** The library the commit scripts that index load before themselves. */
    public static final String SCRIPT_LIBRARY = "search-index";

    private final RedissonClient redis;
    private final SearchSchema schema;
    private final StoreCall call;
    private final LuaScript applyScript;
    private final LuaScript searchScript;

    public SearchIndex(@NotNull RedissonClient redis, @NotNull SearchSchema schema, @NotNull StoreCall call) {
        this.redis = redis;
        this.schema = schema;
        this.call = call;
        this.applyScript = LuaScript.load(redis, IndexApplyCall.SCRIPT, SCRIPT_LIBRARY);
        this.searchScript = LuaScript.load(redis, SearchCall.SCRIPT);
    }

    /** Which values the models make searchable. */
    public @NotNull SearchSchema schema() {
        return schema;
    }

    /** The entries of a thing as the index keeps them ({@code document} null: no shadow). */
    public @NotNull String entries(@NotNull String type, @NotNull Owner owner, @Nullable ShadowDocument document) {
        return schema.indexEntriesJson(type, owner.value(), document);
    }

    /**
     * Makes the index hold {@code entries} for the thing at {@code version}; answers false when it already held a
     * newer version (nothing written).
     */
    public @NotNull CompletionStage<Outcome<Boolean>> apply(
            @NotNull ThingId thing, long version, @NotNull String entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("index entries of " + thing + " are empty; remove() takes a thing out");
        }
        return call.run("search index", applyScript.call(new IndexApplyCall(thing, version, entries)), Outcome::ok);
    }

    /** Takes the thing out of the index (deprovisioned). */
    public @NotNull CompletionStage<Outcome<Boolean>> remove(@NotNull ThingId thing) {
        return call.run("search unindex", applyScript.call(new IndexApplyCall(thing, 0, "")), Outcome::ok);
    }

    /** How many things the index holds. */
    public @NotNull CompletionStage<Outcome<Integer>> size() {
        return call.run(
                "search index size",
                redis.getScoredSortedSet(RedisKeys.searchIds(), StringCodec.INSTANCE)
                        .sizeAsync(),
                Outcome::ok);
    }

    /**
     * Indexes every provisioned thing the index does not hold (things from before the index existed, or whose index
     * write was lost with a Redis Cluster node): reads each one's shadow and indexes it at its version, which is safe
     * alongside updates. Answers how many it indexed. The service runs it once at start, in the background.
     */
    public @NotNull CompletionStage<Outcome<Integer>> catchUp(
            @NotNull ThingRegistry things, @NotNull ShadowRepository shadows) {
        return catchUp(things, shadows, null, 0);
    }

    private CompletionStage<Outcome<Integer>> catchUp(
            ThingRegistry things, ShadowRepository shadows, @Nullable String cursor, int indexed) {
        return things.ids(cursor, ThingRegistry.MAX_PAGE).thenCompose(listed -> {
            if (listed instanceof Outcome.Rejected<List<String>> failed) {
                return done(Outcome.<Integer>rejected(failed.rejection()));
            }
            List<String> ids = ((Outcome.Ok<List<String>>) listed).value();
            if (ids.isEmpty()) {
                return done(Outcome.ok(indexed));
            }
            return call.run(
                            "search index check",
                            redis.<String>getScoredSortedSet(RedisKeys.searchIds(), StringCodec.INSTANCE)
                                    .getScoreAsync(ids),
                            Outcome::ok)
                    .thenCompose(scores -> {
                        if (scores instanceof Outcome.Rejected<List<Double>> failed) {
                            return done(Outcome.<Integer>rejected(failed.rejection()));
                        }
                        List<Double> held = ((Outcome.Ok<List<Double>>) scores).value();
                        List<CompletableFuture<Boolean>> missing = new ArrayList<>();
                        for (int i = 0; i < ids.size(); i++) {
                            if (held.get(i) == null) {
                                missing.add(indexNow(shadows, ThingId.of(ids.get(i)))
                                        .toCompletableFuture());
                            }
                        }
                        return CompletableFuture.allOf(missing.toArray(CompletableFuture[]::new))
                                .thenCompose(all -> {
                                    int now = indexed
                                            + (int) missing.stream()
                                                    .filter(CompletableFuture::join)
                                                    .count();
                                    return ids.size() < ThingRegistry.MAX_PAGE
                                            ? done(Outcome.ok(now))
                                            : catchUp(things, shadows, ids.get(ids.size() - 1), now);
                                });
                    });
        });
    }

    private CompletionStage<Boolean> indexNow(ShadowRepository shadows, ThingId thing) {
        return shadows.readThing(thing).thenCompose(read -> {
            if (!(read instanceof Outcome.Ok<Optional<ThingShadow>> ok)
                    || ok.value().isEmpty()) {
                return done(false);
            }
            ThingShadow shadow = ok.value().get();
            long version = shadow.document() == null ? 0 : shadow.document().version();
            return apply(thing, version, entries(shadow.type(), shadow.owner(), shadow.document()))
                    .thenApply(Outcome::isOk);
        });
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** One step of a search ({@code search.lua}). */
    @NotNull
    CompletionStage<Outcome<SearchCall.Step>> step(@NotNull SearchCall search) {
        return call.run("search", searchScript.call(search), Outcome::ok);
    }

    /** The plan of a search limited to things of {@code owners}: {@code and(or(owner = o, ...), plan)}. */
    static @NotNull List<String> scoped(@NotNull List<String> plan, @NotNull List<Owner> owners) {
        List<String> scoped = new java.util.ArrayList<>(plan.size() + 4 + 3 * owners.size());
        scoped.add("and");
        scoped.add("2");
        scoped.add("or");
        scoped.add(Integer.toString(owners.size()));
        for (Owner owner : owners) {
            scoped.add("val");
            scoped.add(SearchSchema.OWNER);
            scoped.add("s" + owner.value());
        }
        scoped.addAll(plan);
        return scoped;
    }
}
