package io.shadowmq.platform.up;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Placeholder until the Redis Cluster launcher is merged. */
final class PlatformRedisCluster {
    private PlatformRedisCluster() {
    }

    static RedisTarget start(PlatformHome home, int masters, int replicas, Consumer<String> progress,
                             List<AutoCloseable> running, List<CompletableFuture<String>> failures)
            throws LocalPlatform.StartupFailure {
        throw new LocalPlatform.StartupFailure("Redis Cluster not available yet");
    }
}
