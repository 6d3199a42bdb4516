package io.shadowmq.service.grants;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.access.Grant;
import io.shadowmq.model.access.GrantJson;
import io.shadowmq.model.access.GrantRequest;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.JsonBodies;
import io.shadowmq.service.http.PageLimit;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.grant.AuditLog;
import io.shadowmq.store.grant.GrantStore;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A household's grants — what one of its things (or every thing of a type) may do on another beyond the model's
 * household defaults — and its audit trail: create, list, read and revoke grants, and page through who read or
 * changed what across things. Every route needs {@code things:admin}; a household the caller does not see is 404,
 * and so is a grantee or target thing of another household. The store records creating and revoking in the audit
 * trail.
 *
 * <pre>{@code
 * new GrantRoutes(store.grants(), store.audit(), store.things(), models, Clock.systemUTC()).register(router);
 * }</pre>
 */
public final class GrantRoutes {

    private static final Logger log = LoggerFactory.getLogger(GrantRoutes.class);

    public static final int DEFAULT_AUDIT_PAGE = 50;
    public static final int MAX_AUDIT_PAGE = 500;

    private final GrantStore grants;
    private final AuditLog audit;
    private final ThingRegistry registry;
    private final ThingModels models;
    private final Clock clock;

    public GrantRoutes(
            @NotNull GrantStore grants,
            @NotNull AuditLog audit,
            @NotNull ThingRegistry registry,
            @NotNull ThingModels models,
            @NotNull Clock clock) {
        this.grants = grants;
        this.audit = audit;
        this.registry = registry;
        this.models = models;
        this.clock = clock;
    }

    public void register(@NotNull ApiRouter router) {
        router.post(ApiPaths.GRANTS, ApiScope.THINGS_ADMIN, Accepts.JSON, this::create);
        router.get(ApiPaths.GRANTS, ApiScope.THINGS_ADMIN, this::list);
        router.get(ApiPaths.GRANT, ApiScope.THINGS_ADMIN, this::get);
        router.delete(ApiPaths.GRANT, ApiScope.THINGS_ADMIN, this::revoke);
        router.get(ApiPaths.AUDIT, ApiScope.THINGS_ADMIN, Accepts.query("limit", "before"), this::audit);
    }

    private static Outcome<Owner> owner(Context ctx, Caller caller) {
        return ThingAccess.household(caller, ctx.pathParam("owner"));
    }

    private CompletionStage<Reply> create(Context ctx, Caller caller) {
        // The body is read here, on the request's thread, before anything asynchronous starts.
        Outcome<ObjectNode> body = JsonBodies.readObject(ctx);
        return Replies.then(
                owner(ctx, caller),
                owner -> Replies.then(
                        body,
                        json -> Replies.then(
                                GrantRequest.parse(json, clock.millis()),
                                request -> Replies.then(
                                        modelOf(owner, request.grantee(), "grantee"),
                                        known -> Replies.then(
                                                modelOf(owner, request.target(), "target"),
                                                targetModel -> create(owner, request, targetModel, caller))))));
    }

    private CompletionStage<Reply> create(Owner owner, GrantRequest request, ThingModel target, Caller caller) {
        Outcome<GrantRequest> checked = request.checkAgainst(target)
                .map(Outcome::<GrantRequest>rejected)
                .orElse(Outcome.ok(request));
        return Replies.then(
                checked,
                valid -> grants.create(owner, valid, caller.requester())
                        .thenApply(outcome -> Replies.map(outcome, grant -> {
                            log.info(
                                    "household {}: grant {} ({} on {}) created by key {}",
                                    owner,
                                    grant.id(),
                                    grant.grantee(),
                                    grant.target(),
                                    caller.id());
                            return Reply.created(GrantJson.write(grant))
                                    .withHeader("Location", location(owner) + "/" + grant.id());
                        })));
    }

