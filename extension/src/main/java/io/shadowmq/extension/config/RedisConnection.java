package io.shadowmq.extension.config;

import org.jetbrains.annotations.NotNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the shadow store is: one Redis server given by its address, or a Redisson YAML file for everything else
 * (password, TLS settings, Sentinel, Cluster). Callers handle both (Java 17: no pattern switch yet):
 * <pre>{@code
 * if (config.redis() instanceof RedisConnection.Address address) {
 *     redisson.useSingleServer().setAddress(address.uri().toString());
 * } else if (config.redis() instanceof RedisConnection.RedissonConfigFile file) {
 *     redisson = Config.fromYAML(file.path().toFile());
 * }
 * }</pre>
 */
public sealed interface RedisConnection {

    /** {@code redis://127.0.0.1:6379}: a Redis on the broker's own machine. */
    @NotNull Address DEFAULT = Address.parse("redis://127.0.0.1:6379");

    /**
     * A single Redis server, {@code redis://host:port} or {@code rediss://host:port} (TLS). Its {@link #toString()}
     * hides any password in the URI.
     */
    record Address(@NotNull URI uri) implements RedisConnection {

        public Address {
            Objects.requireNonNull(uri, "uri");
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                throw new IllegalArgumentException("must start with redis:// or rediss://");
            }
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException("must be redis://host:port or rediss://host:port");
            }
        }

        /**
         * @throws IllegalArgumentException with a message that does not repeat the value (it may hold a password)
         */
        public static @NotNull Address parse(@NotNull String value) {
            // Checked before URI parsing: "host:port" would otherwise fail as "illegal character in scheme name".
            if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
                throw new IllegalArgumentException("must start with redis:// or rediss://");
            }
            try {
                return new Address(new URI(value));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("is not a URI: " + e.getReason());
            }
        }

        @Override
        public String toString() {
            String userInfo = uri.getUserInfo() == null ? "" : "***@";
            return uri.getScheme() + "://" + userInfo + uri.getHost() + ":" + uri.getPort();
        }
    }

    /** A Redisson YAML configuration file (absolute, resolved against the extension folder when written relative). */
    record RedissonConfigFile(@NotNull Path path) implements RedisConnection {

        public RedissonConfigFile {
            Objects.requireNonNull(path, "path");
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("path must be absolute, was " + path);
            }
        }

        @Override
        public String toString() {
            return "redisson-config " + path;
        }
    }
}
