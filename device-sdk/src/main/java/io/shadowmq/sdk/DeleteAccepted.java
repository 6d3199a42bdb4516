package io.shadowmq.sdk;

/**
 * The platform deleted the shadow ({@code delete/accepted}). Versions continue after a delete: the next update gets
 * {@code version + 1}.
 *
 * <pre>{@code
 * long deletedAt = client.deleteAsync().join().version();
 * }</pre>
 *
 * @param version   the version of the shadow that was deleted
 * @param timestamp when, epoch milliseconds
 */
public record DeleteAccepted(long version, long timestamp) {}
