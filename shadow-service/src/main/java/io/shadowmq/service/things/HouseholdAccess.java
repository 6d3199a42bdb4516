package io.shadowmq.service.things;

import io.shadowmq.model.access.Access;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.grant.AuditLog;
import io.shadowmq.store.grant.HouseholdGuard;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a caller may do on a thing it sees ({@link Access}), the one place the routes ask: the admin and owner-level
 * keys may do everything ({@link Access#FULL}), and so may a key bound to a thing on that thing; on the household's
 * other things a bound key may do what its thing may over MQTT ({@link HouseholdGuard}: the target model's household
 * defaults widened by the household's grants). Its cross-thing calls are recorded in the household's audit trail.
 *
 * <pre>{@code
 * Replies.then(household.of(caller, id), access -> access.mayInvoke(action)
 *         ? invoke(id, action)
 *         : household.refuse(caller, id, AuditEntry.INVOKE, action,
 *                 HouseholdAccess.mayNotInvoke(caller, action, id)));
 * }</pre>
 */
public final class HouseholdAccess {

    private static final Logger log = LoggerFactory.getLogger(HouseholdAccess.class);

    private final HouseholdGuard guard;
    private final AuditLog audit;
    private final Clock clock;

    public HouseholdAccess(@NotNull HouseholdGuard guard, @NotNull AuditLog audit, @NotNull Clock clock) {
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The caller's access to {@code target}, a thing the caller was found to see; 503 when the household's grants
     * cannot be read (refused, never allowed, when in doubt).
     */
    public @NotNull CompletionStage<Outcome<Access>> of(@NotNull Caller caller, @NotNull ThingId target) {
        ThingId member = caller.thing();
        if (member == null || member.equals(target)) {
            return CompletableFuture.completedFuture(Outcome.ok(Access.FULL));
        }
        return guard.access(member, target).handle((access, error) -> {
            if (error != null) {
                log.warn("access of {} on {} unknown, refused: {}", member, target, error.toString());
                return Outcome.rejected(Rejection.storeUnavailable(
                        "what " + member + " may do on " + target + " is unknown now; retry shortly"));
            }
            return Outcome.ok(access);
        });
    }

    /** Whether the caller acts on {@code target} as a household member: what the audit trail records. */
    public static boolean acrossThings(@NotNull Caller caller, @NotNull ThingId target) {
        return caller.thing() != null && !caller.thing().equals(target);
    }

    /**
     * Records a call of a bound key on another thing of its household (nothing for other calls), in the background.
     *
     * @param paths the paths read, written or refused, or the action; empty for a whole read
     * @param code  200 when done, else the answer's status
     */
    public void audit(
            @NotNull Caller caller,
            @NotNull ThingId target,
            @NotNull String operation,
            @NotNull List<String> paths,
            int code) {
        if (!acrossThings(caller, target)) {
            return;
        }
        audit.record(new AuditEntry(
                "",
                clock.millis(),
                household(caller),
                caller.requester().value(),
                target.value(),
                operation,
                paths,
                code));
    }

    /** The refusal's answer, recorded in the audit trail as the answer to the operation on {@code path}. */
    public @NotNull CompletionStage<Reply> refuse(
            @NotNull Caller caller,
            @NotNull ThingId target,
            @NotNull String operation,
            @NotNull String path,
            @NotNull Rejection refusal) {
        audit(caller, target, operation, List.of(path), refusal.code());
        return Replies.done(Problem.from(refusal).toReply());
    }

    /** 403 {@code desired.cabin.heater.isOn: speaker-1 may not write it on car-1 (household read; ...)}. */
    public static @NotNull Rejection mayNotWrite(
            @NotNull Caller caller, @NotNull Access access, @NotNull String leaf, @NotNull ThingId target) {
        return access.refuseWrite(member(caller), leaf, target.value());
    }

    /** 403 {@code unlock: speaker-1 may not invoke it on car-1}. */
    public static @NotNull Rejection mayNotInvoke(
            @NotNull Caller caller, @NotNull String action, @NotNull ThingId target) {
        return Access.refuseInvoke(member(caller), action, target.value());
    }

    /** How the caller is named in a refusal: its thing for a bound key, else the key's name. */
    public static @NotNull String member(@NotNull Caller caller) {
        ThingId thing = caller.thing();
        return thing == null ? caller.requester().name() : thing.value();
    }

    /** A bound key sees exactly its thing's household. */
    private static Owner household(Caller caller) {
        return Owner.of(caller.owners().iterator().next());
    }
}
