package io.shadowmq.service.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.shadowmq.model.access.Access;
import io.shadowmq.model.access.PathPattern;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.GetRequest;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.JsonBodies;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.ProblemType;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.things.HouseholdAccess;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.registry.ThingRecord;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Shadows over REST: read (with {@code ETag: "version"}; {@code ?paths=range,windows.**} selects), merge desired
 * state (optionally conditional on {@code If-Match}), delete. Devices get the resulting delta over MQTT: the store
 * announces the change on the feed, and the brokers publish it. A key bound to a thing reads and writes the
 * household's other things as its thing may ({@link HouseholdAccess}): what it may not read is left out, a path it
 * may not read or write is 403 naming it.
 *
 * <pre>{@code
 * new ShadowRoutes(store, access, household, models, clock).register(router);
 * }</pre>
 */
public final class ShadowRoutes {

    private static final Logger log = LoggerFactory.getLogger(ShadowRoutes.class);

    private final ShadowStore store;
    private final ThingAccess access;
    private final HouseholdAccess household;
    private final ThingModels models;
    private final Clock clock;

    public ShadowRoutes(
            @NotNull ShadowStore store,
            @NotNull ThingAccess access,
            @NotNull HouseholdAccess household,
            @NotNull ThingModels models,
            @NotNull Clock clock) {
        this.store = store;
        this.access = access;
        this.household = household;
        this.models = models;
        this.clock = clock;
    }

    public void register(@NotNull ApiRouter router) {
        router.get(ApiPaths.THING_SHADOW, ApiScope.THINGS_READ, Accepts.query(PathSelection.PARAMETER), this::get);
        router.patch(ApiPaths.THING_SHADOW, ApiScope.THINGS_WRITE, Accepts.MERGE_PATCH, this::patch);
        // Deleting a shadow also wipes what the thing reported: an admin's act, like deprovisioning.
        router.delete(ApiPaths.THING_SHADOW, ApiScope.THINGS_ADMIN, this::delete);
    }

