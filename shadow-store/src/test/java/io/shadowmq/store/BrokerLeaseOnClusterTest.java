package io.shadowmq.store;

import io.shadowmq.redis.process.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * {@link BrokerLeaseContract} on a real 3-master Redis Cluster: every lease script touches one run's slot, every
 * per-thing script one thing's slot, and the change-feed entry follows the commit as its own command.
 */
class BrokerLeaseOnClusterTest extends BrokerLeaseContract {

    @TempDir
    static Path dir;

    static RedisCluster cluster;
    static ShadowStore store;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.builder().masters(3).start();
        Path config = dir.resolve("redisson-cluster.yaml");
        Files.writeString(config, """
                clusterServersConfig:
                  nodeAddresses:
                %s
                  readMode: "MASTER"
                  subscriptionMode: "MASTER"
                  timeout: 2000
                """.formatted(
                cluster.nodeUris().stream().map(uri -> "    - \"" + uri + "\"").collect(Collectors.joining("\n"))));
        store = ShadowStore.connect(StoreConfig.ofRedissonFile(config, StoreFixture.PEPPER), StoreFixture.MODELS);
    }

    @AfterAll
    static void stopCluster() {
        if (store != null) {
            store.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    ShadowStore store() {
        return store;
    }
}
