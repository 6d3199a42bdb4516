package io.shadowmq.extension.auth;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.platform.SettingsAgreement;
import org.jetbrains.annotations.NotNull;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Checks credentials only once this broker's shared settings agree with the platform record: with another pepper
 * every right secret would look wrong, and devices would be told "bad user name or password" (which they take as
 * final) instead of "server unavailable" (which they retry). Until the check has passed each CONNECT asks for it
 * (so the first CONNECT after Redis comes back needs no wait for a retry) and fails as the store being unavailable.
 * <pre>{@code
 * CredentialVerifier verifier = new SettingsCheckedVerifier(settings, new StoreCredentialVerifier(...));
 * }</pre>
 */
public final class SettingsCheckedVerifier implements CredentialVerifier {

    private final @NotNull SettingsAgreement settings;
    private final @NotNull CredentialVerifier verifier;

    public SettingsCheckedVerifier(@NotNull SettingsAgreement settings, @NotNull CredentialVerifier verifier) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    @Override
    public @NotNull CompletableFuture<Result> verify(@NotNull ThingId thing, byte @NotNull [] secret) {
        return settings.passed()
                .toCompletableFuture()
                .thenCompose(passed -> passed instanceof Outcome.Rejected<Boolean> no
                        ? CompletableFuture.failedFuture(
                                new IllegalStateException(no.rejection().message()))
                        : verifier.verify(thing, secret));
    }
}
