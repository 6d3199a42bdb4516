package io.shadowmq.extension.auth;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Decides a device's CONNECT: the form first ({@link ConnectCredentials}, synchronous, precise reason codes), then
 * the secret through the {@link CredentialVerifier} (asynchronous, bounded by the store timeout). Outcomes:
 * <ul>
 *   <li>malformed: 0x85 client identifier not valid, or 0x86 bad user name or password;</li>
 *   <li>wrong secret or unknown thing: 0x86, the same for both so that thing ids cannot be probed;</li>
 *   <li>too many wrong secrets from the source address ({@link AuthFailureBrake}): 0x9F connection rate exceeded
 *       (MQTT 3.1.1: 3), without checking the secret, so that the device retries later;</li>
 *   <li>store failed or too slow: 0x88 server unavailable (MQTT 3.1.1: 3), so that devices retry instead of
 *       concluding their secret is wrong;</li>
 *   <li>verified: success, with default permissions set to deny - only the authorizers grant topics.</li>
 * </ul>
 * HiveMQ may share one instance between all clients; it holds no per-client state.
 * <pre>{@code
 * Services.securityRegistry().setAuthenticatorProvider(
 *         input -> new DeviceAuthenticator(verifier, config.storeTimeout()));
 * }</pre>
 */
public final class DeviceAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(DeviceAuthenticator.class);

    private final @NotNull CredentialVerifier verifier;
    private final @NotNull Duration timeout;
    private final @NotNull AuthFailureBrake brake;
    private final @NotNull Runnable onFailure;
    private final @NotNull Consumer<ModifiableDefaultPermissions> grantPublishing;

    public DeviceAuthenticator(@NotNull CredentialVerifier verifier, @NotNull Duration timeout) {
        this(
                verifier,
                timeout,
                new AuthFailureBrake(io.shadowmq.extension.config.AuthFailureLimit.DEFAULT),
                () -> {},
                permissions -> {});
    }

    /**
     * @param brake           refuses a source address (for one thing id, or for all) after too many failed attempts
     * @param onFailure       counts every CONNECT this authenticator refuses, whatever the reason: malformed,
     *                        wrong secret or unknown thing, braked, store unavailable or too slow (metrics)
     * @param grantPublishing adds the default permission that lets publishes through HiveMQ's own check to the
     *                        interceptor that decides them ({@link #PUBLISH_ANYWHERE} in the broker)
     */
    public DeviceAuthenticator(
            @NotNull CredentialVerifier verifier,
            @NotNull Duration timeout,
            @NotNull AuthFailureBrake brake,
            @NotNull Runnable onFailure,
            @NotNull Consumer<ModifiableDefaultPermissions> grantPublishing) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.brake = Objects.requireNonNull(brake, "brake");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.grantPublishing = Objects.requireNonNull(grantPublishing, "grantPublishing");
    }

    /**
     * Subscriptions: nothing unless the HouseholdAuthorizer grants it. Publishes pass HiveMQ's own check and are
     * decided by the ShadowTopicInterceptor, which can drop a refused one for an MQTT 3.1.1 client (the contract)
     * where a failed publish authorization would disconnect it.
     */
    public static final Consumer<ModifiableDefaultPermissions> PUBLISH_ANYWHERE =
            permissions -> permissions.add(Builders.topicPermission()
                    .topicFilter("#")
                    .type(TopicPermission.PermissionType.ALLOW)
                    .activity(TopicPermission.MqttActivity.PUBLISH)
                    .build());

    @Override
    public void onConnect(@NotNull SimpleAuthInput input, @NotNull SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        Optional<InetAddress> address = input.getConnectionInformation().getInetAddress();
        String source = address.map(InetAddress::getHostAddress).orElse("unknown address");
        String brakeSource = address.map(AuthFailureBrake::sourceOf).orElse(source);
        ConnectCredentials.Form form =
                ConnectCredentials.check(connect.getClientId(), connect.getUserName(), connect.getPassword());
        if (form instanceof ConnectCredentials.Malformed malformed) {
            // DEBUG: anyone can send these, and the log must not become a megaphone for them.
            log.debug(
                    "CONNECT refused from {} (client id '{}'): {}",
                    source,
                    ThingId.printable(connect.getClientId()),
                    malformed.reason());
            onFailure.run();
            output.failAuthentication(malformed.code(), malformed.reason());
            return;
        }
        ConnectCredentials.WellFormed credentials = (ConnectCredentials.WellFormed) form;
        Optional<String> braked = brake.brakedFor(brakeSource, credentials.thing());
        if (braked.isPresent()) {
            onFailure.run();
            // DEBUG: one INFO line said when the brake engaged; an attacker's every retry must not add one.
            log.debug("CONNECT of {} from {} refused: {}", credentials.thing(), source, braked.get());
            output.failAuthentication(brakedCode(connect.getMqttVersion()), braked.get());
            return;
        }
        Async<SimpleAuthOutput> async = output.async(
                timeout, TimeoutFallback.FAILURE, ConnackReasonCode.SERVER_UNAVAILABLE, "credential check timed out");
        Futures.whenComplete(verify(credentials), log, "credential check", (result, failure) -> {
            boolean refused = failure != null || !(result instanceof CredentialVerifier.Verified);
            try {
                if (refused) {
                    onFailure.run();
                    if (failure == null && brake.recordFailure(brakeSource, credentials.thing())) {
                        log.info(
                                "CONNECTs from {} braked after too many failed attempts (last for {})",
                                brakeSource,
                                credentials.thing());
                    }
                }
                decide(output, credentials.thing(), source, result, failure);
            } catch (RuntimeException e) {
                // HiveMQ already applied the timeout fallback and refuses a second decision; nothing to undo. That
                // fallback refused the CONNECT: count it, unless it was counted above.
                if (!refused) {
                    onFailure.run();
                }
                log.debug("late credential decision for {} ignored: {}", credentials.thing(), e.toString());
            } finally {
                async.resume();
            }
        });
    }

    /**
     * A braked CONNECT must not read as a wrong secret: its secret was never checked, and the device should retry
     * later. MQTT 5 has a code for exactly that; MQTT 3.1.1 does not, and its 5 "not authorized" is final to most
     * clients (the SDK's too), so 3.1.1 gets 3 "server unavailable", which they retry.
     */
    static @NotNull ConnackReasonCode brakedCode(@NotNull MqttVersion version) {
        return version == MqttVersion.V_5
                ? ConnackReasonCode.CONNECTION_RATE_EXCEEDED
                : ConnackReasonCode.SERVER_UNAVAILABLE;
    }

    private @NotNull CompletableFuture<CredentialVerifier.Result> verify(
            @NotNull ConnectCredentials.WellFormed credentials) {
        try {
            CompletableFuture<CredentialVerifier.Result> result =
                    verifier.verify(credentials.thing(), credentials.secret());
            return result != null
                    ? result
                    : CompletableFuture.failedFuture(new NullPointerException("CredentialVerifier returned null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void decide(
            @NotNull SimpleAuthOutput output,
            @NotNull ThingId thing,
            @NotNull String source,
            CredentialVerifier.Result result,
            Throwable failure) {
        if (failure != null) {
            log.warn(
                    "CONNECT of {} from {} refused, credential store unavailable: {}",
                    thing,
                    source,
                    rootMessage(failure));
            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "credential store unavailable");
        } else if (result instanceof CredentialVerifier.Verified verified) {
            output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
            grantPublishing.accept(output.getDefaultPermissions());
            log.debug("CONNECT of {} from {} authenticated", verified.thing(), source);
            output.authenticateSuccessfully();
        } else {
            String reason = result instanceof CredentialVerifier.Refused refused ? refused.reason() : "no result";
            log.info("CONNECT of {} from {} refused: {}", thing, source, reason);
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong thing id or secret");
        }
    }

    private static @NotNull String rootMessage(@NotNull Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