    private CompletionStage<Reply> list(Context ctx, Caller caller) {
        return Replies.then(
                owner(ctx, caller),
                owner -> grants.list(owner)
                        .thenApply(outcome -> Replies.map(outcome, list -> {
                            ObjectNode json = SafeJson.object();
                            ArrayNode array = json.putArray("grants");
                            list.forEach(grant -> array.add(GrantJson.write(grant)));
                            return Reply.ok(json);
                        })));
    }

    private CompletionStage<Reply> get(Context ctx, Caller caller) {
        return Replies.then(
                owner(ctx, caller),
                owner -> grants.find(owner, ctx.pathParam("grantId"))
                        .thenApply(outcome -> Replies.map(outcome, grant -> Reply.ok(GrantJson.write(grant)))));
    }

    private CompletionStage<Reply> revoke(Context ctx, Caller caller) {
        return Replies.then(
                owner(ctx, caller),
                owner -> grants.revoke(owner, ctx.pathParam("grantId"), caller.requester())
                        .thenApply(outcome -> Replies.map(outcome, grant -> {
                            log.info("household {}: grant {} revoked by key {}", owner, grant.id(), caller.id());
                            return Reply.noContent();
                        })));
    }

    private CompletionStage<Reply> audit(Context ctx, Caller caller) {
        Outcome<Integer> limit = PageLimit.parse(ctx.queryParam("limit"), DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE);
        String raw = ctx.queryParam("before");
        String before = raw == null || raw.isBlank() ? null : raw.strip();
        return Replies.then(
                owner(ctx, caller),
                owner -> Replies.then(
                        limit,
                        max -> audit.list(owner, max, before)
                                .thenApply(outcome -> Replies.map(outcome, entries -> {
                                    ObjectNode json = SafeJson.object();
                                    ArrayNode array = json.putArray("entries");
                                    entries.forEach(entry -> array.add(json(entry)));
                                    if (entries.size() == max) {
                                        json.put(
                                                "next",
                                                entries.get(entries.size() - 1).id());
                                    }
                                    return Reply.ok(json);
                                }))));
    }

    /**
     * The model of a grantee or target: a {@code type:} names it (422 naming the field when no model has that
     * type), a thing id names the thing's (404 {@code no thing X} when it is not a thing of this household).
     */
    private CompletionStage<Outcome<ThingModel>> modelOf(Owner owner, String who, String field) {
        if (who.startsWith(Grant.TYPE_PREFIX)) {
            String type = who.substring(Grant.TYPE_PREFIX.length());
            return CompletableFuture.completedFuture(models.get(type)
                    .map(Outcome::ok)
                    .orElseGet(() -> Outcome.rejected(Rejection.modelViolation(field + ": no thing model '"
                            + ThingId.printable(type) + "'; known: " + String.join(", ", models.types())))));
        }
        ThingId thing = ThingId.of(who);
        return registry.find(thing).thenApply(found -> {
            if (found instanceof Outcome.Ok<ThingRecord> ok) {
                ThingRecord record = ok.value();
                if (!record.owner().equals(owner)) {
                    return Outcome.rejected(ThingAccess.noThing(thing));
                }
                return models.get(record.type())
                        .map(Outcome::ok)
                        .orElseGet(() -> Outcome.rejected(
                                Rejection.internal("thing " + thing + " has the unknown type " + record.type())));
            }
            return Outcome.rejected(((Outcome.Rejected<ThingRecord>) found).rejection());
        });
    }

    private static String location(Owner owner) {
        return ApiPaths.GRANTS.replace("{owner}", owner.value());
    }

    private static ObjectNode json(AuditEntry entry) {
        ObjectNode json = SafeJson.object();
        json.put("id", entry.id());
        json.put("at", entry.at());
        json.put("actor", entry.actor());
        json.put("target", entry.target());
        json.put("operation", entry.operation());
        ArrayNode paths = json.putArray("paths");
        entry.paths().forEach(paths::add);
        json.put("code", entry.code());
        return json;
    }
}
