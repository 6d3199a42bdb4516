package io.shadowmq.service;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link ServiceConfig} from a properties file ({@code config/shadow-service.properties}) and the environment.
 * The environment wins over the file, the file over the defaults. Every setting has exactly one property key and one
 * environment variable, listed in {@link #SETTINGS} (and in docs/rest.md); an unknown key in the file is an error, so
 * a typo never silently leaves a default in place.
 *
 * <pre>{@code
 * ServiceConfig config = ServiceConfigLoader.load(Path.of("config/shadow-service.properties"), System.getenv());
 * }</pre>
 */
public final class ServiceConfigLoader {

    /** The admin token is read from the environment only: it should not sit in a file next to the rest. */
    public static final String ADMIN_TOKEN_ENV = "SHADOWMQ_ADMIN_TOKEN";

    private static final Pattern DURATION = Pattern.compile("^(\\d+)\\s*(ms|s|m|h)$");

    /** One setting: its property key, its environment variable, and how it lands in the builder. */
    record Setting(String key, String env, BiConsumer<ServiceConfig.Builder, String> apply) {
    }

    static final List<Setting> SETTINGS = List.of(
            new Setting("http.host", "SHADOWMQ_HTTP_HOST", ServiceConfig.Builder::httpHost),
            new Setting("http.port", "SHADOWMQ_HTTP_PORT", (b, v) -> b.httpPort(integer("http.port", v))),
            new Setting("http.requestTimeout", "SHADOWMQ_HTTP_REQUEST_TIMEOUT",
                    (b, v) -> b.requestTimeout(duration("http.requestTimeout", v))),
            new Setting("http.idleTimeout", "SHADOWMQ_HTTP_IDLE_TIMEOUT",
                    (b, v) -> b.idleTimeout(duration("http.idleTimeout", v))),
            new Setting("http.shutdownGrace", "SHADOWMQ_HTTP_SHUTDOWN_GRACE",
                    (b, v) -> b.shutdownGrace(duration("http.shutdownGrace", v))),
            new Setting("http.headerTimeout", "SHADOWMQ_HTTP_HEADER_TIMEOUT",
                    (b, v) -> b.headerTimeout(duration("http.headerTimeout", v))),
            new Setting("http.bodyTimeout", "SHADOWMQ_HTTP_BODY_TIMEOUT",
                    (b, v) -> b.bodyTimeout(duration("http.bodyTimeout", v))),
            new Setting("http.maxConnections", "SHADOWMQ_HTTP_MAX_CONNECTIONS",
                    (b, v) -> b.maxConnections(integer("http.maxConnections", v))),
            new Setting("http.maxConnectionsPerAddress", "SHADOWMQ_HTTP_MAX_CONNECTIONS_PER_ADDRESS",
                    (b, v) -> b.maxConnectionsPerAddress(integer("http.maxConnectionsPerAddress", v))),
            new Setting("redis.address", "SHADOWMQ_REDIS", ServiceConfig.Builder::redisAddress),
            new Setting("redis.configFile", "SHADOWMQ_REDIS_CONFIG",
                    (b, v) -> b.redissonConfigFile(v.isBlank() ? null : Path.of(v))),
            new Setting("store.pepper", "SHADOWMQ_PEPPER", ServiceConfigLoader::pepper),
            new Setting("store.timeout", "SHADOWMQ_STORE_TIMEOUT",
                    (b, v) -> b.storeTimeout(duration("store.timeout", v))),
            new Setting("store.nettyThreads", "SHADOWMQ_STORE_NETTY_THREADS",
                    (b, v) -> b.storeNettyThreads(integer("store.nettyThreads", v))),
            new Setting("feed.partitions", "SHADOWMQ_FEED_PARTITIONS",
                    (b, v) -> b.feedPartitions(integer("feed.partitions", v))),
            new Setting("feed.maxLength", "SHADOWMQ_FEED_MAX_LENGTH",
                    (b, v) -> b.feedMaxLength(integer("feed.maxLength", v))),
            new Setting("sse.heartbeat", "SHADOWMQ_SSE_HEARTBEAT",
                    (b, v) -> b.sseHeartbeat(duration("sse.heartbeat", v))),
            new Setting("sse.bufferEvents", "SHADOWMQ_SSE_BUFFER_EVENTS",
                    (b, v) -> b.sseBufferEvents(integer("sse.bufferEvents", v))),
            new Setting("sse.maxStreams", "SHADOWMQ_SSE_MAX_STREAMS",
                    (b, v) -> b.sseMaxStreams(integer("sse.maxStreams", v))),
            new Setting("sse.maxStreamsPerKey", "SHADOWMQ_SSE_MAX_STREAMS_PER_KEY",
                    (b, v) -> b.sseMaxStreamsPerKey(integer("sse.maxStreamsPerKey", v))),
            new Setting("auth.keyCacheTtl", "SHADOWMQ_AUTH_KEY_CACHE_TTL",
                    (b, v) -> b.apiKeyCacheTtl(duration("auth.keyCacheTtl", v))),
            new Setting("models.dir", "SHADOWMQ_MODELS_DIR", (b, v) -> b.modelsDir(v.isBlank() ? null : Path.of(v))),
            new Setting("presence.reapInterval", "SHADOWMQ_PRESENCE_REAP_INTERVAL",
                    (b, v) -> b.presenceReapInterval(duration("presence.reapInterval", v))),
            new Setting("shadow.maxStateBytes", "SHADOWMQ_MAX_STATE_BYTES",
                    (b, v) -> b.maxStateBytes(integer("shadow.maxStateBytes", v))));

    private ServiceConfigLoader() {
    }

    /**
     * The configuration from {@code file} (may be {@code null}: defaults and environment only) and {@code env}.
     *
     * @throws IllegalArgumentException with a one-line reason naming the setting (unknown key, bad value, missing
     *                                  pepper) or the file that cannot be read
     */
    public static @NotNull ServiceConfig load(@Nullable Path file, @NotNull Map<String, String> env) {
        Properties properties = new Properties();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
        }
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        SETTINGS.forEach(setting -> unknown.remove(setting.key()));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting(s) in " + file + ": " + String.join(", ", unknown));
        }
        ServiceConfig.Builder builder = ServiceConfig.builder();
        for (Setting setting : SETTINGS) {
            String value = valueOf(setting, properties, env);
            if (value != null) {
                setting.apply().accept(builder, value);
            }
        }
        String adminToken = env.get(ADMIN_TOKEN_ENV);
        if (adminToken != null && !adminToken.isBlank()) {
            builder.adminToken(adminToken.strip());
        }
        return builder.build();
    }

    private static void pepper(ServiceConfig.Builder builder, String value) {
        try {
            builder.pepper(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store.pepper: " + e.getMessage(), e);
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    static @NotNull Duration duration(@NotNull String key, @NotNull String value) {
        Matcher matcher = DURATION.matcher(value.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(key + ": expected a duration like 500ms, 2s, 5m or 1h, was '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    static int integer(@NotNull String key, @NotNull String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected an integer, was '" + value + "'");
        }
    }

    private static @Nullable String valueOf(Setting setting, Properties properties, Map<String, String> env) {
        String fromEnv = env.get(setting.env());
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        String fromFile = properties.getProperty(setting.key());
        return fromFile == null || fromFile.isBlank() ? null : fromFile.strip();
    }
}
