package io.shadowmq.service;

import io.shadowmq.store.settings.EnvSource;
import io.shadowmq.store.settings.KnownVariables;
import io.shadowmq.store.settings.Parsers;
import io.shadowmq.store.settings.PropertiesSource;
import io.shadowmq.store.settings.StoreSetting;
import io.shadowmq.store.settings.StoreSettings;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Reads {@link ServiceConfig} from a properties file ({@code config/shadow-service.properties}) and the environment.
 * The environment wins over the file, the file over the defaults. Every setting has exactly one property key and one
 * environment variable: the store settings shared with the broker extension in {@link StoreSetting} (docs/deploy.md),
 * the service's own in {@link #SETTINGS} (docs/rest.md). An unknown key in the file is an error, so a typo never
 * silently leaves a default in place; an unknown {@code SHADOWMQ_*} environment variable is logged as a warning.
 *
 * <pre>{@code
 * ServiceConfig config = ServiceConfigLoader.load(Path.of("config/shadow-service.properties"), System.getenv());
 * }</pre>
 */
public final class ServiceConfigLoader {

    /** The admin token is read from the environment only: it should not sit in a file next to the rest. */
    public static final String ADMIN_TOKEN_ENV = "SHADOWMQ_ADMIN_TOKEN";

    private static final Logger log = LoggerFactory.getLogger(ServiceConfigLoader.class);
    /** The service's own durations; their ranges are checked by {@link ServiceConfig}. */
    private static final io.shadowmq.store.settings.Setting.Parser<Duration> DURATION =
            Parsers.duration(ChronoUnit.SECONDS, Duration.ZERO, Duration.ofDays(365));

    /** One setting: its property key, its environment variable, and how it lands in the builder. */
    record Setting(String key, String env, BiConsumer<ServiceConfig.Builder, String> apply) {}

    static final List<Setting> SETTINGS = List.of(
            new Setting("http.host", "SHADOWMQ_HTTP_HOST", ServiceConfig.Builder::httpHost),
            new Setting("http.port", "SHADOWMQ_HTTP_PORT", (b, v) -> b.httpPort(integer("http.port", v))),
            new Setting(
                    "http.requestTimeout",
                    "SHADOWMQ_HTTP_REQUEST_TIMEOUT",
                    (b, v) -> b.requestTimeout(duration("http.requestTimeout", v))),
            new Setting(
                    "http.idleTimeout",
                    "SHADOWMQ_HTTP_IDLE_TIMEOUT",
                    (b, v) -> b.idleTimeout(duration("http.idleTimeout", v))),
            new Setting(
                    "http.shutdownGrace",
                    "SHADOWMQ_HTTP_SHUTDOWN_GRACE",
                    (b, v) -> b.shutdownGrace(duration("http.shutdownGrace", v))),
            new Setting(
                    "http.headerTimeout",
                    "SHADOWMQ_HTTP_HEADER_TIMEOUT",
                    (b, v) -> b.headerTimeout(duration("http.headerTimeout", v))),
            new Setting(
                    "http.bodyTimeout",
                    "SHADOWMQ_HTTP_BODY_TIMEOUT",
                    (b, v) -> b.bodyTimeout(duration("http.bodyTimeout", v))),
            new Setting(
                    "http.maxConnections",
                    "SHADOWMQ_HTTP_MAX_CONNECTIONS",
                    (b, v) -> b.maxConnections(integer("http.maxConnections", v))),
            new Setting(
                    "http.maxConnectionsPerAddress",
                    "SHADOWMQ_HTTP_MAX_CONNECTIONS_PER_ADDRESS",
                    (b, v) -> b.maxConnectionsPerAddress(integer("http.maxConnectionsPerAddress", v))),
            new Setting(
                    "sse.heartbeat", "SHADOWMQ_SSE_HEARTBEAT", (b, v) -> b.sseHeartbeat(duration("sse.heartbeat", v))),
            new Setting(
                    "sse.bufferEvents",
                    "SHADOWMQ_SSE_BUFFER_EVENTS",
                    (b, v) -> b.sseBufferEvents(integer("sse.bufferEvents", v))),
            new Setting(
                    "sse.maxStreams",
                    "SHADOWMQ_SSE_MAX_STREAMS",
                    (b, v) -> b.sseMaxStreams(integer("sse.maxStreams", v))),
            new Setting(
                    "sse.maxStreamsPerKey",
                    "SHADOWMQ_SSE_MAX_STREAMS_PER_KEY",
                    (b, v) -> b.sseMaxStreamsPerKey(integer("sse.maxStreamsPerKey", v))),
            new Setting(
                    "auth.keyCacheTtl",
                    "SHADOWMQ_AUTH_KEY_CACHE_TTL",
                    (b, v) -> b.apiKeyCacheTtl(duration("auth.keyCacheTtl", v))));

    private ServiceConfigLoader() {}

    /**
     * The configuration from {@code file} (may be {@code null}: defaults and environment only) and {@code env}.
     *
     * @throws IllegalArgumentException with a one-line reason naming the setting (unknown key, bad value, missing
     *                                  pepper) or the file that cannot be read
     */
    public static @NotNull ServiceConfig load(@Nullable Path file, @NotNull Map<String, String> env) {
        return load(file, env, log::warn);
    }

    /**
     * As {@link #load(Path, Map)}, with the warnings (unknown {@code SHADOWMQ_*} variables, deprecated names) going
     * to {@code warnings}.
     */
    public static @NotNull ServiceConfig load(
            @Nullable Path file, @NotNull Map<String, String> env, @NotNull Consumer<String> warnings) {
        KnownVariables.unknown(env).forEach(warnings);
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
        for (io.shadowmq.store.settings.Setting<?> setting : StoreSetting.ALL) {
            unknown.remove(setting.name());
            setting.deprecatedNames().forEach(unknown::remove);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting(s) in " + file + ": " + String.join(", ", unknown));
        }
        ServiceConfig.Builder builder = ServiceConfig.builder();
        builder.store(StoreSettings.read(
                List.of(new EnvSource(env::get, warnings), new PropertiesSource(properties, file, warnings)),
                Path.of("").toAbsolutePath()));
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

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    static @NotNull Duration duration(@NotNull String key, @NotNull String value) {
        try {
            return DURATION.parse(value.strip(), Path.of("."));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
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
