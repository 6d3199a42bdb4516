package io.shadowmq.bench.target;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RedisVersionTest {

    @Test
    void findsTheVersionInRedisServersVersionOutput() {
        assertThat(RedisVersion.versionOf(
                        "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=c3b2fbb1d1b4a4b4"))
                .hasValue("7.0.15");
        assertThat(RedisVersion.versionOf("not redis")).isEmpty();
    }

    @Test
    void namesTheBinaryAndItsVersionOrWhyNot() {
        // The real binary the platform would use: bundled or on PATH.
        assertThat(RedisVersion.describe(null)).matches("Redis \\d+\\.\\d+\\.\\d+ \\(.*redis-server.*\\)");
        assertThat(RedisVersion.describe(Path.of("/no/such/redis-server"))).contains("/no/such/redis-server");
    }
}
