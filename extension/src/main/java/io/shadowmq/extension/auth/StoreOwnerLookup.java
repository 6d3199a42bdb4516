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
 * Owners from the store's registry behind a Caffeine cache: the household rules are checked on every foreign-topic
 * publish and subscribe, and an owner never changes while a thing exists. Deprovisioning invalidates the entry
 * (through the change feed). Store failures are not cached, so a Redis blip does not stick.
 */
public final class StoreOwnerLookup implements OwnerLookup {

    private final ThingRegistry registry;
    private final AsyncCache<ThingId, Optional<Owner>> owners;

    public StoreOwnerLookup(@NotNull ThingRegistry registry, @NotNull Duration ttl, long maxSize) {
        this.registry = registry;
        this.owners =
                Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).buildAsync();
    }

    @Override
    public @NotNull CompletableFuture<Optional<Owner>> ownerOf(@NotNull ThingId thing) {
        return owners.get(
                thing,
                (id, executor) -> registry.find(id).toCompletableFuture().thenCompose(StoreOwnerLookup::toOwner));
    }

    /** Remembers an owner learnt elsewhere (a verified CONNECT), so the thing's first request costs no lookup. */
    public void remember(@NotNull ThingId thing, @NotNull Owner owner) {
        owners.put(thing, CompletableFuture.completedFuture(Optional.of(owner)));
    }

    public void forget(@NotNull ThingId thing) {
        owners.synchronous().invalidate(thing);
    }

    private static CompletableFuture<Optional<Owner>> toOwner(Outcome<ThingRecord> outcome) {
        if (outcome instanceof Outcome.Ok<ThingRecord> found) {
            return CompletableFuture.completedFuture(Optional.of(found.value().owner()));
        }
        Rejection rejection = ((Outcome.Rejected<ThingRecord>) outcome).rejection();
        if (rejection.code() == Rejection.NO_SHADOW) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.failedFuture(new IllegalStateException(rejection.message()));
    }
}
