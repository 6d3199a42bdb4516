package io.shadowmq.store;

import io.shadowmq.redis.process.RedisCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/**
 * A real Redis Cluster (3 masters, no replicas unless asked) and a store connected to it through the list of its
 * node addresses, shared by one test class.
 */
final class ClusterStoreExtension implements BeforeAllCallback, AfterAllCallback {

    private final int replicasPerMaster;
    private final Duration nodeTimeout;
    private RedisCluster cluster;
    private ShadowStore store;

    ClusterStoreExtension() {
        this(0, RedisCluster.DEFAULT_NODE_TIMEOUT);
    }

    ClusterStoreExtension(int replicasPerMaster, Duration nodeTimeout) {
        this.replicasPerMaster = replicasPerMaster;
        this.nodeTimeout = nodeTimeout;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = RedisCluster.builder()
                .masters(3)
                .replicasPerMaster(replicasPerMaster)
                .nodeTimeout(nodeTimeout)
                .start();
        store = connect();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (store != null) {
            store.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Another store on the same cluster, as another broker or REST service would have. */
    ShadowStore connect() {
        return ShadowStore.connect(config(), StoreFixture.MODELS);
    }

    StoreConfig config() {
        return StoreConfig.ofCluster(cluster.nodeUris(), StoreFixture.PEPPER).withTimeout(Duration.ofSeconds(2));
    }

    ShadowStore store() {
        return store;
    }

    RedisCluster cluster() {
        return cluster;
    }
}
