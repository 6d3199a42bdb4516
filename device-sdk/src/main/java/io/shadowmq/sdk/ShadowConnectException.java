package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;

/**
 * The broker refused the first connection for good: the thing id or secret is wrong, or the thing is not allowed to
 * connect (CONNACK 0x85, 0x86, 0x87; MQTT 3.1.1 return codes 2, 4, 5). The client does not retry such a refusal on
 * its first connect; once it has been connected it retries everything, because a refusal then can be temporary.
 *
 * <pre>{@code
 * client.connect().exceptionally(e -> { System.err.println(e.getCause().getMessage()); System.exit(2); return null; });
 * }</pre>
 */
public final class ShadowConnectException extends ShadowException {

    /** Example: {@code new ShadowConnectException("BAD_USER_NAME_OR_PASSWORD")}. */
    public ShadowConnectException(@NotNull String message) {
        super(message, null);
    }
}
