package io.shadowmq.service.ops;

import io.javalin.http.HandlerType;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the hand-written OpenAPI 3.1 description of this API ({@code openapi.json} next to this class). A test
 * checks that every registered route is in it, so the document cannot silently fall behind the code.
 *
 * <pre>{@code
 * new OpenApiRoute().register(router); // GET /openapi.json, no token needed
 * }</pre>
 */
public final class OpenApiRoute {

    public static final String PATH = "/openapi.json";
    static final String RESOURCE = "openapi.json";

    private final byte[] document;

    public OpenApiRoute() {
        this.document = load();
    }

    public void register(@NotNull ApiRouter router) {
        router.open(HandlerType.GET, PATH, ctx -> Replies.done(Reply.raw(200, Reply.JSON, document)));
    }

    /** The document's bytes, as served. */
    public static byte @NotNull [] load() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the service jar (a broken build)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
