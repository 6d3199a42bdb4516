package io.shadowmq.platform.up;

import io.shadowmq.redis.process.RedisCluster;
import io.shadowmq.redis.process.RedisServerProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The Redis Cluster of a local scaled-out platform: {@code masters} real {@code redis-server --cluster-enabled yes}
 * processes sharing the slots, {@code replicas} replicas each, their files (append-only, {@code nodes.conf}) under
 * {@code redis-cluster/} in the data dir, and the Redisson file every node connects with. A Redis node that stops
 * listening ends the platform, as a dead broker does: a local platform is a whole or nothing.
 */
final class PlatformRedisCluster {

    private PlatformRedisCluster() {}

    /** Starts it; the cluster and its watch join {@code running}, the watch's verdict joins {@code failures}. */
    static RedisTarget start(
            PlatformHome home,
            int masters,
            int replicas,
            Consumer<String> progress,
            List<AutoCloseable> running,
            List<CompletableFuture<String>> failures)
            throws LocalPlatform.StartupFailure, IOException {
        Path dir = Files.createDirectories(home.root().resolve("redis-cluster"));
        progress.accept("[1/4] starting a Redis Cluster of " + masters + (masters == 1 ? " master" : " masters")
                + (replicas == 0 ? "" : " with " + replicas + (replicas == 1 ? " replica" : " replicas") + " each")
                + " (append-only files in " + dir + ")");
        RedisCluster cluster;
        try {
            cluster = RedisCluster.builder()
                    .masters(masters)
                    .replicasPerMaster(replicas)
                    .dataDir(dir)
                    .appendOnly(true)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new LocalPlatform.StartupFailure(
                    "the Redis Cluster did not start: " + LocalPlatform.firstLine(String.valueOf(e.getMessage())));
        }
        running.add(cluster);
        Map<String, InetSocketAddress> listeners = new LinkedHashMap<>();
        List<RedisServerProcess> nodes = cluster.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            listeners.put(
                    "redis node " + (i + 1),
                    new InetSocketAddress(nodes.get(i).host(), nodes.get(i).port()));
        }
        // Closed before the cluster (the list stops in reverse), so stopping Redis is not mistaken for a death.
        ListenerWatch watch = ListenerWatch.start(listeners);
        running.add(watch);
        failures.add(watch.stopped());
        return RedisTarget.cluster(cluster.nodeUris(), dir.resolve("redisson.yaml"));
    }
}
