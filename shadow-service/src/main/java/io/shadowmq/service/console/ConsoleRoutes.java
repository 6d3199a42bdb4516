package io.shadowmq.service.console;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the household console (docs/console.md): plain HTML, CSS and ES-module JavaScript shipped in this jar next
 * to this class, nothing fetched from elsewhere. The files need no token — they hold no data; the
 * page asks the API with the key the user signs in with.
 *
 * <p>Every answer carries a strict Content-Security-Policy (only this origin, no inline script or style, no framing),
 * {@code X-Content-Type-Options: nosniff} and {@code Cache-Control: no-cache} with an {@code ETag}: the file names
 * carry no version, so a browser revalidates each time and gets 304 while the jar is the same. A name that is not a
 * file of the console is 404, like any unknown path.
 *
 * <pre>{@code
 * GET /console          -> 301 Location: /console/ (so the page's relative URLs resolve under /console/)
 * GET /console/         -> index.html
 * GET /console/app.js   -> text/javascript; charset=utf-8
 * }</pre>
 */
public final class ConsoleRoutes {

    public static final String ROOT = "/console";
    public static final String FILE = ROOT + "/{file}";

    /** Only this origin; no inline script or style; no plugins, no framing, no base-URL tricks. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /** A console file name: flat, lower-case, one of the types below; nothing else is looked up in the jar. */
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}\\.(html|css|js|svg|png)$");

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    static final String INDEX = "index.html";
    /** The files live beside this class in the jar (resources io/shadowmq/service/console/). */
    static final String RESOURCE_DIR = "";

    /** Files read once from the jar; an absent name is remembered as absent too (the set of names is bounded). */
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    /** One file: its bytes, type and entity tag. */
    private record Asset(byte[] bytes, String contentType, String etag) {}

    public void register(@NotNull ApiRouter router) {
        router.open(HandlerType.GET, ROOT, this::root);
        router.open(HandlerType.GET, FILE, ctx -> serve(ctx, ctx.pathParam("file")));
    }

    /**
     * {@code /console/} is the page; {@code /console} (the router ignores a trailing slash) is sent there, since the
     * page's relative links would otherwise resolve against {@code /}.
     */
    private CompletionStage<Reply> root(Context ctx) {
        if (ctx.path().endsWith("/")) {
            return serve(ctx, INDEX);
        }
        return Replies.done(
                Reply.raw(301, "text/plain; charset=utf-8", "see /console/\n".getBytes(StandardCharsets.UTF_8))
                        .withHeader("Location", ROOT + "/"));
    }

    private CompletionStage<Reply> serve(Context ctx, String name) {
        Optional<Asset> found = find(name);
        if (found.isEmpty()) {
            return Replies.done(Problem.notFound("no console file '" + ThingId.printable(name) + "'")
                    .toReply());
        }
        Asset asset = found.get();
        Reply reply = matches(ctx.header("If-None-Match"), asset.etag())
                ? new Reply(304, null, asset.contentType(), Map.of(), null)
                : Reply.raw(200, asset.contentType(), asset.bytes());
        return Replies.done(secured(reply).withHeader("ETag", asset.etag()));
    }

    /** The headers every console answer carries, also the 304. */
    static @NotNull Reply secured(@NotNull Reply reply) {
        return reply.withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Cache-Control", "no-cache");
    }

    private Optional<Asset> find(String name) {
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String contentType = CONTENT_TYPES.get(matcher.group(1));
        return assets.computeIfAbsent(name, key -> load(key, contentType));
    }

    private static Optional<Asset> load(String name, String contentType) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Asset(bytes, contentType, etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the console file " + name + " from the service jar", e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** RFC 9110 If-None-Match: a list of tags (weak ones compare weakly) or {@code *}. */
    static boolean matches(@Nullable String ifNoneMatch, @NotNull String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
