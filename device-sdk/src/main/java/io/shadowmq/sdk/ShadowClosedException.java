package io.shadowmq.sdk;

/**
 * The client was closed before the request was answered, or a request was made after {@link ShadowClient#close()}.
 *
 * <pre>{@code
 * client.close();
 * client.getAsync();  // fails with ShadowClosedException
 * }</pre>
 */
public final class ShadowClosedException extends ShadowException {

    /** Example: {@code future.completeExceptionally(new ShadowClosedException())}. */
    public ShadowClosedException() {
        super("the shadow client is closed", null);
    }
}
