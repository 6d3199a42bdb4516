package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Why a request of the SDK failed. Unchecked, and never an MQTT client exception: futures fail with one of
 * {@link ShadowRejectedException} (403: {@link ShadowAccessDeniedException}), {@link ShadowTimeoutException}, {@link ShadowBufferFullException},
 * {@link ShadowConnectException} or {@link ShadowClosedException}.
 *
 * <pre>{@code
 * client.reportAsync(patch).exceptionally(error -> {
 *     if (error.getCause() instanceof ShadowRejectedException rejected) log(rejected.code(), rejected.message());
 *     return null;
 * });
 * }</pre>
 */
public abstract sealed class ShadowException extends RuntimeException
        permits ShadowRejectedException,
                ShadowTimeoutException,
                ShadowBufferFullException,
                ShadowConnectException,
                ShadowClosedException {

    ShadowException(@NotNull String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
