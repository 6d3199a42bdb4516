package io.shadowmq.service.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.ProblemType;
import io.shadowmq.service.http.Reply;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Jetty's own error answers as the API's {@code application/problem+json}: requests Jetty refuses before any route
 * sees them (a NUL or invalid UTF-8 in the path: 400; a URL past the header buffer: 414; headers past it: 431; an
 * unparsable request line: 400) and the errors of Jetty's handlers (a body not received in time: 408). Installed as
 * the server's error handler, so no client ever gets Jetty's HTML page.
 *
 * <pre>{@code
 * server.setErrorHandler(new ProblemErrorHandler(8192));
 * // GET /api/v1/things/%C0%80 -> 400 {"type":"urn:shadowmq:problem:malformed-request",...,"detail":"Bad UTF-8 encoding"}
 * }</pre>
 */
public final class ProblemErrorHandler extends ErrorHandler {

    /** As the routes' problems go out (Javalin adds the charset): clients see one content type for every error. */
    static final String CONTENT_TYPE = Reply.PROBLEM_JSON + ";charset=utf-8";

    private final int maxHeadBytes;

    /** @param maxHeadBytes the request head limit set on the connector, named in 414 and 431 answers */
    public ProblemErrorHandler(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    /** Paths longer than this are not echoed as the problem's {@code instance}. */
    private static final int MAX_INSTANCE_CHARS = 256;
    /** What Jetty refuses with a bare "Bad Request": a request line or path it will not route. */
    private static final String UNREADABLE = "invalid request line or path (control characters such as an encoded "
            + "NUL, invalid UTF-8 and ambiguous path segments are refused)";
    /** Jetty's placeholder path for a request it could not parse. */
    private static final String BAD_MESSAGE_PATH = "/badMessage";

    /** Every method gets its problem body (Jetty's default writes pages for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        if (HttpStatus.hasNoBody(code)) {
            callback.succeeded();
            return;
        }
        Problem problem = problem(code, message);
        problem.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body(problem, instance(request))), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        if (HttpStatus.hasNoBody(status)) {
            return ByteBuffer.allocate(0);
        }
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, CONTENT_TYPE));
        return ByteBuffer.wrap(body(problem(status, reason), null));
    }

    private @NotNull Problem problem(int status, @Nullable String message) {
        ProblemType type = ProblemType.of(status);
        String detail = switch (status) {
            case 414 ->
                "the request line is longer than the server accepts (request line and headers together at most "
                        + maxHeadBytes + " bytes)";
            case 431 ->
                "the request headers are larger than the server accepts (request line and headers together "
                        + "at most " + maxHeadBytes + " bytes)";
            case 400 ->
                "the request could not be read: "
                        + (message == null || message.isBlank() || message.equals(HttpStatus.getMessage(400))
                                ? UNREADABLE
                                : ThingId.printable(message));
            // A server error's message may name internals: Jetty logs it, the client gets the title only.
            default ->
                status >= 500 || message == null || message.isBlank() ? type.title() : ThingId.printable(message);
        };
        return new Problem(type, status, detail, Map.of());
    }

    private static byte[] body(Problem problem, @Nullable String instance) {
        ObjectNode json = problem.toJson();
        if (instance != null) {
            json.put("instance", instance);
        }
        return SafeJson.write(json);
    }

    /** The request path as sent, when Jetty could parse one and it is short enough to echo. */
    private static @Nullable String instance(Request request) {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        if (path == null
                || path.equals(BAD_MESSAGE_PATH)
                || path.length() > MAX_INSTANCE_CHARS
                || path.chars().anyMatch(Character::isISOControl)) {
            return null;
        }
        return path;
    }
}
