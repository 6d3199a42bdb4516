package io.shadowmq.extension.auth;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the household of a thing, without blocking: the authorizers call it on HiveMQ's threads. The production
 * implementation asks the shadow store's registry behind a Caffeine cache; tests use a map.
 * <pre>{@code
 * OwnerLookup owners = thing -> CompletableFuture.completedFuture(
 *         Optional.ofNullable(Map.of(ThingId.of("car-1"), Owner.of("alice")).get(thing)));
 * }</pre>
 */
@FunctionalInterface
public interface OwnerLookup {

    /**
     * @return the owner, empty when no such thing is provisioned; completes exceptionally when the registry cannot
     *         be reached (the caller then refuses: authorization fails closed)
     */
    @NotNull
    CompletableFuture<Optional<Owner>> ownerOf(@NotNull ThingId thing);
}
