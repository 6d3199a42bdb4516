package io.shadowmq.service.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.service.auth.Authenticator;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.platform.SettingsAgreement;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Registers the API's endpoints with Javalin, each wrapped the same way: answer 503 until this service's shared settings
 * (pepper, feed partitions) agreed with the platform record ({@link SettingsAgreement}: a service with another pepper
 * must not issue a secret or accept a key), authenticate the bearer token, check the
 * route's scope (403 before any lookup, so a missing scope reveals nothing), refuse query parameters and body types
 * the route does not declare ({@link Accepts}: 400 and 415), run the handler asynchronously, bound
 * it in time (503 past the request timeout, never a hung request), turn a bug into a logged 500, and write the reply
 * on a Jetty thread — never on a Redis I/O thread, which is where the store's stages complete. A reply that is ready
 * when the handler returns (a shadow read from memory, a refusal) is written at once, without going asynchronous.
 *
 * <pre>{@code
 * router.get("/api/v1/things/{id}", ApiScope.THINGS_READ, things::get);
 * router.post("/api/v1/things", ApiScope.THINGS_ADMIN, Accepts.JSON, things::provision);
 * router.open(HandlerType.GET, "/health/live", ctx -> Replies.done(Reply.ok(...)));
 * }</pre>
 */
public final class ApiRouter {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

    private final RoutesConfig routes;
    private final Authenticator authenticator;
    private final SettingsAgreement settings;
    private final Executor replyExecutor;
    private final Duration requestTimeout;
    /** {@code "GET /api/v1/things"} and what it accepts, in registration order. */
    private final Map<String, Accepts> registered = new LinkedHashMap<>();

    public ApiRouter(
            @NotNull RoutesConfig routes,
            @NotNull Authenticator authenticator,
            @NotNull SettingsAgreement settings,
            @NotNull Executor replyExecutor,
            @NotNull Duration requestTimeout) {
        this.routes = routes;
        this.authenticator = authenticator;
        this.settings = settings;
        this.replyExecutor = replyExecutor;
        this.requestTimeout = requestTimeout;
    }

    public void get(@NotNull String path, @NotNull ApiScope scope, @NotNull ApiHandler handler) {
        get(path, scope, Accepts.NOTHING, handler);
    }

    public void get(
            @NotNull String path, @NotNull ApiScope scope, @NotNull Accepts accepts, @NotNull ApiHandler handler) {
        secured(HandlerType.GET, path, scope, accepts, handler, requestTimeout);
    }

    /** A POST; {@code accepts} says which body it reads ({@link Accepts#NOTHING} for none). */
    public void post(
            @NotNull String path, @NotNull ApiScope scope, @NotNull Accepts accepts, @NotNull ApiHandler handler) {
        secured(HandlerType.POST, path, scope, accepts, handler, requestTimeout);
    }

    public void patch(
            @NotNull String path, @NotNull ApiScope scope, @NotNull Accepts accepts, @NotNull ApiHandler handler) {
        secured(HandlerType.PATCH, path, scope, accepts, handler, requestTimeout);
    }

    public void delete(@NotNull String path, @NotNull ApiScope scope, @NotNull ApiHandler handler) {
        secured(HandlerType.DELETE, path, scope, Accepts.NOTHING, handler, requestTimeout);
    }

    /**
     * A long-lived GET (Server-Sent Events): no request timeout; the handler bounds its own start-up and completes
     * its stage when the stream ends.
     */
    public void stream(
            @NotNull String path, @NotNull ApiScope scope, @NotNull Accepts accepts, @NotNull ApiHandler handler) {
        secured(HandlerType.GET, path, scope, accepts, handler, null);
    }

    /** An endpoint without authentication (health, metrics, the OpenAPI document); it takes no query parameter. */
    public void open(
            @NotNull HandlerType method,
            @NotNull String path,
            @NotNull Function<Context, CompletionStage<Reply>> handler) {
        register(method, path, Accepts.NOTHING);
        routes.addHttpHandler(
                method,
                path,
                ctx -> answer(
                        ctx,
                        () -> refusal(ctx, method, Accepts.NOTHING)
                                .map(Replies::done)
                                .orElseGet(() -> handler.apply(ctx)),
                        requestTimeout));
    }

    /** {@code "GET /api/v1/things"}, ... in registration order: what the OpenAPI document must describe. */
    public @NotNull List<String> registered() {
        return List.copyOf(registered.keySet());
    }

