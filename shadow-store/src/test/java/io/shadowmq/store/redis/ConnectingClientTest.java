package io.shadowmq.store.redis;

import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ConnectingClientTest {

    private static final Pepper PEPPER = Pepper.parse("test-pepper-of-at-least-16-bytes");

    @Test
    void objectsHandedOutBeforeRedisIsReachedFailAtOnceThenBecomeTheRealOnes() throws Exception {
        int port = freePort();
        String address = "redis://127.0.0.1:" + port;
        Config config =
                ShadowStore.redissonConfig(StoreConfig.of(address, PEPPER).withTimeout(Duration.ofMillis(800)));
        ConnectingClient connecting = ConnectingClient.start(config, address);
        try {
            RedissonClient redis = connecting.client();
            assertThat(redis.getConfig()).isSameAs(config);
            RScript script = redis.getScript(StringCodec.INSTANCE);
            RBucket<String> bucket = redis.getBucket("connecting-key", StringCodec.INSTANCE);
            RBatch batch = redis.createBatch();

            assertThatThrownBy(() -> bucket.getAsync().toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RedisConnectionException.class)
                    .hasMessageContaining("not reachable yet at " + address);
            assertThatThrownBy(bucket::isExists)
                    .as("a synchronous call throws, as one does while Redis is down")
                    .isInstanceOf(RedisConnectionException.class);
            assertThat(connecting.isConnected()).isFalse();

            try (RedisServerProcess late =
                    RedisServerProcess.builder().port(port).build().start()) {
                await().atMost(Duration.ofSeconds(10)).until(connecting::isConnected);
                bucket.set("v");
                assertThat((String) script.eval(
                                RScript.Mode.READ_ONLY,
                                "return redis.call('get', KEYS[1])",
                                RScript.ReturnType.VALUE,
                                List.of("connecting-key")))
                        .isEqualTo("v");
                assertThat(redis.getBucket("connecting-key", StringCodec.INSTANCE)
                                .get())
                        .isEqualTo("v");

                // A batch made before stays failing: commands added to it would otherwise run apart.
                RFuture<String> inBatch = batch.<String>getBucket("connecting-key", StringCodec.INSTANCE)
                        .getAsync();
                assertThatThrownBy(() -> inBatch.toCompletableFuture().get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(RedisConnectionException.class);
                assertThatThrownBy(
                                () -> batch.executeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(RedisConnectionException.class);
                RBatch now = redis.createBatch();
                RFuture<String> inNow = now.<String>getBucket("connecting-key", StringCodec.INSTANCE)
                        .getAsync();
                assertThat(List.copyOf(now.execute().getResponses())).isEqualTo(List.of("v"));
                assertThat(inNow.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("v");

                // A client once made reconnects by itself when Redis restarts (this one keeps no data).
                late.restart();
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                    bucket.set("w");
                    return "w".equals(bucket.get());
                });
            }
        } finally {
            connecting.client().shutdown();
        }
        assertThat(connecting.client().isShutdown()).isTrue();
    }

    @Test
    void closedBeforeRedisIsReachedItStopsTryingLeavesNoThreadAndFailsWhatWaits() throws Exception {
        String address = "redis://127.0.0.1:" + freePort();
        long redissonThreadsBefore = redissonThreads();
        ConnectingClient connecting = ConnectingClient.start(
                ShadowStore.redissonConfig(StoreConfig.of(address, PEPPER).withTimeout(Duration.ofMillis(400))),
                address);
        RBucket<String> bucket = connecting.client().getBucket("k", StringCodec.INSTANCE);
        Thread.sleep(1_500); // several failed attempts
        connecting.close();

        assertThat(connecting.client().isShutdown()).isTrue();
        assertThatThrownBy(() -> bucket.getAsync().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RedisConnectionException.class);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals(ConnectingClient.THREAD_NAME + " " + address)));
        await().atMost(Duration.ofSeconds(10))
                .alias("the failed attempts left no Redisson thread behind")
                .until(() -> redissonThreads() <= redissonThreadsBefore);
    }

    private static long redissonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("redisson"))
                .count();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
