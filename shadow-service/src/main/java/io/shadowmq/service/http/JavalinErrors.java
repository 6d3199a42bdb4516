package io.shadowmq.service.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Javalin's own answers problem+json too: an unknown path (404), a known path with another method (405),
 * and anything a handler threw outside the {@link ApiRouter}'s guard (500, logged).
 *
 * <pre>{@code
 * Javalin.create(config -> JavalinErrors.install(config.routes));
 * }</pre>
 */
public final class JavalinErrors {

    private static final Logger log = LoggerFactory.getLogger(JavalinErrors.class);

    private JavalinErrors() {}

    public static void install(@NotNull RoutesConfig routes) {
        routes.exception(HttpResponseException.class, (error, ctx) -> {
            ProblemType type = ProblemType.of(error.getStatus());
            String detail = switch (error.getStatus()) {
                case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
                case 405 -> ctx.method() + " is not allowed on " + ctx.path();
                default -> error.getMessage() == null ? type.title() : error.getMessage();
            };
            write(ctx, new Problem(type, error.getStatus(), detail, java.util.Map.of()));
        });
        routes.exception(Exception.class, (error, ctx) -> {
            log.error("{} {}: unexpected failure", ctx.method(), ctx.path(), error);
            write(ctx, Problem.of(ProblemType.INTERNAL, "internal error, logged on the server"));
        });
    }

    private static void write(Context ctx, Problem problem) {
        ReplyWriter.write(ctx, problem.toReply());
    }
}
