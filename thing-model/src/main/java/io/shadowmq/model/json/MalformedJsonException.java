package io.shadowmq.model.json;

import org.jetbrains.annotations.NotNull;

/**
 * Untrusted input was not a JSON document the platform accepts. The message is short, human and safe to send back
 * to the client as is, e.g. {@code not JSON: duplicate key 'state'}: no Jackson class names, no source excerpts.
 *
 * <pre>{@code
 * try {
 *     SafeJson.read(payload);
 * } catch (MalformedJsonException e) {
 *     reject(Rejection.malformed(e.getMessage()));
 * }
 * }</pre>
 */
public final class MalformedJsonException extends Exception {

    public MalformedJsonException(@NotNull String message) {
        // No cause and no stack trace: this is an expected rejection of a client's input, not a bug.
        super(message, null, false, false);
    }
}
