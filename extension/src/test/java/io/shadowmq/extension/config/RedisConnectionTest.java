package io.shadowmq.extension.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisConnectionTest {

    @Test
    void defaultIsRedisOnTheLocalMachine() {
        assertThat(RedisConnection.DEFAULT.uri()).hasToString("redis://127.0.0.1:6379");
    }

    @Test
    void plainAndTlsAddressesWithPortAreAccepted() {
        assertThat(RedisConnection.Address.parse("redis://redis.internal:6379")
                        .uri()
                        .getHost())
                .isEqualTo("redis.internal");
        assertThat(RedisConnection.Address.parse("rediss://10.0.0.5:6380").uri().getPort())
                .isEqualTo(6380);
    }

    @Test
    void otherSchemesAndMissingPortsAreRefused() {
        assertThatThrownBy(() -> RedisConnection.Address.parse("http://redis:6379"))
                .hasMessageContaining("redis:// or rediss://");
        assertThatThrownBy(() -> RedisConnection.Address.parse("127.0.0.1:6379"))
                .hasMessageContaining("redis:// or rediss://");
        assertThatThrownBy(() -> RedisConnection.Address.parse("redis://redis"))
                .hasMessageContaining("redis://host:port");
    }

    @Test
    void addressToStringHidesThePassword() {
        RedisConnection.Address address = RedisConnection.Address.parse("redis://user:s3cret@redis:6379");

        assertThat(address.toString()).isEqualTo("redis://***@redis:6379").doesNotContain("s3cret");
    }

    @Test
    void unparseableAddressErrorDoesNotRepeatTheValue() {
        assertThatThrownBy(() -> RedisConnection.Address.parse("redis://user:s3 cret@redis:6379"))
                .hasMessageNotContaining("s3");
    }

    @Test
    void redissonConfigFileMustBeAbsolute() {
        assertThatThrownBy(() -> new RedisConnection.RedissonConfigFile(Path.of("conf/redisson.yaml")))
                .hasMessageContaining("absolute");
    }

    @Test
    void commaSeparatedAddressesAreTheNodesOfACluster() {
        RedisConnection.ClusterNodes cluster =
                RedisConnection.ClusterNodes.parse("redis://10.0.0.1:7000, redis://user:pw@10.0.0.2:7000");

        assertThat(cluster.nodes()).hasSize(2);
        assertThat(cluster.uris()).isEqualTo("redis://10.0.0.1:7000,redis://user:pw@10.0.0.2:7000");
        assertThat(cluster.toString()).isEqualTo("redis://10.0.0.1:7000,redis://***@10.0.0.2:7000");
    }

    @Test
    void aMalformedClusterNodeIsNamedByPositionWithoutRepeatingTheValue() {
        assertThatThrownBy(() -> RedisConnection.ClusterNodes.parse("redis://a:7000,s3cret@b:7000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cluster node 2 of 2 must start with redis:// or rediss://")
                .hasMessageNotContaining("s3cret");
    }
}
