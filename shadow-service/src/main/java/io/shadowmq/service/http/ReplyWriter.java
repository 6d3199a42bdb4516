package io.shadowmq.service.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

/**
 * Puts a {@link Reply} on the response: status, headers, body. The one place that writes answers; a problem gets the
 * request path as its {@code instance} here.
 *
 * <pre>{@code
 * ReplyWriter.write(ctx, Problem.notFound("no thing car-7").toReply());
 * }</pre>
 */
public final class ReplyWriter {

    private ReplyWriter() {
    }

    public static void write(@NotNull Context ctx, @NotNull Reply reply) {
        if (reply == Reply.STREAMED) {
            return;
        }
        ctx.status(reply.status());
        reply.headers().forEach(ctx::header);
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
}
