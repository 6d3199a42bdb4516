package io.shadowmq.platform.up;

import io.shadowmq.store.settings.StoreSetting;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How every node of a local platform reaches Redis: one {@code redis://} address (a standalone server), or a Redisson
 * YAML file (a Redis Cluster, whose nodes Redisson discovers from the ones listed). The broker's extension and the
 * REST service read the same value, each in its own setting.
 *
 * <pre>{@code
 * RedisTarget target = RedisTarget.cluster(List.of("redis://127.0.0.1:7001", ...), dataDir.resolve("redisson-cluster.yaml"));
 * target.extensionXml();   // <redisson-config>/.../redisson-cluster.yaml</redisson-config>
 * }</pre>
 *
 * @param address           a standalone server, or null
 * @param redissonConfig    a Redisson YAML file, or null; exactly one of the two is set
 */
public record RedisTarget(
        @Nullable String address, @Nullable Path redissonConfig) {

    public RedisTarget {
        if ((address == null) == (redissonConfig == null)) {
            throw new IllegalArgumentException("exactly one of a Redis address and a Redisson config file");
        }
    }

    public static @NotNull RedisTarget standalone(@NotNull String address) {
        return new RedisTarget(address, null);
    }

    /** Writes {@code file}: a Redisson Cluster configuration reading and subscribing on the masters, as the shipped example. */
    public static @NotNull RedisTarget cluster(@NotNull List<String> nodeAddresses, @NotNull Path file)
            throws IOException {
        String nodes =
                nodeAddresses.stream().map(node -> "    - \"" + node + "\"").collect(Collectors.joining("\n"));
        Files.writeString(file, """
                # Written by ./shadowmq up for its local Redis Cluster; rewritten on every start.
                clusterServersConfig:
                  nodeAddresses:
                %s
                  scanInterval: 1000
                  readMode: "MASTER"
                  subscriptionMode: "MASTER"
                  timeout: 2000
                  connectTimeout: 5000
                  retryAttempts: 2
                """.formatted(nodes));
        return new RedisTarget(null, file.toAbsolutePath());
    }

    /** The extension's {@code <redis>} element content. */
    public @NotNull String extensionXml() {
        return address != null
                ? "<address>" + address + "</address>"
                : "<redisson-config>" + redissonConfig + "</redisson-config>";
    }

    /** The store setting's environment variable that names it, as every node reads it. */
    public @NotNull Map<String, String> serviceEnvironment() {
        return address != null
                ? Map.of(StoreSetting.REDIS_ADDRESS.env(), address)
                : Map.of(StoreSetting.REDISSON_CONFIG.env(), redissonConfig.toString());
    }

    /** For a progress line. */
    public @NotNull String describe() {
        return address != null ? address : "the Redis Cluster in " + redissonConfig;
    }
}
