package io.shadowmq.extension.config;

import io.shadowmq.store.Pepper;
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
 * @param redis            where the shadow store is
 * @param storeTimeout     how long one store call may take before the request is answered 503
 * @param pepper           key of the secret hash; required
 * @param thingModelsDir   a folder of {@code <type>.json} thing models; empty means the models bundled in the jar
 * @param maxPayloadBytes  larger shadow requests are rejected with 413
 * @param maxStateBytes    updates that would make the stored state larger are rejected with 413
 * @param rateLimit        shadow requests per thing
 * @param authFailureLimit brake on repeated failed CONNECTs
 * @param credentialCache  in-memory cache of verified credentials
 * @param connectQueue     how many credential checks ask Redis at once, and how long the others wait
 * @param presenceLease    this broker's liveness lease and how often it looks for dead brokers
 * @param feed             the change feed's partitions and length; partitions must agree on every node
 * @param replicaAcks      replicas that must have a shadow update before it is accepted (Redis {@code WAIT}); 0
 *                         accepts once the master has it
 */
public record ExtensionConfig(
        @NotNull RedisConnection redis,
        @NotNull Duration storeTimeout,
        @NotNull Pepper pepper,
        @NotNull Optional<Path> thingModelsDir,
        int maxPayloadBytes,
        int maxStateBytes,
        @NotNull RateLimit rateLimit,
        @NotNull AuthFailureLimit authFailureLimit,
        @NotNull CredentialCache credentialCache,
        @NotNull ConnectQueue connectQueue,
        @NotNull PresenceLease presenceLease,
        @NotNull ChangeFeedSettings feed,
        int replicaAcks) {

    public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofMillis(2000);
    /** 64 KiB, docs/protocol.md. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 65_536;
    /** 32 KiB, docs/protocol.md. */
    public static final int DEFAULT_MAX_STATE_BYTES = 32_768;

    public ExtensionConfig {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(storeTimeout, "storeTimeout");
        Objects.requireNonNull(pepper, "pepper");
        Objects.requireNonNull(thingModelsDir, "thingModelsDir");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(authFailureLimit, "authFailureLimit");
        Objects.requireNonNull(credentialCache, "credentialCache");
        Objects.requireNonNull(connectQueue, "connectQueue");
        Objects.requireNonNull(presenceLease, "presenceLease");
        Objects.requireNonNull(feed, "feed");
        if (storeTimeout.isNegative() || storeTimeout.isZero()) {
            throw new IllegalArgumentException("store timeout must be positive, was " + storeTimeout);
        }
        if (maxPayloadBytes < 1 || maxStateBytes < 1) {
            throw new IllegalArgumentException("size limits must be positive");
        }
    }
}
