package io.shadowmq.service.things;

import io.javalin.http.Context;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.JsonBodies;
import io.shadowmq.service.http.PageLimit;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.ProblemType;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionStage;

/**
 * The thing registry over REST: provision, list, read (with presence), deprovision, rotate the secret.
 *
 * <pre>{@code
 * new ThingRoutes(store, access).register(router);
 * }</pre>
 */
public final class ThingRoutes {

    private static final Logger log = LoggerFactory.getLogger(ThingRoutes.class);

    public static final int DEFAULT_PAGE = 50;

    private final ShadowStore store;
    private final ThingAccess access;
    private final ThingLister lister;

    public ThingRoutes(@NotNull ShadowStore store, @NotNull ThingAccess access) {
        this.store = store;
        this.access = access;
        this.lister = new ThingLister(store.things());
    }

    public void register(@NotNull ApiRouter router) {
        router.post(ApiPaths.THINGS, ApiScope.THINGS_ADMIN, Accepts.JSON, this::provision);
        router.get(
                ApiPaths.THINGS, ApiScope.THINGS_READ, Accepts.query("owner", "type", "limit", "cursor"), this::list);
        router.get(ApiPaths.THING, ApiScope.THINGS_READ, this::get);
        router.delete(ApiPaths.THING, ApiScope.THINGS_ADMIN, this::deprovision);
        router.post(ApiPaths.THING_SECRET, ApiScope.THINGS_ADMIN, Accepts.NOTHING, this::rotateSecret);
    }

    private CompletionStage<Reply> provision(Context ctx, Caller caller) {
        return Replies.then(
                JsonBodies.readObject(ctx, ProvisionRequest.FIELDS),
                body -> Replies.then(ProvisionRequest.parse(body), request -> {
                    if (!caller.sees(request.owner())) {
                        return Replies.done(Problem.of(
                                        ProblemType.FORBIDDEN,
                                        "this key may not provision things for owner " + request.owner())
                                .toReply());
                    }
                    return store.things()
                            .provision(request.thingId(), request.type(), request.owner())
                            .thenApply(outcome -> Replies.map(outcome, provisioned -> {
                                log.info(
                                        "thing {} of type {} provisioned for owner {} by key {}",
                                        request.thingId(),
                                        request.type(),
                                        request.owner(),
                                        caller.id());
                                return Reply.created(ThingJson.withSecret(provisioned))
                                        .withHeader("Location", ApiPaths.THINGS + "/" + request.thingId());
                            }));
                }));
    }

    private CompletionStage<Reply> list(Context ctx, Caller caller) {
        String ownerParam = ctx.queryParam("owner");
        if (ownerParam != null && !ThingId.isValid(ownerParam)) {
            return badQuery("owner: invalid owner '" + ThingId.printable(ownerParam) + "'");
        }
        Outcome<Integer> limit = PageLimit.parse(ctx.queryParam("limit"), DEFAULT_PAGE, ThingRegistry.MAX_PAGE);
        if (limit instanceof Outcome.Rejected<Integer> bad) {
            return Replies.done(Problem.from(bad.rejection()).toReply());
        }
        Owner owner = ownerParam == null ? null : Owner.of(ownerParam);
        return lister.list(
                        caller,
                        owner,
                        blankToNull(ctx.queryParam("type")),
                        limit.orElseThrow(),
                        blankToNull(ctx.queryParam("cursor")))
                .thenApply(page -> Replies.map(page, ok -> Reply.ok(ThingJson.page(ok))));
    }

    private CompletionStage<Reply> get(Context ctx, Caller caller) {
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        access.find(caller, id),
                        thing -> store.presence()
                                .status(id)
                                .thenApply(presence -> Replies.map(
                                        presence, status -> Reply.ok(ThingJson.withPresence(thing, status))))));
    }

    private CompletionStage<Reply> deprovision(Context ctx, Caller caller) {
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        access.check(caller, id),
                        visible -> store.things()
                                .deprovision(id)
                                .thenApply(outcome -> Replies.map(outcome, removed -> {
                                    log.info(
                                            "thing {} of owner {} deprovisioned by key {}",
                                            id,
                                            removed.owner(),
                                            caller.id());
                                    return Reply.noContent();
                                }))));
    }

    private CompletionStage<Reply> rotateSecret(Context ctx, Caller caller) {
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        access.check(caller, id),
                        visible -> store.things()
                                .rotateSecret(id)
                                .thenApply(outcome -> Replies.map(outcome, rotated -> {
                                    log.info("thing {}: secret rotated by key {}", id, caller.id());
                                    return Reply.ok(ThingJson.withSecret(rotated));
                                }))));
    }

    private static CompletionStage<Reply> badQuery(String detail) {
        return Replies.done(Problem.malformed(detail).toReply());
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
