package io.shadowmq.sdk;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.internal.HiveMqTransport;
import io.shadowmq.sdk.internal.MqttTransport;
import io.shadowmq.sdk.internal.ReconnectBackoff;
import io.shadowmq.sdk.internal.ShadowSession;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Configures a {@link ShadowClient}. Immutable: every method returns a new builder and leaves this one as it was, so a
 * half-configured builder can be shared and specialised.
 *
 * <pre>{@code
 * ShadowClient client = ShadowClient.builder()
 *         .host("mqtt.example.com").port(8883).tls(true)
 *         .thing("car-1").secret(System.getenv("CAR_SECRET"))
 *         .type("car")
 *         .build();
 * }</pre>
 *
 * <p>Defaults: {@code localhost}, port 1883 (8883 with TLS), MQTT 5, request timeout 10 s, 20 updates/s per thing,
 * 32 KiB report buffer, reconnect backoff from 0.5 s up to 30 s, the platform's default limits.
 */
public final class ShadowClientBuilder {

    /** How long a sent request waits for its answer unless {@link #requestTimeout} says otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The pace of updates per thing unless {@link #updatesPerSecond} says otherwise: the platform's rate limit. */
    public static final double DEFAULT_UPDATES_PER_SECOND = 20;
    /** The bound of the report buffer unless {@link #offlineBufferBytes} says otherwise. */
    public static final int DEFAULT_OFFLINE_BUFFER_BYTES = 32 * 1024;
    /** The broker port without TLS. */
    public static final int DEFAULT_PORT = 1883;
    /** The broker port with TLS. */
    public static final int DEFAULT_TLS_PORT = 8883;

    static final int KEEP_ALIVE_SECONDS = 30;

    private String host = "localhost";
    private int port = -1;
    private @Nullable String thing;
    private @Nullable String secret;
    private @Nullable ThingModel model;
    private boolean tls;
    private @Nullable TrustManagerFactory trust;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private MqttProtocolVersion mqttVersion = MqttProtocolVersion.V5;
    private double updatesPerSecond = DEFAULT_UPDATES_PER_SECOND;
    private int offlineBufferBytes = DEFAULT_OFFLINE_BUFFER_BYTES;
    private Duration reconnectInitialDelay = ReconnectBackoff.DEFAULT_INITIAL;
    private Duration reconnectMaxDelay = ReconnectBackoff.DEFAULT_MAX;
    private ShadowLimits limits = ShadowLimits.DEFAULT;

    ShadowClientBuilder() {}

    /** A copy with one change: how every setter keeps this builder as it was. */
    private ShadowClientBuilder with(Consumer<ShadowClientBuilder> change) {
        ShadowClientBuilder copy = copy();
        change.accept(copy);
        return copy;
    }

    private ShadowClientBuilder copy() {
        ShadowClientBuilder copy = new ShadowClientBuilder();
        copy.host = host;
        copy.port = port;
        copy.thing = thing;
        copy.secret = secret;
        copy.model = model;
        copy.tls = tls;
        copy.trust = trust;
        copy.requestTimeout = requestTimeout;
        copy.mqttVersion = mqttVersion;
        copy.updatesPerSecond = updatesPerSecond;
        copy.offlineBufferBytes = offlineBufferBytes;
        copy.reconnectInitialDelay = reconnectInitialDelay;
        copy.reconnectMaxDelay = reconnectMaxDelay;
        copy.limits = limits;
        return copy;
    }

    /** The broker's host name or address. Example: {@code .host("mqtt.example.com")}. */
    public @NotNull ShadowClientBuilder host(@NotNull String host) {
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        return with(copy -> copy.host = host);
    }

