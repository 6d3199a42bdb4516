package io.shadowmq.extension.config;

import io.shadowmq.store.settings.Parsers;
import org.jetbrains.annotations.NotNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    @NotNull
    Address DEFAULT = Address.parse("redis://127.0.0.1:6379");

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
            return new Address(Parsers.checkRedisUri(value));
        }

        @Override
        public String toString() {
            String userInfo = uri.getUserInfo() == null ? "" : "***@";
            return uri.getScheme() + "://" + userInfo + uri.getHost() + ":" + uri.getPort();
        }
    }

    /**
     * The nodes of a Redis Cluster, written as comma-separated addresses
     * ({@code redis://10.0.0.1:7000,redis://10.0.0.2:7000}); any live one is enough to find the rest.
     */
    record ClusterNodes(@NotNull List<Address> nodes) implements RedisConnection {

        public ClusterNodes {
            nodes = List.copyOf(nodes);
            if (nodes.size() < 2) {
                throw new IllegalArgumentException("a Redis Cluster needs at least two node addresses");
            }
        }

        /**
         * @throws IllegalArgumentException naming which node (by position) is malformed, never repeating the value
         */
        public static @NotNull ClusterNodes parse(@NotNull String value) {
            String[] parts = value.split(",", -1);
            List<Address> nodes = new ArrayList<>();
            for (int i = 0; i < parts.length; i++) {
                try {
                    nodes.add(Address.parse(parts[i].strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "Cluster node " + (i + 1) + " of " + parts.length + " " + e.getMessage());
                }
            }
            return new ClusterNodes(nodes);
        }

        /** The addresses joined by commas, as the store takes them. */
        public @NotNull String uris() {
            return String.join(
                    ",", nodes.stream().map(node -> node.uri().toString()).toList());
        }

        @Override
        public String toString() {
            return String.join(",", nodes.stream().map(Address::toString).toList());
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
