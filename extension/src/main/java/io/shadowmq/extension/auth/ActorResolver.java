package io.shadowmq.extension.auth;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The connected thing behind a client id, with its household: client id = thing id (the authenticator made sure),
 * the owner from the {@link OwnerLookup}, cached since the CONNECT was verified, so this completes at once.
 */
public final class ActorResolver {

    private final OwnerLookup owners;

    public ActorResolver(@NotNull OwnerLookup owners) {
        this.owners = owners;
    }

    /**
     * What {@code rule} decides for the client's thing; refused (never failed) when the client's household cannot
     * be found, so authorization fails closed.
     */
    public @NotNull CompletableFuture<TopicAccess> access(
            @NotNull String clientId, @NotNull Function<ConnectedThing, CompletableFuture<TopicAccess>> rule) {
        return actor(clientId)
                .thenCompose(rule)
                .exceptionally(
                        failure -> TopicAccess.refuse("household of " + ThingId.printable(clientId) + " unknown"));
    }

    /** Completes exceptionally for a client id that is no thing or whose thing no longer exists. */
    public @NotNull CompletableFuture<ConnectedThing> actor(@NotNull String clientId) {
        if (!ThingId.isValid(clientId)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("client id is not a thing id"));
        }
        ThingId thing = ThingId.of(clientId);
        return owners.ownerOf(thing)
                .thenApply(owner -> new ConnectedThing(thing, owner.orElseThrow(() -> new UnknownThing(thing))));
    }

    /** The thing does not exist (any more): not a store failure, nothing to retry. */
    public static final class UnknownThing extends IllegalStateException {
        UnknownThing(@NotNull ThingId thing) {
            super("thing " + thing + " is not provisioned");
        }
    }
}
