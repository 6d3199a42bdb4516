package io.shadowmq.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.config.ReadMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreConfigTest {

    @Test
    void oneAddressIsAStandaloneServerAndSeveralAreTheNodesOfACluster() {
        StoreConfig standalone = StoreConfig.of("redis://127.0.0.1:6379", StoreFixture.PEPPER);
        StoreConfig cluster = StoreConfig.of("redis://127.0.0.1:7000, redis://127.0.0.1:7001", StoreFixture.PEPPER);

        assertThat(standalone.clusterNodes()).isEmpty();
        assertThat(ShadowStore.redissonConfig(standalone).isClusterConfig()).isFalse();
        assertThat(cluster.clusterNodes()).containsExactly("redis://127.0.0.1:7000", "redis://127.0.0.1:7001");
        assertThat(ShadowStore.redissonConfig(cluster).isClusterConfig()).isTrue();
        assertThat(StoreConfig.ofCluster(List.of("redis://a:1", "redis://b:2"), StoreFixture.PEPPER)
                        .clusterNodes())
                .containsExactly("redis://a:1", "redis://b:2");
    }

    @Test
    void aClusterIsReadFromItsMastersOnly() {
        StoreConfig cluster = StoreConfig.ofCluster(List.of("redis://a:1", "redis://b:2"), StoreFixture.PEPPER);

        assertThat(ShadowStore.redissonConfig(cluster).useClusterServers().getReadMode())
                .isEqualTo(ReadMode.MASTER);
    }

    @Test
    void aClusterOrSentinelFromARedissonFileIsReadFromMastersAndResendsRefusedCommandsWhateverTheFileSays(
            @TempDir Path dir) throws Exception {
        Path cluster = dir.resolve("cluster.yaml");
        Files.writeString(
                cluster,
                "clusterServersConfig:\n  readMode: \"SLAVE\"\n  nodeAddresses:\n"
                        + "    - \"redis://127.0.0.1:7000\"\n");
        Path sentinel = dir.resolve("sentinel.yaml");
        Files.writeString(
                sentinel,
                "sentinelServersConfig:\n  masterName: \"shadowmq\"\n  sentinelAddresses:\n"
                        + "    - \"redis://127.0.0.1:26379\"\n");

        assertThat(ShadowStore.redissonConfig(StoreConfig.ofRedissonFile(cluster, StoreFixture.PEPPER))
                        .useClusterServers()
                        .getReadMode())
                .isEqualTo(ReadMode.MASTER);
        assertThat(ShadowStore.redissonConfig(StoreConfig.ofRedissonFile(cluster, StoreFixture.PEPPER))
                        .useClusterServers()
                        .getRetryAttempts())
                .isEqualTo(40);
        assertThat(ShadowStore.redissonConfig(StoreConfig.ofRedissonFile(sentinel, StoreFixture.PEPPER))
                        .useSentinelServers()
                        .getReadMode())
                .isEqualTo(ReadMode.MASTER);
    }

    @Test
    void aMalformedNodeInTheListIsRefusedNamingTheWholeSetting() {
        assertThatThrownBy(() -> StoreConfig.of("redis://a:1,b:2", StoreFixture.PEPPER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://host1:port1,redis://host2:port2")
                .hasMessageContaining("'redis://a:1,b:2'");
        assertThatThrownBy(() -> StoreConfig.of("redis://a:1,", StoreFixture.PEPPER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoreConfig.ofCluster(List.of("redis://a:1"), StoreFixture.PEPPER))
                .hasMessageContaining("at least two node addresses");
    }
}