    private CompletionStage<Reply> get(Context ctx, Caller caller) {
        boolean latest = wantsLatest(ctx.header("Cache-Control"));
        Outcome<GetRequest> selection = PathSelection.parse(ctx.queryParam(PathSelection.PARAMETER));
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        selection,
                        request -> Replies.then(
                                visible(caller, id, request),
                                visible -> Replies.then(
                                        household.of(caller, id),
                                        access -> read(id, request.paths(), access, latest, caller)))));
    }

    /**
     * Whether the caller may address the thing; with a selection, also whether each selected path names a property
     * of the thing's model (422 naming it).
     */
    private CompletionStage<Outcome<ThingId>> visible(Caller caller, ThingId id, GetRequest request) {
        if (!request.selects()) {
            return access.check(caller, id);
        }
        return access.find(caller, id).thenApply(found -> {
            if (!(found instanceof Outcome.Ok<ThingRecord> ok)) {
                return Outcome.rejected(((Outcome.Rejected<ThingRecord>) found).rejection());
            }
            Optional<Rejection> unknown = models.get(ok.value().type()).flatMap(request::checkAgainst);
            return unknown.isPresent() ? Outcome.rejected(unknown.get()) : Outcome.ok(id);
        });
    }

    private CompletionStage<Reply> read(
            ThingId id, List<PathPattern> paths, Access access, boolean latest, Caller caller) {
        List<String> asked = paths.stream().map(PathPattern::text).toList();
        Outcome<Access> decided = access.toRead(paths, HouseholdAccess.member(caller), id.value());
        if (decided instanceof Outcome.Rejected<Access> refused) {
            household.audit(
                    caller, id, AuditEntry.READ, asked, refused.rejection().code());
            return Replies.done(Problem.from(refused.rejection()).toReply());
        }
        Access shown = decided.orElseThrow();
        return (latest ? store.shadows().getLatest(id) : store.shadows().get(id)).thenApply(outcome -> {
            Reply reply = Replies.map(
                    outcome,
                    doc -> Reply.ok(shown.readable(ShadowPayloads.get(doc, clock.millis(), null)))
                            .withHeader("ETag", IfMatch.tagOf(doc.version())));
            household.audit(caller, id, AuditEntry.READ, asked, reply.status());
            return reply;
        });
    }

    private CompletionStage<Reply> patch(Context ctx, Caller caller) {
        // The body is read here, on the request's thread, before anything asynchronous starts.
        Outcome<ThingId> thing = ThingAccess.parseId(ctx.pathParam("id"));
        Outcome<IfMatch> ifMatch = IfMatch.parse(ctx.header("If-Match"));
        Outcome<byte[]> body = JsonBodies.readBytes(ctx);
        return Replies.then(
                thing,
                id -> Replies.then(
                        ifMatch,
                        precondition -> Replies.then(
                                body,
                                bytes -> Replies.then(
                                        DesiredPatch.parse(
                                                bytes, store.shadows().limits()),
                                        request -> Replies.then(
                                                access.check(caller, id),
                                                visible -> Replies.then(
                                                        household.of(caller, id),
                                                        rights ->
                                                                write(id, precondition, request, rights, caller)))))));
    }

    /** A household member's write: refused (403 naming the first leaf it may not write), or applied and recorded. */
    private CompletionStage<Reply> write(
            ThingId id, IfMatch precondition, UpdateRequest request, Access rights, Caller caller) {
        JsonNode desired = request.section(Section.DESIRED);
        Optional<String> refused = rights.isFull() ? Optional.empty() : rights.firstUnwritable(desired);
        if (refused.isPresent()) {
            return household.refuse(
                    caller,
                    id,
                    AuditEntry.WRITE,
                    refused.get(),
                    HouseholdAccess.mayNotWrite(caller, rights, refused.get(), id));
        }
        CompletionStage<Reply> written = apply(id, precondition, request, caller);
        if (!HouseholdAccess.acrossThings(caller, id)) {
            return written;
        }
        return written.thenApply(reply -> {
            household.audit(caller, id, AuditEntry.WRITE, AuditEntry.writtenPaths(desired), reply.status());
            return reply;
        });
    }

    private CompletionStage<Reply> apply(ThingId id, IfMatch precondition, UpdateRequest request, Caller caller) {
        if (precondition instanceof IfMatch.Never) {
            return Replies.done(preconditionFailed("If-Match names no version of this shadow"));
        }
        if (precondition instanceof IfMatch.Version expected) {
            return update(id, DesiredPatch.withVersion(request, expected.version()), precondition, caller);
        }
        if (precondition instanceof IfMatch.Any) {
            // "*" asks for an existing shadow; the read and the update are two steps, the update unconditional.
            return store.shadows().get(id).thenCompose(current -> {
                if (current instanceof Outcome.Rejected<?> missing) {
                    return Replies.done(
                            missing.rejection().code() == Rejection.NO_SHADOW
                                    ? preconditionFailed("If-Match: * but "
                                            + missing.rejection().message())
                                    : Problem.from(missing.rejection()).toReply());
                }
                return update(id, request, precondition, caller);
            });
        }
        return update(id, request, precondition, caller);
    }

    private CompletionStage<Reply> update(ThingId id, UpdateRequest request, IfMatch precondition, Caller caller) {
        return store.shadows().update(id, caller.requester(), request).thenApply(outcome -> {
            if (outcome instanceof UpdateOutcome.Accepted accepted) {
                log.info(
                        "thing {}: desired state changed, version {}, by key {}, clientToken {}",
                        id,
                        accepted.current().version(),
                        caller.id(),
                        request.clientToken());
                return Reply.ok(ShadowPayloads.get(accepted.current(), clock.millis(), request.clientToken()))
                        .withHeader("ETag", IfMatch.tagOf(accepted.current().version()));
            }
            Rejection rejection = ((UpdateOutcome.Rejected) outcome).rejection();
            if (request.clientToken() != null && rejection.equals(Rejection.clientTokenReused(request.clientToken()))) {
                return Problem.from(rejection).toReply(); // 409: not a failed precondition
            }
            boolean conditional = !(precondition instanceof IfMatch.Absent);
            // 409 can only come from the If-Match version (or a racing writer in between): a failed precondition.
            if (rejection.code() == Rejection.VERSION_CONFLICT
                    || conditional && rejection.code() == Rejection.NO_SHADOW) {
                return preconditionFailed(rejection.message());
            }
            return Problem.from(rejection).toReply();
        });
    }

    private CompletionStage<Reply> delete(Context ctx, Caller caller) {
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        access.check(caller, id),
                        visible -> store.shadows()
                                .delete(id)
                                .thenApply(outcome -> Replies.map(outcome, version -> {
                                    log.info(
                                            "thing {}: shadow deleted at version {} by key {}",
                                            id,
                                            version,
                                            caller.id());
                                    return Reply.noContent();
                                }))));
    }

    /**
     * RFC 9111 §5.2.1: a request that will not take a stored answer ({@code no-cache}, {@code max-age=0}) is read
     * from Redis; otherwise the shadow may come from the service's memory, kept coherent by the change feed.
     */
    static boolean wantsLatest(@Nullable String cacheControl) {
        if (cacheControl == null) {
            return false;
        }
        for (String directive : cacheControl.split(",")) {
            String name = directive.strip().toLowerCase(Locale.ROOT);
            if (name.equals("no-cache")
                    || name.startsWith("no-cache=")
                    || name.replace(" ", "").equals("max-age=0")) {
                return true;
            }
        }
        return false;
    }

    private static Reply preconditionFailed(String detail) {
        return Problem.of(ProblemType.PRECONDITION_FAILED, detail).toReply();
    }
}
