package io.shadowmq.extension.config;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how many verified credentials (thing id, owner, secret hash) the extension keeps in memory, so that
 * reconnect storms do not all go to Redis. Deletion and rotation disconnect a thing and evict its entry at once;
 * the TTL bounds staleness when that notification is lost. A {@code ttl} of zero disables the cache.
 * <pre>{@code new CredentialCache(Duration.ofSeconds(60), 10_000)  // the default}</pre>
 */
public record CredentialCache(@NotNull Duration ttl, long maxSize) {

    public static final CredentialCache DEFAULT = new CredentialCache(Duration.ofSeconds(60), 10_000);

    public CredentialCache {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative, was " + ttl);
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("max size must not be negative, was " + maxSize);
        }
    }
}
