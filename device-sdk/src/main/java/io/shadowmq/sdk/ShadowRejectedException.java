package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;

/**
 * The request was refused, with one of the contract's codes and its message (docs/protocol.md): by the platform, or
 * by the SDK before sending, with the same code and message the platform would have given. A 403 is a
 * {@link ShadowAccessDeniedException}, which names the path or action refused.
 *
 * <pre>{@code
 * catch (CompletionException e) {
 *     if (e.getCause() instanceof ShadowRejectedException rejected && rejected.code() == 422) {
 *         System.out.println(rejected.message()); // cabin.heater.targetTemperature: 35 > maximum 28
 *     }
 * }
 * }</pre>
 */
public sealed class ShadowRejectedException extends ShadowException permits ShadowAccessDeniedException {

    private final int code;
    private final String rejectionMessage;
    private final boolean local;

    /**
     * A refusal with the contract's code and message. Example: {@code new ShadowRejectedException(403, "not allowed", false)}.
     *
     * @param local true when the SDK refused the request before sending it
     */
    public ShadowRejectedException(int code, @NotNull String message, boolean local) {
        super(code + " " + message + (local ? " (checked before sending)" : ""), null);
        this.code = code;
        this.rejectionMessage = message;
        this.local = local;
    }

    /** 400, 403, 404, 409, 413, 422, 429, 500 or 503, as in docs/protocol.md. */
    public int code() {
        return code;
    }

    /** The platform's message, e.g. {@code cabin.heater.targetTemperature: 35 > maximum 28}. */
    public @NotNull String message() {
        return rejectionMessage;
    }

    /** True when the SDK refused the request before sending it; the platform would have said the same. */
    public boolean isLocal() {
        return local;
    }
}
