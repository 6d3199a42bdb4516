package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.sdk.ShadowAccessDeniedException;
import io.shadowmq.sdk.ShadowRejectedException;
import org.jetbrains.annotations.NotNull;

/**
 * The thing-model's {@link Rejection} as the SDK's public exception (a 403 as {@link ShadowAccessDeniedException}), and
 * read from a {@code rejected} answer.
 */
final class Rejections {

    private Rejections() {}

    static @NotNull ShadowRejectedException exception(@NotNull Rejection rejection, boolean local) {
        return rejection.code() == Rejection.NOT_ALLOWED
                ? new ShadowAccessDeniedException(rejection.message(), local)
                : new ShadowRejectedException(rejection.code(), rejection.message(), local);
    }

    /** The code and message of a {@code .../rejected} payload; a payload without a valid pair is a 500. */
    static @NotNull Rejection read(@NotNull JsonNode json) {
        int code = json.path("code").asInt();
        String message = json.path("message").asText("");
        if (code < 400 || code > 599 || message.isBlank()) {
            return Rejection.internal("rejected without a valid code and message: " + SafeJson.writeString(json));
        }
        return new Rejection(code, message);
    }
}
