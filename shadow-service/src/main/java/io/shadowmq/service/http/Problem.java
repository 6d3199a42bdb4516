package io.shadowmq.service.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer in RFC 9457 form ({@code application/problem+json}): the type, the status and a detail that
 * names the field and the rule, plus the headers the status calls for.
 *
 * <pre>{@code
 * Problem.from(new Rejection(422, "cabin.heater.targetTemperature: 35 > maximum 28")).toReply()
 * // 422 {"type":"urn:shadowmq:problem:invalid","title":"...","status":422,"detail":"cabin.heater...","instance":"/api/v1/..."}
 * }</pre>
 *
 * @param status  the HTTP status; usually {@code type.status()}, but a status without its own type (406) keeps its code
 * @param headers e.g. {@code Retry-After} on 503, {@code WWW-Authenticate} on 401
 */
public record Problem(
        @NotNull ProblemType type,
        int status,
        @NotNull String detail,
        @NotNull Map<String, String> headers) {

    /** How long a client should wait before retrying after a 503: Redis outages are short or long, never instant. */
    public static final String RETRY_AFTER_SECONDS = "1";

    public Problem {
        headers = Map.copyOf(headers);
    }

    public static @NotNull Problem of(@NotNull ProblemType type, @NotNull String detail) {
        Map<String, String> headers =
                type == ProblemType.STORE_UNAVAILABLE ? Map.of("Retry-After", RETRY_AFTER_SECONDS) : Map.of();
        return new Problem(type, type.status(), detail, headers);
    }

    /** The problem for a refusal of the store or the request parsers: the codes are the contract's, the message kept. */
    public static @NotNull Problem from(@NotNull Rejection rejection) {
        ProblemType type = ProblemType.of(rejection.code());
        if (type == ProblemType.INTERNAL) {
            // The store's message for a bug names internals; the log has the details.
            return of(type, "internal error, logged on the server");
        }
        return of(type, rejection.message());
    }

    public static @NotNull Problem malformed(@NotNull String detail) {
        return of(ProblemType.MALFORMED_REQUEST, detail);
    }

    public static @NotNull Problem notFound(@NotNull String detail) {
        return of(ProblemType.NOT_FOUND, detail);
    }

    public static @NotNull Problem invalid(@NotNull String detail) {
        return of(ProblemType.INVALID, detail);
    }

    public @NotNull Problem withHeader(@NotNull String name, @NotNull String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(type, status, detail, more);
    }

    /** The body; {@code instance} is the request's path, added by {@link ReplyWriter}. */
    public @NotNull ObjectNode toJson() {
        ObjectNode body = SafeJson.object();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }

    public @NotNull Reply toReply() {
        return Reply.problem(this);
    }
}