    private void secured(
            HandlerType method,
            String path,
            ApiScope scope,
            Accepts accepts,
            ApiHandler handler,
            @Nullable Duration timeout) {
        register(method, path, accepts);
        routes.addHttpHandler(method, path, ctx -> {
            String authorization = ctx.header("Authorization");
            answer(
                    ctx,
                    () -> settings.passed()
                            .thenCompose(passed -> passed instanceof Outcome.Rejected<Boolean> no
                                    ? Replies.done(Problem.from(no.rejection()).toReply())
                                    : authenticated(ctx, method, scope, accepts, handler, authorization)),
                    timeout);
        });
    }

    private CompletionStage<Reply> authenticated(
            Context ctx,
            HandlerType method,
            ApiScope scope,
            Accepts accepts,
            ApiHandler handler,
            @Nullable String authorization) {
        return authenticator.authenticate(authorization).thenCompose(result -> {
            Caller caller = result.caller();
            if (caller == null) {
                return Replies.done(refused(result));
            }
            if (!caller.allows(scope)) {
                return Replies.done(Problem.of(ProblemType.FORBIDDEN, "this key lacks the scope " + scope.wireName())
                        .withHeader("WWW-Authenticate", Authenticator.insufficientScope(scope))
                        .toReply());
            }
            Optional<Reply> refused = refusal(ctx, method, accepts);
            if (refused.isPresent()) {
                return Replies.done(refused.get());
            }
            try {
                return handler.handle(ctx, caller);
            } catch (Exception bug) {
                return CompletableFuture.failedFuture(bug);
            }
        });
    }

    private void answer(Context ctx, Work work, @Nullable Duration timeout) {
        if (timeout == null) {
            // An event stream: its work needs the asynchronous response Javalin starts for ctx.future.
            ctx.future(() -> reply(ctx, start(work), null));
            return;
        }
        CompletableFuture<Reply> started = start(work);
        if (started.isDone()) {
            // Answered without waiting (from memory, a validation error, a refusal): written on this Jetty thread,
            // with no asynchronous dispatch and no timer.
            ReplyWriter.write(
                    ctx,
                    started.handle((value, error) -> error == null ? value : failed(ctx, error, timeout))
                            .join());
            return;
        }
        // On a copy: the handler's own stage carries on (a store call cannot be recalled), its answer is dropped.
        CompletableFuture<Reply> bounded = started.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.future(() -> reply(ctx, bounded, timeout));
    }

    private static CompletableFuture<Reply> start(Work work) {
        try {
            return work.start().toCompletableFuture();
        } catch (Exception bug) {
            return CompletableFuture.failedFuture(bug);
        }
    }

    private CompletableFuture<Void> reply(Context ctx, CompletableFuture<Reply> reply, @Nullable Duration timeout) {
        return reply.handle((value, error) -> error == null ? value : failed(ctx, error, timeout))
                .thenAcceptAsync(value -> ReplyWriter.write(ctx, value), replyExecutor);
    }

    /** The 400 for a query parameter the route does not read, or the 415 for a body type it does not read. */
    private static Optional<Reply> refusal(Context ctx, HandlerType method, Accepts accepts) {
        Optional<Problem> problem =
                accepts.checkQuery(ctx.queryString()).or(() -> accepts.checkContentType(ctx.header("Content-Type")));
        return problem.map(found -> found.type() != ProblemType.UNSUPPORTED_MEDIA_TYPE
                ? found.toReply()
                // RFC 5789 and RFC 9110: tell the client which types this route reads.
                : found.withHeader(
                                HandlerType.PATCH.equals(method) ? "Accept-Patch" : "Accept-Post",
                                String.join(", ", accepts.bodyTypes()))
                        .toReply());
    }

    private static Reply refused(Authenticator.Result result) {
        Rejection refusal = result.refusal();
        Problem problem = Problem.from(refusal == null ? Rejection.internal("no caller, no refusal") : refusal);
        return (result.challenge() == null ? problem : problem.withHeader("WWW-Authenticate", result.challenge()))
                .toReply();
    }

    private static Reply failed(Context ctx, Throwable error, @Nullable Duration timeout) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException && timeout != null) {
            log.warn("{} {}: no answer within {} ms, answered 503", ctx.method(), ctx.path(), timeout.toMillis());
            return Problem.of(
                            ProblemType.STORE_UNAVAILABLE,
                            "no answer within " + timeout.toMillis()
                                    + " ms; the store may be unavailable, retry shortly")
                    .toReply();
        }
        log.error("{} {}: unexpected failure", ctx.method(), ctx.path(), cause);
        return Problem.of(ProblemType.INTERNAL, "internal error, logged on the server")
                .toReply();
    }

    private void register(HandlerType method, String path, Accepts accepts) {
        registered.put(method.name() + " " + path, accepts);
    }

    @FunctionalInterface
    private interface Work {
        CompletionStage<Reply> start() throws Exception;
    }
}
