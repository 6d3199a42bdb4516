package io.shadowmq.extension.auth;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import io.shadowmq.extension.config.AuthFailureLimit;
import io.shadowmq.extension.shadow.ShadowMetrics;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authenticator against recording fakes of HiveMQ's input and output. What a real broker makes of the outcome
 * (CONNACK codes for MQTT 3 and 5) is covered by DeviceAuthenticationIT.
 */
class DeviceAuthenticatorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Recorder output = new Recorder();

    @Test
    void malformedConnectIsRefusedSynchronouslyWithoutAskingTheVerifier() {
        AtomicInteger verifications = new AtomicInteger();
        DeviceAuthenticator authenticator = new DeviceAuthenticator(
                (thing, secret) -> {
                    verifications.incrementAndGet();
                    return new CompletableFuture<>();
                },
                TIMEOUT);

        authenticator.onConnect(connect("bad/id", "bad/id", "secret"), output.proxy());

        assertThat(output.calls)
                .containsExactly("failAuthentication CLIENT_IDENTIFIER_NOT_VALID "
                        + "client identifier must be the thing id: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
        assertThat(verifications).hasValue(0);
    }

    @Test
    void wellFormedConnectGoesAsyncWithTheStoreTimeoutAndResumesOnceWhenVerified() {
        CompletableFuture<CredentialVerifier.Result> pending = new CompletableFuture<>();
        DeviceAuthenticator authenticator = new DeviceAuthenticator((thing, secret) -> pending, TIMEOUT);

        authenticator.onConnect(connect("car-1", "car-1", "secret"), output.proxy());

        assertThat(output.calls).containsExactly("async PT2S FAILURE SERVER_UNAVAILABLE credential check timed out");
        pending.complete(new CredentialVerifier.Verified(new ConnectedThing(ThingId.of("car-1"), Owner.of("alice"))));
        assertThat(output.calls)
                .containsExactly(
                        "async PT2S FAILURE SERVER_UNAVAILABLE credential check timed out",
                        "defaultBehaviour DENY",
                        "authenticateSuccessfully",
                        "resume");
    }

    @Test
    void verifierReceivesTheThingIdAndTheSecretBytes() {
        List<String> seen = new ArrayList<>();
        DeviceAuthenticator authenticator = new DeviceAuthenticator(
                (thing, secret) -> {
                    seen.add(thing + ":" + new String(secret, StandardCharsets.UTF_8));
                    return CompletableFuture.completedFuture(new CredentialVerifier.Refused("wrong secret"));
                },
                TIMEOUT);

        authenticator.onConnect(connect("car-1", "car-1", "s3cr3t"), output.proxy());

        assertThat(seen).containsExactly("car-1:s3cr3t");
    }

    @Test
    void wrongSecretIsRefusedAsBadUserNameOrPasswordWithoutSayingWhich() {
        DeviceAuthenticator authenticator = new DeviceAuthenticator(
                (thing, secret) -> CompletableFuture.completedFuture(new CredentialVerifier.Refused("no such thing")),
                TIMEOUT);

        authenticator.onConnect(connect("car-1", "car-1", "secret"), output.proxy());

        assertThat(output.calls)
                .containsExactly(
                        "async PT2S FAILURE SERVER_UNAVAILABLE credential check timed out",
                        "failAuthentication BAD_USER_NAME_OR_PASSWORD wrong thing id or secret",
                        "resume");
    }

    @Test
    void unavailableStoreIsRefusedAsServerUnavailableSoDevicesRetry() {
        DeviceAuthenticator authenticator =
                new DeviceAuthenticator(CredentialVerifier.unavailable("no credential store connected"), TIMEOUT);

        authenticator.onConnect(connect("car-1", "car-1", "secret"), output.proxy());

        assertThat(output.calls)
                .containsExactly(
                        "async PT2S FAILURE SERVER_UNAVAILABLE credential check timed out",
                        "failAuthentication SERVER_UNAVAILABLE credential store unavailable",
                        "resume");
    }

    @Test
    void verifierThatThrowsOrReturnsNullIsTreatedAsUnavailable() {
        DeviceAuthenticator throwing = new DeviceAuthenticator(
                (thing, secret) -> {
                    throw new IllegalStateException("bug");
                },
                TIMEOUT);
        DeviceAuthenticator returningNull = new DeviceAuthenticator((thing, secret) -> null, TIMEOUT);
        Recorder second = new Recorder();

        throwing.onConnect(connect("car-1", "car-1", "secret"), output.proxy());
        returningNull.onConnect(connect("car-1", "car-1", "secret"), second.proxy());

        assertThat(output.calls)
                .contains("failAuthentication SERVER_UNAVAILABLE credential store unavailable", "resume");
        assertThat(second.calls)
                .contains("failAuthentication SERVER_UNAVAILABLE credential store unavailable", "resume");
    }

    @Test
    void answerAfterHiveMqGaveUpIsIgnoredAndStillResumesOnce() {
        CompletableFuture<CredentialVerifier.Result> pending = new CompletableFuture<>();
        DeviceAuthenticator authenticator = new DeviceAuthenticator((thing, secret) -> pending, TIMEOUT);
        authenticator.onConnect(connect("car-1", "car-1", "secret"), output.proxy());
        output.decisionsRefused = true; // what HiveMQ's output does once the timeout fallback was applied

        pending.complete(new CredentialVerifier.Refused("too late"));

        assertThat(output.calls).endsWith("resume").filteredOn("resume"::equals).hasSize(1);
    }

    @Test
    void everyRefusedConnectCountsOneAuthFailureInTheMetricsAndASuccessNone() {
        MetricRegistry registry = new MetricRegistry();
        ShadowMetrics metrics = new ShadowMetrics(registry);
        Counter failures = registry.counter(ShadowMetrics.PREFIX + "auth.failures");
        CompletableFuture<CredentialVerifier.Result> late = new CompletableFuture<>();
        List<CompletableFuture<CredentialVerifier.Result>> answers = new ArrayList<>(List.of(
                CompletableFuture.completedFuture(
                        new CredentialVerifier.Verified(new ConnectedThing(ThingId.of("car-1"), Owner.of("alice")))),
                CompletableFuture.completedFuture(new CredentialVerifier.Refused("wrong secret")),
                CompletableFuture.failedFuture(new IllegalStateException("store down")),
                late));
        DeviceAuthenticator authenticator = new DeviceAuthenticator(
                (thing, secret) -> answers.remove(0),
                TIMEOUT,
                new AuthFailureBrake(new AuthFailureLimit(1, 100, Duration.ofMinutes(1), Duration.ofMinutes(1))),
                metrics::authFailure,
                permissions -> {});

        authenticator.onConnect(connect("car-1", "car-1", "secret"), new Recorder().proxy());
        assertThat(failures.getCount()).as("verified").isZero();
        authenticator.onConnect(connect("bad/id", "bad/id", "secret"), new Recorder().proxy());
        assertThat(failures.getCount()).as("malformed").isEqualTo(1);
        authenticator.onConnect(connect("car-1", "car-1", "wrong"), new Recorder().proxy());
        assertThat(failures.getCount()).as("wrong secret").isEqualTo(2);
        authenticator.onConnect(connect("car-1", "car-1", "secret"), new Recorder().proxy());
        assertThat(failures.getCount()).as("braked").isEqualTo(3);
        authenticator.onConnect(connect("car-2", "car-2", "secret"), new Recorder().proxy());
        assertThat(failures.getCount()).as("store unavailable").isEqualTo(4);
        Recorder timedOut = new Recorder();
        authenticator.onConnect(connect("car-3", "car-3", "secret"), timedOut.proxy());
        timedOut.decisionsRefused = true; // HiveMQ applied the timeout fallback: refused
        late.complete(new CredentialVerifier.Verified(new ConnectedThing(ThingId.of("car-3"), Owner.of("alice"))));
        assertThat(failures.getCount()).as("timed out").isEqualTo(5);
    }

    private static SimpleAuthInput connect(String clientId, String userName, String password) {
        ConnectPacket packet = fake(ConnectPacket.class, (method, args) -> switch (method) {
            case "getClientId" -> clientId;
            case "getMqttVersion" -> MqttVersion.V_5;
            case "getUserName" -> Optional.of(userName);
            case "getPassword" ->
                Optional.of(ByteBuffer.wrap(password.getBytes(StandardCharsets.UTF_8))
                        .asReadOnlyBuffer());
            default -> throw new UnsupportedOperationException(method);
        });
        ConnectionInformation connection = fake(ConnectionInformation.class, (method, args) -> switch (method) {
            case "getInetAddress" -> Optional.of(InetAddress.getLoopbackAddress());
            default -> throw new UnsupportedOperationException(method);
        });
        return fake(SimpleAuthInput.class, (method, args) -> switch (method) {
            case "getConnectPacket" -> packet;
            case "getConnectionInformation" -> connection;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    /** Records every decision HiveMQ's output receives, in order. */
    private static final class Recorder {
        final List<String> calls = new ArrayList<>();
        boolean decisionsRefused;

        SimpleAuthOutput proxy() {
            ModifiableDefaultPermissions permissions = fake(ModifiableDefaultPermissions.class, (method, args) -> {
                if (method.equals("setDefaultBehaviour")) {
                    calls.add("defaultBehaviour " + args[0]);
                    return null;
                }
                throw new UnsupportedOperationException(method);
            });
            @SuppressWarnings("unchecked")
            Async<SimpleAuthOutput> async = fake(Async.class, (method, args) -> {
                if (method.equals("resume")) {
                    calls.add("resume");
                    return null;
                }
                throw new UnsupportedOperationException(method);
            });
            return fake(SimpleAuthOutput.class, (method, args) -> {
                switch (method) {
                    case "async" -> {
                        calls.add("async " + args[0] + " " + (TimeoutFallback) args[1] + " "
                                + (ConnackReasonCode) args[2] + " " + args[3]);
                        return async;
                    }
                    case "getDefaultPermissions" -> {
                        return permissions;
                    }
                    case "failAuthentication", "authenticateSuccessfully" -> {
                        if (decisionsRefused) {
                            throw new UnsupportedOperationException("already decided");
                        }
                        calls.add(method + (args == null ? "" : " " + args[0] + " " + args[1]));
                        return null;
                    }
                    default -> throw new UnsupportedOperationException(method);
                }
            });
        }
    }

    private interface Answer {
        Object answer(String method, Object[] args) throws Exception;
    }

    private static <T> T fake(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(
                type.getClassLoader(),
                new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals("toString")
                        ? "fake " + type.getSimpleName()
                        : answer.answer(method.getName(), args)));
    }

    static {
        // Keep DefaultAuthorizationBehaviour referenced: the expected strings above are its constant names.
        assertThat(DefaultAuthorizationBehaviour.DENY.name()).isEqualTo("DENY");
    }
}
