package io.shadowmq.service.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Serves the hand-written OpenAPI 3.1 description of this API ({@code openapi.json} next to this class), its
 * {@code servers} naming the server it is served from: the scheme and {@code Host} the request came with, or, when
 * that Host is not a plain host[:port], the address the request arrived on. A test checks that every registered
 * route is in it, so the document cannot silently fall behind the code.
 *
 * <pre>{@code
 * new OpenApiRoute().register(router); // GET /openapi.json, no token needed
 * }</pre>
 */
public final class OpenApiRoute {

    public static final String PATH = "/openapi.json";
    static final String RESOURCE = "openapi.json";

    /** A DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port: nothing to escape. */
    private static final Pattern PLAIN_HOST =
            Pattern.compile("^([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(:\\d{1,5})?$");

    /** Our own document, not client input: read without the limits put on request bodies. */
    private static final ObjectMapper TRUSTED = new ObjectMapper();

    private final ObjectNode document;

    public OpenApiRoute() {
        try {
            this.document = (ObjectNode) TRUSTED.readTree(load());
        } catch (IOException e) {
            throw new IllegalStateException("openapi.json in the service jar is not JSON (a broken build)", e);
        }
    }

    public void register(@NotNull ApiRouter router) {
        router.open(HandlerType.GET, PATH, ctx -> Replies.done(Reply.raw(200, Reply.JSON, servedFrom(serverUrl(ctx)))));
    }

    /** The document with {@code servers} naming {@code url} only. */
    byte @NotNull [] servedFrom(@NotNull String url) {
        ObjectNode copy = document.deepCopy();
        copy.putArray("servers").addObject().put("url", url);
        try {
            return TRUSTED.writeValueAsBytes(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://host:port} as the client addressed this server. */
    static @NotNull String serverUrl(@NotNull Context ctx) {
        String scheme = "https".equalsIgnoreCase(ctx.scheme()) ? "https" : "http";
        String host = ctx.header("Host");
        if (host == null || !PLAIN_HOST.matcher(host).matches()) {
            String local = ctx.req().getLocalAddr();
            host = (local.contains(":") ? "[" + local + "]" : local) + ":"
                    + ctx.req().getLocalPort();
        }
        return scheme + "://" + host;
    }

    /** The document's bytes as stored in the jar (its {@code servers} is a placeholder). */
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
