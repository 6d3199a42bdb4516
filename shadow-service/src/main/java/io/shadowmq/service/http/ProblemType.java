package io.shadowmq.service.http;

import org.jetbrains.annotations.NotNull;

import java.util.Arrays;

/**
 * The kinds of problem the API answers (RFC 9457), one per status code. The {@code type} URI is a stable identifier
 * for clients to switch on; docs/rest.md lists them. It is a URN, not a URL: nothing has to be served behind it.
 *
 * <pre>{@code
 * ProblemType.of(412).uri() // "urn:shadowmq:problem:precondition-failed"
 * }</pre>
 */
public enum ProblemType {
    MALFORMED_REQUEST(400, "malformed-request", "Malformed request"),
    UNAUTHORIZED(401, "unauthorized", "Missing or invalid bearer token"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    REQUEST_TIMEOUT(408, "request-timeout", "Request not received in time"),
    CONFLICT(409, "conflict", "Conflict"),
    PRECONDITION_FAILED(412, "precondition-failed", "Precondition failed"),
    TOO_LARGE(413, "too-large", "Content too large"),
    URI_TOO_LONG(414, "uri-too-long", "URI too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    INVALID(422, "invalid", "Violates the thing model or the identifier rules"),
    RATE_LIMITED(429, "rate-limited", "Too many requests"),
    HEADERS_TOO_LARGE(431, "headers-too-large", "Request header fields too large"),
    INTERNAL(500, "internal", "Internal error"),
    STORE_UNAVAILABLE(503, "unavailable", "Service unavailable");

    private static final String TYPE_PREFIX = "urn:shadowmq:problem:";

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public @NotNull String uri() {
        return TYPE_PREFIX + slug;
    }

    public @NotNull String title() {
        return title;
    }

    /** The type for a status code; codes without their own type (e.g. 406) fall back to 400 or 500 by class. */
    public static @NotNull ProblemType of(int status) {
        return Arrays.stream(values())
                .filter(type -> type.status == status)
                .findFirst()
                .orElse(status >= 500 ? INTERNAL : MALFORMED_REQUEST);
    }
}
