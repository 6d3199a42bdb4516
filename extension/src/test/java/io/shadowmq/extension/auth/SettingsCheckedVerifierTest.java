package io.shadowmq.extension.auth;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.platform.SettingsAgreement;
import io.shadowmq.store.platform.SettingsVerdict;
import io.shadowmq.store.platform.SharedSetting;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No credential is judged before the shared settings agreed: with another pepper a right secret would look wrong and
 * the device would be told "bad user name or password" instead of "server unavailable".
 */
class SettingsCheckedVerifierTest {

    private static final ThingId CAR = ThingId.of("car-1");
    private final AtomicInteger checkedCredentials = new AtomicInteger();
    private final CredentialVerifier store = (thing, secret) -> {
        checkedCredentials.incrementAndGet();
        return CompletableFuture.completedFuture(
                new CredentialVerifier.Verified(new ConnectedThing(thing, Owner.of("alice"))));
    };

    @Test
    void whileRedisCannotBeAskedNoCredentialIsCheckedAndTheConnectFailsAsUnavailable() {
        try (SettingsAgreement settings = SettingsAgreement.start(() -> CompletableFuture.completedFuture(
                Outcome.rejected(Rejection.storeUnavailable("store unavailable: connection refused"))))) {
            CompletableFuture<CredentialVerifier.Result> result =
                    new SettingsCheckedVerifier(settings, store).verify(CAR, new byte[] {1});

            assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("connection refused");
            assertThat(checkedCredentials).hasValue(0);
        }
    }

    @Test
    void settingsThatDisagreeNeverLetACredentialBeChecked() throws Exception {
        try (SettingsAgreement settings = SettingsAgreement.start(() -> CompletableFuture.completedFuture(
                Outcome.ok(new SettingsVerdict.Disagreed(SharedSetting.PEPPER, "differs"))))) {
            settings.verdict().get(5, TimeUnit.SECONDS);

            assertThatThrownBy(() -> new SettingsCheckedVerifier(settings, store)
                            .verify(CAR, new byte[] {1})
                            .get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("settings disagree");
            assertThat(checkedCredentials).hasValue(0);
        }
    }

    @Test
    void onceTheSettingsAgreeCredentialsAreChecked() throws Exception {
        try (SettingsAgreement settings = SettingsAgreement.start(
                () -> CompletableFuture.completedFuture(Outcome.ok(new SettingsVerdict.Agreed(false, List.of()))))) {
            CredentialVerifier.Result result = new SettingsCheckedVerifier(settings, store)
                    .verify(CAR, new byte[] {1})
                    .get(5, TimeUnit.SECONDS);

            assertThat(result).isInstanceOf(CredentialVerifier.Verified.class);
            assertThat(checkedCredentials).hasValue(1);
        }
    }
}
