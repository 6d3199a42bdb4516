package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * No answer within the request timeout (default 10 s, {@link ShadowClientBuilder#requestTimeout}), counted from when
 * the request was sent. The request may still have been applied.
 *
 * <pre>{@code
 * client.getAsync().exceptionally(e -> e.getCause() instanceof ShadowTimeoutException ? cachedDocument : null);
 * }</pre>
 */
public final class ShadowTimeoutException extends ShadowException {

    /** Example: {@code new ShadowTimeoutException("get of car-1", Duration.ofSeconds(10))}. */
    public ShadowTimeoutException(@NotNull String request, @NotNull Duration timeout) {
        super("no answer to " + request + " within " + timeout.toMillis() + " ms", null);
    }
}
