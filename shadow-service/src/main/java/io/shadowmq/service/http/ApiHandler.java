package io.shadowmq.service.http;

import io.javalin.http.Context;
import io.shadowmq.service.auth.Caller;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletionStage;

/**
 * An authenticated endpoint: gets the request and who sent it (already checked for the route's scope), answers
 * asynchronously. It must not block: compose the store's stages. Expected refusals are {@link Problem} replies;
 * an exception or an exceptionally completed stage is a bug and becomes a logged 500.
 *
 * <pre>{@code
 * ApiHandler getThing = (ctx, caller) -> access.find(caller, ctx.pathParam("id"))
 *         .thenApply(found -> Replies.map(found, thing -> Reply.ok(ThingJson.of(thing))));
 * }</pre>
 */
@FunctionalInterface
public interface ApiHandler {
    @NotNull
    CompletionStage<Reply> handle(@NotNull Context ctx, @NotNull Caller caller) throws Exception;
}
