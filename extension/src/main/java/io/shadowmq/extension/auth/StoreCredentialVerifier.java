package io.shadowmq.extension.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Verifies CONNECT secrets against the store's keyed hashes, with a short-lived Caffeine cache of credentials that
 * verified, so a fleet reconnecting after a broker restart does not become one Redis round trip per CONNECT. The
 * cache keeps a SHA-256 of the secret, never the secret, compares in constant time, and is invalidated when the
 * thing's secret is rotated or the thing is deleted (change feed). Only successes are cached. Store checks go through
 * {@link ConnectAdmission}: in a connect storm they are served in arrival order, a bounded number at a time.
 */
public final class StoreCredentialVerifier implements CredentialVerifier {

    private final ThingRegistry registry;
    private final StoreOwnerLookup owners;
    private final Cache<ThingId, VerifiedSecret> verified;
    private final ConnectAdmission admission;

    /** @param admission how many store checks may run at once; the others wait their turn */
    public StoreCredentialVerifier(
            @NotNull ThingRegistry registry,
            @NotNull StoreOwnerLookup owners,
            @NotNull Duration ttl,
            long maxSize,
            @NotNull ConnectAdmission admission) {
        this.registry = registry;
        this.owners = owners;
        this.verified =
                Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).build();
        this.admission = admission;
    }

    @Override
    public @NotNull CompletableFuture<Result> verify(@NotNull ThingId thing, byte @NotNull [] secret) {
        byte[] digest = sha256(secret);
        VerifiedSecret cached = verified.getIfPresent(thing);
        if (cached != null && MessageDigest.isEqual(cached.digest(), digest)) {
            return CompletableFuture.completedFuture(new Verified(cached.thing()));
        }
        String secretText = new String(secret, java.nio.charset.StandardCharsets.UTF_8);
        return admission
                .submit(() -> registry.verifySecret(thing, secretText).toCompletableFuture())
                .thenCompose(outcome -> {
                    if (outcome instanceof Outcome.Ok<ThingRecord> ok) {
                        ConnectedThing connected =
                                new ConnectedThing(thing, ok.value().owner());
                        verified.put(thing, new VerifiedSecret(digest, connected));
                        owners.remember(ok.value());
                        return CompletableFuture.completedFuture((Result) new Verified(connected));
                    }
                    Rejection rejection = ((Outcome.Rejected<ThingRecord>) outcome).rejection();
                    if (rejection.code() == Rejection.NOT_ALLOWED) {
                        return CompletableFuture.completedFuture((Result) new Refused("unknown thing or wrong secret"));
                    }
                    return CompletableFuture.failedFuture(new IllegalStateException(rejection.message()));
                });
    }

    /** Forgets a thing's verified credentials (its secret was rotated or it was deleted). */
    public void forget(@NotNull ThingId thing) {
        verified.invalidate(thing);
    }

    private static byte[] sha256(byte[] secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    // A cache value only: its digest is compared explicitly (constant time), the record never is, nor printed.
    @SuppressWarnings("ArrayRecordComponent")
    private record VerifiedSecret(byte[] digest, ConnectedThing thing) {}
}
