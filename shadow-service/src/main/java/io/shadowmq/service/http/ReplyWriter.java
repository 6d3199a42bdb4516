package io.shadowmq.service.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.json.SafeJson;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;

/**
 * Puts a {@link Reply} on the response: status, headers, body. The one place that writes answers; a problem gets the
 * request path as its {@code instance} here. Whatever of the request body was not read (a request refused before
 * its handler ran: 401, 403, 404, 405, 415) is read and dropped first: a server that closes a connection with unread
 * input makes the client's TCP stack discard the answer (a reset), and the client sees no answer at all.
 *
 * <pre>{@code
 * ReplyWriter.write(ctx, Problem.notFound("no thing car-7").toReply());
 * }</pre>
 */
public final class ReplyWriter {

    private ReplyWriter() {}

    // Reply.STREAMED is a marker compared by identity: an equal reply built elsewhere is a real empty answer.
    @SuppressWarnings("ReferenceEquality")
    public static void write(@NotNull Context ctx, @NotNull Reply reply) {
        if (reply == Reply.STREAMED) {
            return;
        }
        boolean bodyRead = skipUnreadBody(ctx.req());
        ctx.status(reply.status());
        reply.headers().forEach(ctx::header);
        if (!bodyRead) {
            // More than a body may hold is still coming: not worth reading, so this connection ends here.
            ctx.header("Connection", "close");
        }
        if (reply.problem() != null) {
            ObjectNode body = reply.problem().toJson();
            body.put("instance", ctx.path());
            ctx.contentType(reply.contentType());
            ctx.result(SafeJson.write(body));
        } else if (reply.body() != null) {
            ctx.contentType(reply.contentType());
            ctx.result(reply.body());
        } else {
            ctx.result(new byte[0]);
        }
    }

    /**
     * Reads and drops what is left of the request body, at most {@link JsonBodies#MAX_BODY_BYTES}; false when more
     * is left or it cannot be read. A body within that size was already read whole, without a thread, by the
     * server's {@code WholeBodyHandler}, so this reads from memory.
     */
    private static boolean skipUnreadBody(HttpServletRequest request) {
        if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return true;
        }
        if (request.getContentLengthLong() > JsonBodies.MAX_BODY_BYTES) {
            // The server's body reader already took it and dropped it, without a thread, up to its bound (16 x the
            // limit); what is left of a larger one is not worth reading, and reading here would hold this thread.
            return false;
        }
        try {
            ServletInputStream in = request.getInputStream();
            if (in.isFinished()) {
                return true;
            }
            byte[] chunk = new byte[8192];
            long skipped = 0;
            for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
                skipped += read;
                if (skipped > JsonBodies.MAX_BODY_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (IOException | IllegalStateException e) {
            // Broken input, or already read as text elsewhere: either way, nothing more to read here.
            return false;
        }
    }
}
