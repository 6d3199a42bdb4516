package io.shadowmq.service.ops;

import io.javalin.http.HandlerType;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.ProblemType;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.platform.SettingsAgreement;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness for orchestrators. Live: the process answers. Ready: Redis answers (a ping within the
 * store timeout), the shared settings agreed with the platform record ({@link SettingsAgreement}) and the service is
 * not shutting down; otherwise 503, so a load balancer sends traffic elsewhere.
 *
 * <pre>{@code
 * GET /health/live  -> 200 {"status":"UP"}
 * GET /health/ready -> 200 {"status":"UP"} | 503 problem+json with Retry-After
 * }</pre>
 */
public final class HealthRoutes {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private final ShadowStore store;
    private final SettingsAgreement settings;
    private final BooleanSupplier shuttingDown;

    public HealthRoutes(
            @NotNull ShadowStore store, @NotNull SettingsAgreement settings, @NotNull BooleanSupplier shuttingDown) {
        this.store = store;
        this.settings = settings;
        this.shuttingDown = shuttingDown;
    }

    public void register(@NotNull ApiRouter router) {
        router.open(HandlerType.GET, LIVE, ctx -> Replies.done(up()));
        router.open(HandlerType.GET, READY, ctx -> {
            if (shuttingDown.getAsBoolean()) {
                return Replies.done(Problem.of(ProblemType.STORE_UNAVAILABLE, "shutting down")
                        .toReply());
            }
            return settings.passed()
                    .thenCompose(passed -> passed instanceof Outcome.Ok<Boolean>
                            ? store.ping()
                            : CompletableFuture.completedFuture(passed))
                    .thenApply(pong -> pong instanceof Outcome.Rejected<Boolean> down
                            ? Problem.of(
                                            ProblemType.STORE_UNAVAILABLE,
                                            "Redis: " + down.rejection().message())
                                    .toReply()
                            : up());
        });
    }

    private static Reply up() {
        return Reply.ok(SafeJson.object().put("status", "UP"));
    }
}
