package io.shadowmq.extension.config;

import io.shadowmq.store.Pepper;
import io.shadowmq.store.settings.StoreSetting;
import io.shadowmq.store.settings.StoreSettings;
import org.jetbrains.annotations.NotNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the extension reads from {@code conf/config.xml} in its folder, validated, with defaults filled in.
 * {@link ConfigParser} builds it; its {@link #toString()} is safe to log (no pepper, no Redis password).
 * <pre>{@code
 * ExtensionConfig config = new ConfigParser(EnvSubstitution.ofSystemEnvironment()).parse(extensionHome);
 * Duration timeout = config.storeTimeout();   // 2 s unless configured
 * }</pre>
 *
 * @param store            the settings it shares with the REST service, read by the same table
 *                         ({@link StoreSetting}): Redis, pepper, timeouts, feed, limits, thing models, presence
 * @param rateLimit        shadow requests per thing
 * @param authFailureLimit brake on repeated failed CONNECTs
 * @param credentialCache  in-memory cache of verified credentials
 * @param connectQueue     how many credential checks ask Redis at once, and how long the others wait
 */
public record ExtensionConfig(
        @NotNull StoreSettings store,
        @NotNull RateLimit rateLimit,
        @NotNull AuthFailureLimit authFailureLimit,
        @NotNull CredentialCache credentialCache,
        @NotNull ConnectQueue connectQueue) {

    public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofMillis(2000);
    /** 64 KiB, docs/protocol.md. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 65_536;
    /** 32 KiB, docs/protocol.md. */
    public static final int DEFAULT_MAX_STATE_BYTES = 32_768;

    public ExtensionConfig {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(authFailureLimit, "authFailureLimit");
        Objects.requireNonNull(credentialCache, "credentialCache");
        Objects.requireNonNull(connectQueue, "connectQueue");
    }

    /** Where the shadow store is. */
    public @NotNull RedisConnection redis() {
        if (store.redissonConfig().isPresent()) {
            return new RedisConnection.RedissonConfigFile(store.redissonConfig().get());
        }
        String address = Objects.requireNonNull(store.redisAddress());
        return address.contains(",")
                ? RedisConnection.ClusterNodes.parse(address)
                : RedisConnection.Address.parse(address);
    }

    /** How long one store call may take before the request is answered 503. */
    public @NotNull Duration storeTimeout() {
        return store.storeTimeout();
    }

    /** Key of the secret hash. */
    public @NotNull Pepper pepper() {
        return store.pepper();
    }

    /** A folder of {@code <type>.json} thing models; empty means the models bundled in the jar. */
    public @NotNull Optional<Path> thingModelsDir() {
        return store.thingModelsDir();
    }

    /** Larger shadow requests are rejected with 413. */
    public int maxPayloadBytes() {
        return store.maxPayloadBytes();
    }

    /** Updates that would make the stored state larger are rejected with 413. */
    public int maxStateBytes() {
        return store.maxStateBytes();
    }

    /** This broker's liveness lease and how often it looks for dead brokers. */
    public @NotNull PresenceLease presenceLease() {
        return new PresenceLease(store.presenceLease(), store.presenceLeaseRenew(), store.presenceReapInterval());
    }

    /** The change feed's partitions and length; partitions must agree on every node. */
    public @NotNull ChangeFeedSettings feed() {
        return new ChangeFeedSettings(store.feedPartitions(), store.feedMaxLength());
    }

    /**
     * Replicas that must have a shadow update before it is accepted (Redis {@code WAIT}); 0 accepts once the master
     * has it.
     */
    public int replicaAcks() {
        return store.replicaAcks();
    }
}
