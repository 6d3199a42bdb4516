package io.shadowmq.service.http;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one route takes besides its path and headers: the query parameters it reads, and the media types of its
 * body. Declared where the route is registered, checked by the {@link ApiRouter} before the handler runs, so that a
 * typo ({@code ?ownr=alice}) is a 400 naming the parameter instead of a silently wider answer, and a body of another
 * type is a 415 naming the types the route reads.
 *
 * <pre>{@code
 * router.get(ApiPaths.THINGS, ApiScope.THINGS_READ, Accepts.query("owner", "type", "limit", "cursor"), things::list);
 * router.patch(ApiPaths.THING_SHADOW, ApiScope.THINGS_WRITE, Accepts.MERGE_PATCH, shadows::patch);
 * }</pre>
 *
 * @param query     the query parameters the route reads, each at most once; any other is refused
 * @param bodyTypes the media types of the body, first the preferred one; empty for a route that reads no body
 */
public record Accepts(@NotNull Set<String> query, @NotNull List<String> bodyTypes) {

    public static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    /** No query parameter, no body: most GETs and DELETEs. */
    public static final Accepts NOTHING = new Accepts(Set.of(), List.of());
    /** A JSON body ({@code application/json}), no query parameter. */
    public static final Accepts JSON = new Accepts(Set.of(), List.of(Reply.JSON));
    /** A JSON merge patch (RFC 7396), sent as {@code application/merge-patch+json} or {@code application/json}. */
    public static final Accepts MERGE_PATCH = new Accepts(Set.of(), List.of(MERGE_PATCH_JSON, Reply.JSON));

    public Accepts {
        query = Set.copyOf(new LinkedHashSet<>(query));
        bodyTypes = List.copyOf(bodyTypes);
    }

    /** Only these query parameters, no body. */
    public static @NotNull Accepts query(@NotNull String... names) {
        return new Accepts(Set.of(names), List.of());
    }

    /**
     * The 400 for a query string that is not well-formed percent-encoded UTF-8, for the first query parameter the
     * route does not read, or for one given more than once (which value would count is a guess this API does not
     * make); empty when the query is fine. Reads the raw query itself, always as UTF-8 (the servlet's parser decodes
     * with the charset of the request's Content-Type, and silently drops what it cannot decode).
     */
    @NotNull
    Optional<Problem> checkQuery(@Nullable String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
            Optional<String> malformed = malformedEncoding(rawName).or(() -> malformedEncoding(rawValue));
            if (malformed.isPresent()) {
                return Optional.of(Problem.malformed("malformed query string: " + malformed.get()));
            }
            counts.merge(URLDecoder.decode(rawName, StandardCharsets.UTF_8), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> parameter : counts.entrySet()) {
            String name = parameter.getKey();
            if (!query.contains(name)) {
                return Optional.of(Problem.malformed("unknown query parameter '" + ThingId.printable(name) + "': "
                        + (query.isEmpty() ? "this route takes none" : "this route takes " + names())));
            }
            if (parameter.getValue() > 1) {
                return Optional.of(Problem.malformed(
                        "query parameter '" + name + "' given " + parameter.getValue() + " times; give it once"));
            }
        }
        return Optional.empty();
    }

    /**
     * The 415 for a body that is not of one of {@link #bodyTypes} (a missing {@code Content-Type} included), or with
     * a charset other than UTF-8; empty when the route reads no body or the type is fine.
     */
    @NotNull
    Optional<Problem> checkContentType(@Nullable String contentType) {
        if (bodyTypes.isEmpty()) {
            return Optional.empty();
        }
        if (contentType == null || contentType.isBlank()) {
            return Optional.of(unsupported("no Content-Type"));
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!bodyTypes.contains(mediaType)) {
            return Optional.of(unsupported("Content-Type '" + ThingId.printable(contentType.strip()) + "'"));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset")
                    && (parameter.length < 2
                            || !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                return Optional.of(
                        unsupported("Content-Type '" + ThingId.printable(contentType.strip()) + "' (JSON is UTF-8)"));
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with the percent-encoding of one name or value of a raw query string, or empty: every {@code %}
     * must start two hex digits, and the bytes they spell must be strict UTF-8.
     */
    private static Optional<String> malformedEncoding(String component) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(component.length());
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < component.length() ? Character.digit(component.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(component.charAt(i + 2), 16) : -1;
            if (low < 0) {
                return Optional.of("'%' must be followed by two hex digits in '" + ThingId.printable(component) + "'");
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return Optional.empty();
        } catch (CharacterCodingException e) {
            return Optional.of("invalid UTF-8 in '" + ThingId.printable(component) + "'");
        }
    }

    private Problem unsupported(String got) {
        return Problem.of(
                ProblemType.UNSUPPORTED_MEDIA_TYPE, got + ": the body must be " + String.join(" or ", bodyTypes));
    }

    private String names() {
        List<String> sorted = new ArrayList<>(query);
        sorted.sort(null);
        return String.join(", ", sorted);
    }
}
