package io.shadowmq.extension.auth;

import io.shadowmq.model.access.Access;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.grant.AuditLog;
import io.shadowmq.store.grant.HouseholdGuard;
import io.shadowmq.store.registry.ThingRecord;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a connected thing may do on another thing of its household, for the request handlers and the outbound filter:
 * {@link Access#FULL} on its own topics, else the {@link HouseholdGuard}'s answer (the target's model defaults widened
 * by the household's grants, cached; a warm answer completes at once). Also the target's model, for the 422 checks
 * that come before an access decision, and the household's audit trail of members' cross-thing operations.
 * <pre>{@code
 * members.of(ThingId.of("speaker-1"), ThingId.of("car-1"))
 *         .thenAccept(access -> access.mayWrite("cabin.heater.isOn"));   // false without a grant
 * members.record(speaker, car, AuditEntry.WRITE, List.of("cabin.heater.isOn"), 403);
 * }</pre>
 */
public final class MemberAccess {

    private static final Logger log = LoggerFactory.getLogger(MemberAccess.class);

    private final HouseholdGuard guard;
    private final AuditLog audit;
    private final StoreOwnerLookup things;
    private final ThingModels models;
    private final Clock clock;

    public MemberAccess(
            @NotNull HouseholdGuard guard,
            @NotNull AuditLog audit,
            @NotNull StoreOwnerLookup things,
            @NotNull ThingModels models,
            @NotNull Clock clock) {
        this.guard = guard;
        this.audit = audit;
        this.things = things;
        this.models = models;
        this.clock = clock;
    }

    /**
     * What {@code requester} may do on {@code target}: {@link Access#FULL} at once for the thing itself; completes
     * exceptionally when the store cannot tell (callers refuse: 503, or no delivery).
     */
    public @NotNull CompletableFuture<Access> of(@NotNull ThingId requester, @NotNull ThingId target) {
        if (requester.equals(target)) {
            return CompletableFuture.completedFuture(Access.FULL);
        }
        try {
            return guard.access(requester, target).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** 503 for a member's request when what it may do could not be read: refused, never let through. */
    public static @NotNull Rejection unavailable(@NotNull ThingId requester, @NotNull ThingId target) {
        return Rejection.storeUnavailable(
                "store unavailable: what " + requester + " may do on " + target + " could not be read, retry");
    }

    /**
     * What a request of {@code requester} on {@code target} is decided on: the target's model (for the 422 checks that
     * come first) and the requester's access; completes exceptionally as {@link #of}.
     */
    public @NotNull CompletableFuture<Decision> decide(@NotNull ThingId requester, @NotNull ThingId target) {
        return modelOf(target).thenCombine(of(requester, target), Decision::new);
    }

    /**
     * @param model  the target's model; empty when the thing is unknown (the store answers 404) or its type has no
     *               model here
     * @param access what the requester may do on the target
     */
    public record Decision(
            @NotNull Optional<ThingModel> model, @NotNull Access access) {}

    /** The target's model; empty when the thing is unknown or its type has no model here. */
    public @NotNull CompletableFuture<Optional<ThingModel>> modelOf(@NotNull ThingId target) {
        return things.recordOf(target)
                .thenApply(record -> record.map(ThingRecord::type).flatMap(models::get));
    }

    /**
     * Appends a member's cross-thing operation to its household's trail, in the background; nothing for a thing's
     * own requests, nothing waits for it and nothing fails because of it.
     *
     * @param paths what was asked for: the paths read or written, the action invoked; empty for a whole read
     * @param code  the answer's code: 200, or the refusal's
     */
    public void record(
            @NotNull ThingId requester,
            @NotNull ThingId target,
            @NotNull String operation,
            @NotNull List<String> paths,
            int code) {
        if (requester.equals(target)) {
            return;
        }
        long at = clock.millis();
        Futures.whenComplete(things.ownerOf(target), log, "audit of " + target, (owner, error) -> {
            if (owner == null || owner.isEmpty()) {
                return; // deleted meanwhile, or the registry is out of reach: nothing to file it under
            }
            try {
                audit.record(new AuditEntry(
                        "",
                        at,
                        owner.get(),
                        Requester.thing(requester).value(),
                        target.value(),
                        operation,
                        paths,
                        code));
            } catch (RuntimeException e) {
                log.warn("thing {}: audit entry of {} by {} not recorded", target, operation, requester, e);
            }
        });
    }

    /**
     * Records a member's granted subscription to another thing's shadow topics ({@code things/T/shadow/...}) as one
     * read of T naming the filter: its deliveries are not recorded one by one. Nothing for other filters.
     */
    public void recordSubscription(@NotNull String clientId, @NotNull String filter) {
        String[] levels = filter.split("/", -1);
        if (levels.length < 3
                || !levels[0].equals(ShadowTopic.ROOT)
                || !levels[2].equals(ShadowTopic.SHADOW)
                || !ThingId.isValid(levels[1])
                || !ThingId.isValid(clientId)) {
            return;
        }
        record(ThingId.of(clientId), ThingId.of(levels[1]), AuditEntry.READ, List.of(filter), 200);
    }
}
