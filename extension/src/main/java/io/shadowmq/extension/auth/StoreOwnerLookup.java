package io.shadowmq.extension.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Owners (and types) from the store's registry behind a Caffeine cache: the household rules are checked on every
 * foreign-topic publish and subscribe, and neither owner nor type changes while a thing exists. Deprovisioning
 * invalidates the entry (through the change feed). Store failures are not cached, so a Redis blip does not stick.
 */
public final class StoreOwnerLookup implements OwnerLookup {

    private final ThingRegistry registry;
    private final AsyncCache<ThingId, Optional<ThingRecord>> things;

    public StoreOwnerLookup(@NotNull ThingRegistry registry, @NotNull Duration ttl, long maxSize) {
        this.registry = registry;
        this.things =
                Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).buildAsync();
    }

    @Override
    public @NotNull CompletableFuture<Optional<Owner>> ownerOf(@NotNull ThingId thing) {
        return recordOf(thing).thenApply(record -> record.map(ThingRecord::owner));
    }

    /** The thing's registry record (owner and type), empty when no such thing is provisioned; as {@link #ownerOf}. */
    public @NotNull CompletableFuture<Optional<ThingRecord>> recordOf(@NotNull ThingId thing) {
        return things.get(
                thing,
                (id, executor) -> registry.find(id).toCompletableFuture().thenCompose(StoreOwnerLookup::toRecord));
    }

    /** Remembers a record learnt elsewhere (a verified CONNECT), so the thing's first request costs no lookup. */
    public void remember(@NotNull ThingRecord record) {
        things.put(record.thingId(), CompletableFuture.completedFuture(Optional.of(record)));
    }

    public void forget(@NotNull ThingId thing) {
        things.synchronous().invalidate(thing);
    }

    private static CompletableFuture<Optional<ThingRecord>> toRecord(Outcome<ThingRecord> outcome) {
        if (outcome instanceof Outcome.Ok<ThingRecord> found) {
            return CompletableFuture.completedFuture(Optional.of(found.value()));
        }
        Rejection rejection = ((Outcome.Rejected<ThingRecord>) outcome).rejection();
        if (rejection.code() == Rejection.NO_SHADOW) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.failedFuture(new IllegalStateException(rejection.message()));
    }
}
