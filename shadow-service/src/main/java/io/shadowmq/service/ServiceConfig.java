package io.shadowmq.service;

import io.shadowmq.store.Pepper;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.settings.StoreSetting;
import io.shadowmq.store.settings.StoreSettings;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * Everything the REST service needs to run: where it listens, how it reaches Redis, its secrets and its limits.
 * Read from {@code config/shadow-service.properties} and the environment by {@link ServiceConfigLoader}, or built in
 * code by whoever embeds the service.
 *
 * <pre>{@code
 * ServiceConfig config = ServiceConfig.builder()
 *         .redisAddress("redis://127.0.0.1:6379")
 *         .pepper("a-server-side-secret-of-16+-bytes")
 *         .httpPort(0)                      // any free port
 *         .build();
 * try (ShadowService service = ShadowService.start(config)) { ... service.port() ... }
 * }</pre>
 *
 * @param httpHost           interface to bind, {@code 0.0.0.0} for all
 * @param httpPort           port to bind; 0 picks a free one
 * @param store              the settings shared with the broker extension, read by the same table
 *                           ({@link StoreSetting}): Redis, pepper, store timeout, feed, limits, thing models,
 *                           presence
 * @param adminToken         the admin bearer token, or {@code null} to generate one and print it once
 * @param requestTimeout     bound of a whole request (several store calls); past it the answer is 503
 * @param idleTimeout        Jetty's idle timeout: how long a stalled connection (or a blocked write) may last
 * @param shutdownGrace      how long {@code close()} lets in-flight requests finish
 * @param headerTimeout      how long a request head (request line and headers) may take to arrive once its first byte
 *                           did; past it the connection is closed
 * @param bodyTimeout        how long a request body may take to arrive in full once its head did; past it 408
 * @param maxConnections     open HTTP connections in all; beyond it new ones wait to be accepted
 * @param maxConnectionsPerAddress open HTTP connections from one client address; beyond it new ones are closed at
 *                           once; 0 for no per-address limit (behind a reverse proxy every client has its address)
 * @param sseHeartbeat       interval of the SSE keep-alive comment
 * @param sseBufferEvents    events one SSE client may have queued before it counts as too slow and is disconnected
 * @param sseMaxStreams      open event streams in all; beyond it a new stream is refused with 429
 * @param sseMaxStreamsPerKey open event streams of one API key (the admin token counts as one key); beyond it 429
 * @param apiKeyCacheTtl     how long a token lookup is remembered; at most {@link #MAX_API_KEY_CACHE_TTL}, so that a
 *                           revoked key stops working within that time
 */
public record ServiceConfig(
        @NotNull String httpHost,
        int httpPort,
        @NotNull StoreSettings store,
        @Nullable String adminToken,
        @NotNull Duration requestTimeout,
        @NotNull Duration idleTimeout,
        @NotNull Duration shutdownGrace,
        @NotNull Duration headerTimeout,
        @NotNull Duration bodyTimeout,
        int maxConnections,
        int maxConnectionsPerAddress,
        @NotNull Duration sseHeartbeat,
        int sseBufferEvents,
        int sseMaxStreams,
        int sseMaxStreamsPerKey,
        @NotNull Duration apiKeyCacheTtl) {

    public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_REDIS_ADDRESS = Objects.requireNonNull(StoreSetting.REDIS_ADDRESS.defaultText());
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    public static final int DEFAULT_SSE_MAX_STREAMS = 5_000;
    public static final int DEFAULT_SSE_MAX_STREAMS_PER_KEY = 200;
    public static final Duration DEFAULT_SSE_HEARTBEAT = Duration.ofSeconds(15);
    public static final int DEFAULT_SSE_BUFFER_EVENTS = 1000;
    public static final Duration DEFAULT_API_KEY_CACHE_TTL = Duration.ofSeconds(5);
    /** The brokers' default too: a killed broker's things are shown disconnected within its 15 s lease + 5 s. */
    public static final Duration DEFAULT_PRESENCE_REAP_INTERVAL =
            Objects.requireNonNull(StoreSetting.PRESENCE_REAP_INTERVAL.defaultValue());
    /** A revoked API key must stop working within this time, in every service instance. */
    public static final Duration MAX_API_KEY_CACHE_TTL = Duration.ofSeconds(5);
    /** Admin tokens shorter than this are too easy to guess. */
    public static final int MIN_ADMIN_TOKEN_CHARS = 16;

    public ServiceConfig {
        Objects.requireNonNull(httpHost, "httpHost");
        if (httpHost.isBlank()) {
            throw new IllegalArgumentException("http.host must not be empty");
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("http.port must be 0..65535, was " + httpPort);
        }
        Objects.requireNonNull(store, "store");
        requireValidAdminToken(adminToken);
        positive("http.requestTimeout", requestTimeout);
        positive("http.idleTimeout", idleTimeout);
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("http.shutdownGrace must not be negative, was " + shutdownGrace);
        }
        positive("http.headerTimeout", headerTimeout);
        positive("http.bodyTimeout", bodyTimeout);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("http.maxConnections must be at least 1, was " + maxConnections);
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException(
                    "http.maxConnectionsPerAddress must be 0 (no limit) or more, was " + maxConnectionsPerAddress);
        }
        positive("sse.heartbeat", sseHeartbeat);
        if (sseMaxStreams < 1) {
            throw new IllegalArgumentException("sse.maxStreams must be at least 1, was " + sseMaxStreams);
        }
        if (sseMaxStreamsPerKey < 1) {
            throw new IllegalArgumentException("sse.maxStreamsPerKey must be at least 1, was " + sseMaxStreamsPerKey);
        }
        if (sseBufferEvents < 10) {
            throw new IllegalArgumentException("sse.bufferEvents must be at least 10, was " + sseBufferEvents);
        }
        positive("auth.keyCacheTtl", apiKeyCacheTtl);
        if (apiKeyCacheTtl.compareTo(MAX_API_KEY_CACHE_TTL) > 0) {
            throw new IllegalArgumentException("auth.keyCacheTtl must be at most " + MAX_API_KEY_CACHE_TTL.toSeconds()
                    + " s (revocation must take effect within it), was " + apiKeyCacheTtl);
        }
    }

    /**
     * Refuses an admin token that is too short or not printable ASCII without spaces; {@code null} (generate one)
     * passes. Lets a launcher check the token before it starts anything else.
     *
     * @throws IllegalArgumentException saying what is wrong with the token, never the token itself
     */
    public static void requireValidAdminToken(@Nullable String adminToken) {
        if (adminToken != null && adminToken.length() < MIN_ADMIN_TOKEN_CHARS) {
            throw new IllegalArgumentException(
                    "the admin token must have at least " + MIN_ADMIN_TOKEN_CHARS + " characters");
        }
        if (adminToken != null && !adminToken.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the admin token must be printable ASCII without spaces");
        }
    }

    public static @NotNull Builder builder() {
        return new Builder();
    }

    /** The store's part of this configuration. */
    public @NotNull StoreConfig storeConfig() {
        return store.storeConfig();
    }

    /** A standalone address or Cluster node list; {@code null} when a Redisson file names the Redis. */
    public @Nullable String redisAddress() {
        return store.redisAddress();
    }

    /** The pepper: every secret's hash and the platform record's check value are keyed with it. */
    public @NotNull Pepper pepper() {
        return store.pepper();
    }

    /** Directory of thing models, or {@code null} for the ones bundled with ShadowMQ. */
    public @Nullable Path modelsDir() {
        return store.thingModelsDir().orElse(null);
    }

    /**
     * How often this service looks for brokers whose liveness lease expired, to mark the things they held
     * disconnected (brokers look too: whoever notices first).
     */
    public @NotNull Duration presenceReapInterval() {
        return store.presenceReapInterval();
    }

    @Override
    public String toString() {
        // Never print the pepper or the admin token (StoreSettings prints neither pepper nor password).
        return "ServiceConfig[http=" + httpHost + ":" + httpPort + ", adminToken="
                + (adminToken == null ? "generated" : "set")
                + ", requestTimeout=" + requestTimeout + ", headerTimeout=" + headerTimeout + ", bodyTimeout="
                + bodyTimeout
                + ", maxConnections=" + maxConnections + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress
                + ", sseHeartbeat=" + sseHeartbeat + ", sseBufferEvents=" + sseBufferEvents + ", sseMaxStreams="
                + sseMaxStreams + ", sseMaxStreamsPerKey=" + sseMaxStreamsPerKey + ", " + store + "]";
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Builds a {@link ServiceConfig}; every setting starts at its documented default, the pepper has none. */
    public static final class Builder {
        private String httpHost = DEFAULT_HTTP_HOST;
        private int httpPort = DEFAULT_HTTP_PORT;
        private final StoreSettings.Builder store = StoreSettings.builder();
        private String adminToken;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private Duration sseHeartbeat = DEFAULT_SSE_HEARTBEAT;
        private int sseBufferEvents = DEFAULT_SSE_BUFFER_EVENTS;
        private int sseMaxStreams = DEFAULT_SSE_MAX_STREAMS;
        private int sseMaxStreamsPerKey = DEFAULT_SSE_MAX_STREAMS_PER_KEY;
        private Duration apiKeyCacheTtl = DEFAULT_API_KEY_CACHE_TTL;

        private Builder() {}

        public @NotNull Builder httpHost(@NotNull String value) {
            httpHost = value;
            return this;
        }

        public @NotNull Builder httpPort(int value) {
            httpPort = value;
            return this;
        }

        /** Every store setting at once, as {@link StoreSettings#read} gives them. */
        public @NotNull Builder store(@NotNull StoreSettings value) {
            store.setAll(value);
            return this;
        }

        public @NotNull Builder redisAddress(@NotNull String value) {
            store.redisAddress(value);
            return this;
        }

        public @NotNull Builder redissonConfigFile(@Nullable Path value) {
            store.redissonConfig(value);
            return this;
        }

        public @NotNull Builder pepper(byte @NotNull [] value) {
            return pepper(Pepper.BASE64_PREFIX + Base64.getEncoder().encodeToString(value));
        }

        /**
         * The pepper as text, read by the same rule as the broker extension's ({@link Pepper}): a plain string's
         * UTF-8 bytes, or {@code base64:...}.
         */
        public @NotNull Builder pepper(@NotNull String value) {
            store.set(StoreSetting.PEPPER, Pepper.parse(value));
            return this;
        }

        public @NotNull Builder adminToken(@Nullable String value) {
            adminToken = value;
            return this;
        }

        public @NotNull Builder storeTimeout(@NotNull Duration value) {
            store.set(StoreSetting.STORE_TIMEOUT, value);
            return this;
        }

        public @NotNull Builder requestTimeout(@NotNull Duration value) {
            requestTimeout = value;
            return this;
        }

        public @NotNull Builder idleTimeout(@NotNull Duration value) {
            idleTimeout = value;
            return this;
        }

        public @NotNull Builder shutdownGrace(@NotNull Duration value) {
            shutdownGrace = value;
            return this;
        }

        public @NotNull Builder headerTimeout(@NotNull Duration value) {
            headerTimeout = value;
            return this;
        }

        public @NotNull Builder bodyTimeout(@NotNull Duration value) {
            bodyTimeout = value;
            return this;
        }

        public @NotNull Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        /** 0 for no per-address limit. */
        public @NotNull Builder maxConnectionsPerAddress(int value) {
            maxConnectionsPerAddress = value;
            return this;
        }

        public @NotNull Builder feedPartitions(int value) {
            store.set(StoreSetting.FEED_PARTITIONS, value);
            return this;
        }

        public @NotNull Builder feedMaxLength(long value) {
            store.set(StoreSetting.FEED_MAX_LENGTH, value);
            return this;
        }

        public @NotNull Builder storeNettyThreads(int value) {
            store.set(StoreSetting.NETTY_THREADS, value);
            return this;
        }

        public @NotNull Builder replicaAcks(int value) {
            store.set(StoreSetting.REPLICA_ACKS, value);
            return this;
        }

        public @NotNull Builder sseHeartbeat(@NotNull Duration value) {
            sseHeartbeat = value;
            return this;
        }

        public @NotNull Builder sseBufferEvents(int value) {
            sseBufferEvents = value;
            return this;
        }

        public @NotNull Builder sseMaxStreams(int value) {
            sseMaxStreams = value;
            return this;
        }

        public @NotNull Builder sseMaxStreamsPerKey(int value) {
            sseMaxStreamsPerKey = value;
            return this;
        }

        public @NotNull Builder apiKeyCacheTtl(@NotNull Duration value) {
            apiKeyCacheTtl = value;
            return this;
        }

        public @NotNull Builder modelsDir(@Nullable Path value) {
            store.set(StoreSetting.THING_MODELS_DIR, value);
            return this;
        }

        public @NotNull Builder presenceReapInterval(@NotNull Duration value) {
            store.set(StoreSetting.PRESENCE_REAP_INTERVAL, value);
            return this;
        }

        public @NotNull Builder maxStateBytes(int value) {
            store.set(StoreSetting.MAX_STATE_BYTES, value);
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is missing or out of range */
        public @NotNull ServiceConfig build() {
            return new ServiceConfig(
                    httpHost,
                    httpPort,
                    store.build(),
                    adminToken,
                    requestTimeout,
                    idleTimeout,
                    shutdownGrace,
                    headerTimeout,
                    bodyTimeout,
                    maxConnections,
                    maxConnectionsPerAddress,
                    sseHeartbeat,
                    sseBufferEvents,
                    sseMaxStreams,
                    sseMaxStreamsPerKey,
                    apiKeyCacheTtl);
        }
    }
}
