package io.shadowmq.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a handler answers: a status, headers and a body (or none). Handlers build replies; only {@link ReplyWriter}
 * touches the HTTP response, so every answer goes out the same way.
 *
 * <pre>{@code
 * return Reply.ok(ShadowPayloads.get(doc, now, null)).withHeader("ETag", "\"" + doc.version() + "\"");
 * }</pre>
 *
 * @param body    the serialized body, null for none; for a problem it is written from {@code problem} instead
 * @param problem set for error answers (their body needs the request path, known only when writing)
 */
public record Reply(
        int status,
        byte @Nullable [] body,
        @NotNull String contentType,
        @NotNull Map<String, String> headers,
        @Nullable Problem problem) {

    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    /** Marks a request whose response was already streamed (Server-Sent Events): nothing more is written. */
    public static final Reply STREAMED = new Reply(200, null, JSON, Map.of(), null);

    public Reply {
        headers = Map.copyOf(headers);
    }

    public static @NotNull Reply ok(@NotNull JsonNode body) {
        return json(200, body);
    }

    public static @NotNull Reply created(@NotNull JsonNode body) {
        return json(201, body);
    }

    public static @NotNull Reply json(int status, @NotNull JsonNode body) {
        return new Reply(status, SafeJson.write(body), JSON, Map.of(), null);
    }

    /** A body that is not built as a JSON tree: the metrics text, the static OpenAPI document. */
    public static @NotNull Reply raw(int status, @NotNull String contentType, byte @NotNull [] body) {
        return new Reply(status, body, contentType, Map.of(), null);
    }

    public static @NotNull Reply noContent() {
        return new Reply(204, null, JSON, Map.of(), null);
    }

    public static @NotNull Reply problem(@NotNull Problem problem) {
        return new Reply(problem.status(), null, PROBLEM_JSON, problem.headers(), problem);
    }

    public @NotNull Reply withHeader(@NotNull String name, @NotNull String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, body, contentType, more, problem);
    }

    /** Equal by the body's bytes, not by which array holds them (the record's own equals would compare arrays). */
    @Override
    public boolean equals(Object other) {
        return other instanceof Reply that
                && status == that.status
                && Arrays.equals(body, that.body)
                && contentType.equals(that.contentType)
                && headers.equals(that.headers)
                && Objects.equals(problem, that.problem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, Arrays.hashCode(body), contentType, headers, problem);
    }

    /** The body's size, never its bytes: the answer to creating a thing carries the thing's new secret. */
    @Override
    public String toString() {
        return "Reply[status=" + status + ", body=" + (body == null ? "none" : body.length + " bytes")
                + ", contentType=" + contentType + ", headers=" + headers + ", problem=" + problem + "]";
    }
}
