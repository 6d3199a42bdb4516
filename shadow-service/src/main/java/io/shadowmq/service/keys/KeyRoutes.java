package io.shadowmq.service.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.service.auth.Authenticator;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.JsonBodies;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.ProblemType;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.store.apikey.ApiKey;
import io.shadowmq.store.apikey.ApiKeyStore;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.apikey.IssuedApiKey;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * API keys: create (the token is in this one answer only) and revoke. Both need {@code things:admin}. A key limited
 * to some households can only create keys for (some of) those households, never a key that sees more than itself,
 * and cannot revoke keys at all. A key may be bound to a thing the caller sees ({@code "thing":"speaker-1"}): it
 * then sees exactly that thing's household, and acts on its other things as the thing does.
 *
 * <pre>{@code
 * new KeyRoutes(store.apiKeys(), authenticator, access).register(router);
 * }</pre>
 */
public final class KeyRoutes {

    private static final Logger log = LoggerFactory.getLogger(KeyRoutes.class);

    private final ApiKeyStore keys;
    private final Authenticator authenticator;
    private final ThingAccess things;

    public KeyRoutes(@NotNull ApiKeyStore keys, @NotNull Authenticator authenticator, @NotNull ThingAccess things) {
        this.keys = keys;
        this.authenticator = authenticator;
        this.things = things;
    }

    public void register(@NotNull ApiRouter router) {
        router.post(ApiPaths.KEYS, ApiScope.THINGS_ADMIN, Accepts.JSON, this::create);
        router.delete(ApiPaths.KEY, ApiScope.THINGS_ADMIN, this::revoke);
    }

    private CompletionStage<Reply> create(Context ctx, Caller caller) {
        return Replies.then(
                JsonBodies.readObject(ctx, KeyRequest.FIELDS),
                body -> Replies.then(KeyRequest.parse(body), request -> {
                    if (!caller.seesEveryOwner()
                            && (request.owners().contains(ApiKey.ALL_OWNERS)
                                    || !caller.owners().containsAll(request.owners()))) {
                        return Replies.done(Problem.of(
                                        ProblemType.FORBIDDEN,
                                        "owners: a key may only create keys for households it sees")
                                .toReply());
                    }
                    if (request.thing() == null) {
                        return issue(request, request.owners(), caller);
                    }
                    // Bound to a thing: it must be one the caller sees, and the key sees exactly its household.
                    return Replies.then(things.find(caller, request.thing()), thing -> {
                        Set<String> household = Set.of(thing.owner().value());
                        if (!request.owners().isEmpty() && !request.owners().equals(household)) {
                            return Replies.done(Problem.invalid("owners: a key bound to " + thing.thingId()
                                            + " sees exactly its household " + thing.owner())
                                    .toReply());
                        }
                        return issue(request, household, caller);
                    });
                }));
    }

    private CompletionStage<Reply> issue(KeyRequest request, Set<String> owners, Caller caller) {
        return keys.create(request.name(), request.scopes(), owners, request.thing())
                .thenApply(outcome -> Replies.map(outcome, issued -> {
                    log.info(
                            "API key {} ({}) created by key {}",
                            issued.key().id(),
                            issued.key().name(),
                            caller.id());
                    return Reply.created(json(issued))
                            .withHeader(
                                    "Location",
                                    ApiPaths.KEYS + "/" + issued.key().id());
                }));
    }

    private CompletionStage<Reply> revoke(Context ctx, Caller caller) {
        if (!caller.seesEveryOwner()) {
            // The store cannot tell which households a key id serves without its token, so a household's admin key
            // could otherwise revoke another household's keys.
            return Replies.done(Problem.of(
                            ProblemType.FORBIDDEN,
                            "only the admin token or a key for every household (owners [\"*\"]) may revoke keys")
                    .toReply());
        }
        String id = ctx.pathParam("id");
        return keys.revoke(id)
                .thenApply(outcome -> Replies.map(outcome, revoked -> {
                    authenticator.forgetKey(id);
                    log.info("API key {} revoked by key {}", id, caller.id());
                    return Reply.noContent();
                }));
    }

    private static ObjectNode json(IssuedApiKey issued) {
        ObjectNode json = SafeJson.object();
        json.put("id", issued.key().id());
        json.put("name", issued.key().name());
        ArrayNode scopes = json.putArray("scopes");
        issued.key().scopes().stream().map(ApiScope::wireName).sorted().forEach(scopes::add);
        ArrayNode owners = json.putArray("owners");
        issued.key().owners().stream().sorted().forEach(owners::add);
        if (issued.key().thing() != null) {
            json.put("thing", issued.key().thing().value());
        }
        json.put("createdAt", issued.key().createdAt());
        json.put("token", issued.token());
        return json;
    }
}
