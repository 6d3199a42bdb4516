package io.shadowmq.service.things;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which things a caller may address. A thing of a household the caller does not see answers exactly like a thing
 * that does not exist (same 404, same message), so a key learns nothing about other households.
 *
 * <pre>{@code
 * Replies.then(ThingAccess.parseId(ctx.pathParam("id")), id -> Replies.then(access.find(caller, id), thing -> ...));
 * }</pre>
 */
public final class ThingAccess {

    private final ThingRegistry registry;

    public ThingAccess(@NotNull ThingRegistry registry) {
        this.registry = registry;
    }

    /**
     * A thing id from a path. An invalid one is 422 like everywhere else in the API (docs/protocol.md), not 404: the
     * client made a mistake that a retry cannot fix, and the message says which rule it broke.
     */
    public static @NotNull Outcome<ThingId> parseId(@NotNull String raw) {
        if (!ThingId.isValid(raw)) {
            return Outcome.rejected(Rejection.modelViolation(
                    "thingId: invalid id '" + ThingId.printable(raw) + "': must match " + ThingId.PATTERN.pattern()));
        }
        return Outcome.ok(ThingId.of(raw));
    }

    /**
     * A household from a path ({@code /owners/{owner}/...}), if the caller sees it: 422 for an invalid name, 404
     * {@code no household X} for one it does not see (as for one that does not exist).
     */
    public static @NotNull Outcome<Owner> household(@NotNull Caller caller, @NotNull String raw) {
        if (!ThingId.isValid(raw)) {
            return Outcome.rejected(Rejection.modelViolation(
                    "owner: invalid '" + ThingId.printable(raw) + "': must match " + ThingId.PATTERN.pattern()));
        }
        Owner owner = Owner.of(raw);
        return caller.sees(owner)
                ? Outcome.ok(owner)
                : Outcome.rejected(new Rejection(Rejection.NO_SHADOW, "no household " + raw));
    }

    /** The thing, or 404 when it does not exist or belongs to a household the caller does not see. */
    public @NotNull CompletionStage<Outcome<ThingRecord>> find(@NotNull Caller caller, @NotNull ThingId thing) {
        return registry.find(thing).thenApply(found -> {
            if (found instanceof Outcome.Ok<ThingRecord> ok
                    && !caller.sees(ok.value().owner())) {
                return Outcome.rejected(noThing(thing));
            }
            return found;
        });
    }

    /**
     * Whether the caller may address the thing. A caller that sees every household skips the lookup: the store call
     * that follows answers 404 for a missing thing anyway.
     */
    public @NotNull CompletionStage<Outcome<ThingId>> check(@NotNull Caller caller, @NotNull ThingId thing) {
        if (caller.seesEveryOwner()) {
            return CompletableFuture.completedFuture(Outcome.ok(thing));
        }
        return find(caller, thing).thenApply(found -> found.map(ThingRecord::thingId));
    }

    /** The store's own answer for a missing thing, word for word. */
    public static @NotNull Rejection noThing(@NotNull ThingId thing) {
        return new Rejection(Rejection.NO_SHADOW, "no thing " + thing.value());
    }
}