    /** The broker's port; default 1883, or 8883 with TLS. Example: {@code .port(1884)}. */
    public @NotNull ShadowClientBuilder port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        return with(copy -> copy.port = port);
    }

    /** The thing this device is: client id and user name on the broker. Example: {@code .thing("car-1")}. */
    public @NotNull ShadowClientBuilder thing(@NotNull String thingId) {
        return with(copy -> copy.thing = ThingId.of(thingId).value());
    }

    /** The thing's secret, as shown once at provisioning. Example: {@code .secret(System.getenv("SECRET"))}. */
    public @NotNull ShadowClientBuilder secret(@NotNull String secret) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        return with(copy -> copy.secret = secret);
    }

    /**
     * The thing's model, so that reports are checked before they are sent (422 with the platform's message).
     * Example: {@code .model(ThingModels.bundled().get("car").orElseThrow())}.
     */
    public @NotNull ShadowClientBuilder model(@NotNull ThingModel model) {
        return with(copy -> copy.model = model);
    }

    /**
     * The thing's type, one of the models shipped with the SDK ({@code car}, {@code speaker}, {@code fridge},
     * {@code washer}). Example: {@code .type("car")}.
     *
     * @throws IllegalArgumentException for a type without a bundled model; use {@link #model} for your own
     */
    public @NotNull ShadowClientBuilder type(@NotNull String type) {
        return model(bundledModel(type));
    }

    /** Connect over TLS, trusting the JVM's default CAs unless {@link #trustStore} says otherwise. */
    public @NotNull ShadowClientBuilder tls(boolean tls) {
        return with(copy -> copy.tls = tls);
    }

    /**
     * Connect over TLS and trust the certificates in this key store (PKCS#12 or JKS). Example:
     * {@code .trustStore(Path.of("ca.p12"), "changeit".toCharArray())}.
     *
     * @throws UncheckedIOException     when the file cannot be read
     * @throws IllegalArgumentException when it is not a key store or the password is wrong
     */
    public @NotNull ShadowClientBuilder trustStore(@NotNull Path path, char @Nullable [] password) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, password);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return trustManagerFactory(factory);
        } catch (IOException e) {
            if (e.getCause() instanceof GeneralSecurityException) {
                throw new IllegalArgumentException("cannot read trust store " + path + ": " + e.getMessage(), e);
            }
            throw new UncheckedIOException("cannot read trust store " + path, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read trust store " + path + ": " + e.getMessage(), e);
        }
    }

    /** Connect over TLS and decide trust with this factory. Example: {@code .trustManagerFactory(factory)}. */
    public @NotNull ShadowClientBuilder trustManagerFactory(@NotNull TrustManagerFactory factory) {
        return with(copy -> {
            copy.tls = true;
            copy.trust = factory;
        });
    }

    /**
     * How long to wait for the answer to a sent request; default 10 s. A report waiting for the connection or for
     * pacing is not yet sent: its wait does not count. Example: {@code .requestTimeout(Duration.ofSeconds(5))}.
     */
    public @NotNull ShadowClientBuilder requestTimeout(@NotNull Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive, was " + timeout);
        }
        return with(copy -> copy.requestTimeout = timeout);
    }

    /** MQTT 5 (default) or 3.1.1. Example: {@code .mqttVersion(MqttProtocolVersion.V3_1_1)}. */
    public @NotNull ShadowClientBuilder mqttVersion(@NotNull MqttProtocolVersion version) {
        return with(copy -> copy.mqttVersion = version);
    }

    /**
     * The most updates per second the client sends to one thing; set it to the platform's rate limit (default 20).
     * Faster reports wait and coalesce instead of being refused with 429. Example: {@code .updatesPerSecond(5)}.
     */
    public @NotNull ShadowClientBuilder updatesPerSecond(double updatesPerSecond) {
        if (!(updatesPerSecond > 0) || Double.isInfinite(updatesPerSecond)) {
            throw new IllegalArgumentException("updates per second must be positive, was " + updatesPerSecond);
        }
        return with(copy -> copy.updatesPerSecond = updatesPerSecond);
    }

    /**
     * How many bytes of coalesced reports may wait while offline (default 32 KiB); beyond it reports fail with
     * {@link ShadowBufferFullException}. Example: {@code .offlineBufferBytes(8 * 1024)}.
     */
    public @NotNull ShadowClientBuilder offlineBufferBytes(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("buffer size must be positive, was " + bytes);
        }
        return with(copy -> copy.offlineBufferBytes = bytes);
    }

    /**
     * The reconnect backoff: the first retry waits up to {@code initial}, each further one up to twice as long, never
     * more than {@code max}; each wait is jittered between half and all of that. Defaults 0.5 s and 30 s. Example:
     * {@code .reconnectDelay(Duration.ofSeconds(1), Duration.ofMinutes(2))}.
     */
    public @NotNull ShadowClientBuilder reconnectDelay(@NotNull Duration initial, @NotNull Duration max) {
        new ReconnectBackoff(initial, max, () -> 0); // validates
        return with(copy -> {
            copy.reconnectInitialDelay = initial;
            copy.reconnectMaxDelay = max;
        });
    }

    /**
     * The platform's limits, if it was configured with other ones than the contract's defaults (64 KiB payload,
     * 32 KiB state, depth 8). Example: {@code .limits(new ShadowLimits(65536, 16384, 8))}.
     */
    public @NotNull ShadowClientBuilder limits(@NotNull ShadowLimits limits) {
        return with(copy -> copy.limits = limits);
    }

    /**
     * A client with this configuration, not yet connected.
     *
     * @throws IllegalStateException when the thing or the secret is missing
     */
    public @NotNull ShadowClient build() {
        if (thing == null || secret == null) {
            throw new IllegalStateException("a shadow client needs thing(..) and secret(..)");
        }
        MqttClientSslConfig tlsConfig = null;
        if (tls) {
            tlsConfig = trust == null
                    ? MqttClientSslConfig.builder().build()
                    : MqttClientSslConfig.builder().trustManagerFactory(trust).build();
        }
        int effectivePort = port > 0 ? port : tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        HiveMqTransport.Endpoint endpoint = new HiveMqTransport.Endpoint(
                host, effectivePort, tlsConfig, ThingId.of(thing), secret, KEEP_ALIVE_SECONDS);
        ReconnectBackoff backoff = new ReconnectBackoff(
                reconnectInitialDelay,
                reconnectMaxDelay,
                () -> ThreadLocalRandom.current().nextDouble());
        return build(HiveMqTransport.create(mqttVersion, endpoint, backoff));
    }

    /** A client over the given transport: the real one from {@link #build()}, or a fake in tests. */
    @NotNull
    ShadowClient build(@NotNull MqttTransport transport) {
        if (thing == null) {
            throw new IllegalStateException("a shadow client needs thing(..)");
        }
        ThingId id = ThingId.of(thing);
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "shadowmq-sdk-" + id);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        ShadowSession.Settings settings =
                new ShadowSession.Settings(id, model, limits, requestTimeout, updatesPerSecond, offlineBufferBytes);
        return new ShadowClient(new ShadowSession(settings, transport, scheduler, System::nanoTime), scheduler);
    }

    static @NotNull ThingModel bundledModel(@NotNull String type) {
        return Bundled.MODELS
                .get(type)
                .orElseThrow(() -> new IllegalArgumentException("no bundled thing model '" + ThingId.printable(type)
                        + "'; bundled: " + Bundled.MODELS.types()));
    }

    /** Read from the jar once, when first needed. */
    private static final class Bundled {
        static final ThingModels MODELS = ThingModels.bundled();
    }
}
