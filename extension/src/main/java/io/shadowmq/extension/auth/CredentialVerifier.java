package io.shadowmq.extension.auth;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a thing's secret against the stored keyed hash, without blocking (it is called on HiveMQ's threads). The
 * production implementation sits on the shadow store's registry; until it is wired, {@link #unavailable} makes
 * every well-formed CONNECT fail with "server unavailable" - never with success.
 * <pre>{@code
 * verifier.verify(ThingId.of("car-1"), secret).thenAccept(result -> {
 *     if (result instanceof CredentialVerifier.Verified verified) { ... verified.thing().owner() ... }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface CredentialVerifier {

    /**
     * @return {@link Verified} or {@link Refused}; completes exceptionally only when the store cannot answer (the
     *         CONNECT is then refused as "server unavailable", not as a wrong password)
     */
    @NotNull
    CompletableFuture<Result> verify(@NotNull ThingId thing, byte @NotNull [] secret);

    /** A verifier for when no credential store is connected: every check fails with {@code why}. */
    static @NotNull CredentialVerifier unavailable(@NotNull String why) {
        return (thing, secret) -> CompletableFuture.failedFuture(new IllegalStateException(why));
    }

    /** What {@link #verify} found. */
    sealed interface Result {}

    /** The secret is right; the thing and its household. */
    record Verified(@NotNull ConnectedThing thing) implements Result {
        public Verified {
            Objects.requireNonNull(thing, "thing");
        }
    }

    /**
     * No such thing, or a wrong secret. {@code reason} is for the log; the client learns only "bad user name or
     * password", so that nobody can probe which thing ids exist.
     */
    record Refused(@NotNull String reason) implements Result {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
