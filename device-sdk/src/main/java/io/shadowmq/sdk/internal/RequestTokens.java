package io.shadowmq.sdk.internal;

import org.jetbrains.annotations.NotNull;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client tokens for requests: a random prefix per client and a counter, e.g. {@code sdk-Yc3Q9a_ZkT1w-42}. Household
 * members read the same {@code accepted} topics, and the store remembers tokens for its idempotency window, so tokens
 * must not collide between clients, nor between runs of one device.
 */
final class RequestTokens {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    RequestTokens() {
        byte[] random = new byte[9];
        new SecureRandom().nextBytes(random);
        this.prefix = "sdk-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "-";
    }

    @NotNull
    String next() {
        return prefix + counter.incrementAndGet();
    }
}
