package io.shadowmq.bench.target;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import io.shadowmq.broker.FreePort;
import io.shadowmq.broker.HiveMqHome;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A limit beneath the {@code updates} scenario: the same broker as {@code echo} (in-memory persistence, same
 * settings) with the least any extension can do to answer a request on another topic — the shape of every shadow
 * request, without ShadowMQ's work. A PUBLISH to {@code things/T/floor} is held ({@code async}), kept from
 * subscribers, answered by publishing its payload to {@code things/T/floor/accepted} (QoS 1, as ShadowMQ answers)
 * through HiveMQ's {@code PublishService}, and released. With Redis, the payload is first written with one plain
 * {@code SET} through Redisson — the least a request whose answer waits for Redis can cost. No authentication, no
 * parsing, no validation, no change feed.
 *
 * <p>If this floor is below a goal, no extension of this shape reaches the goal on the same machine.
 */
public final class ReplyFloor implements MqttTarget {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final String REQUEST_SUFFIX = "/floor";
    static final String ANSWER_SUFFIX = "/floor/accepted";

    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private final @Nullable RedisServerProcess redis;
    private final @Nullable RedissonClient client;

    private ReplyFloor(
            EmbeddedHiveMQ hivemq, int port, @Nullable RedisServerProcess redis, @Nullable RedissonClient client) {
        this.hivemq = hivemq;
        this.port = port;
        this.redis = redis;
        this.client = client;
    }

    /** The request topic of a thing. */
    public static @NotNull String request(@NotNull String thing) {
        return "things/" + thing + REQUEST_SUFFIX;
    }

    /** The answer topic of a thing. */
    public static @NotNull String answer(@NotNull String thing) {
        return "things/" + thing + ANSWER_SUFFIX;
    }

    /**
     * Starts the broker with the floor extension; with {@code withRedis}, also a Redis like the platform's (append-only
     * file, {@code appendfsync everysec}, the binary {@code redisServer} or, when null, the one the platform would
     * pick) that every request writes to before it is answered.
     */
    public static @NotNull ReplyFloor start(@NotNull Path workDir, boolean withRedis, @Nullable Path redisServer)
            throws Exception {
        RedisServerProcess redis = null;
        RedissonClient client = null;
        try {
            if (withRedis) {
                redis = RedisServerProcess.builder()
                        .dataDir(Files.createDirectories(workDir.resolve("redis-floor")))
                        .executable(redisServer)
                        .build()
                        .start();
                // Connected exactly as the platform's store connects (pool, threads, timeouts).
                client = Redisson.create(ShadowStore.redissonConfig(
                        StoreConfig.of(redis.uri(), Pepper.parse("0".repeat(Pepper.MIN_BYTES)))));
            }
            int port = FreePort.pick();
            HiveMqHome home = HiveMqHome.create(
                    Files.createDirectories(workDir.resolve(withRedis ? "hivemq-floor-redis" : "hivemq-floor")),
                    HOST,
                    port);
            home.removeExtension();
            EmbeddedExtension extension = EmbeddedExtension.builder()
                    .withId("reply-floor")
                    .withName("reply floor")
                    .withVersion("1")
                    .withPriority(0)
                    .withStartPriority(0)
                    .withExtensionMain(new FloorMain(new FloorInterceptor(client)))
                    .build();
            return new ReplyFloor(home.start(false, START_TIMEOUT, extension), port, redis, client);
        } catch (Exception e) {
            if (client != null) {
                client.shutdown();
            }
            if (redis != null) {
                redis.close();
            }
            throw e;
        }
    }

    @Override
    public @NotNull String description() {
        return client == null ? "HiveMQ CE, reply-only extension" : "HiveMQ CE, reply-after-Redis-SET extension";
    }

    @Override
    public @NotNull String host() {
        return HOST;
    }

    @Override
    public int mqttPort() {
        return port;
    }

    @Override
    public @NotNull OptionalLong redisPid() {
        return redis == null ? OptionalLong.empty() : OptionalLong.of(redis.pid());
    }

    @Override
    public void close() throws Exception {
        try {
            HiveMqHome.stop(hivemq, START_TIMEOUT);
        } finally {
            if (client != null) {
                client.shutdown();
            }
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Registers the interceptor on every client. */
    private static final class FloorMain implements ExtensionMain {
        private final PublishInboundInterceptor interceptor;

        FloorMain(PublishInboundInterceptor interceptor) {
            this.interceptor = interceptor;
        }

        @Override
        public void extensionStart(@NotNull ExtensionStartInput input, @NotNull ExtensionStartOutput output) {
            Services.initializerRegistry()
                    .setClientInitializer((initializerInput, clientContext) ->
                            clientContext.addPublishInboundInterceptor(interceptor));
        }

        @Override
        public void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {}
    }

    private static final class FloorInterceptor implements PublishInboundInterceptor {
        private final @Nullable RedissonClient redis;

        FloorInterceptor(@Nullable RedissonClient redis) {
            this.redis = redis;
        }

        @Override
        public void onInboundPublish(@NotNull PublishInboundInput input, @NotNull PublishInboundOutput output) {
            String topic = input.getPublishPacket().getTopic();
            if (!topic.endsWith(REQUEST_SUFFIX)) {
                return;
            }
            output.preventPublishDelivery();
            Async<PublishInboundOutput> async = output.async(Duration.ofSeconds(10), TimeoutFallback.SUCCESS);
            byte[] payload =
                    input.getPublishPacket().getPayload().map(ReplyFloor::bytes).orElse(new byte[0]);
            CompletionStage<?> stored = redis == null
                    ? CompletableFuture.completedFuture(null)
                    : redis.getBucket(topic, ByteArrayCodec.INSTANCE).setAsync(payload);
            stored.thenCompose(done -> Services.publishService().publish(answerOf(topic, payload)))
                    .whenComplete((done, error) -> async.resume());
        }

        private static Publish answerOf(String requestTopic, byte[] payload) {
            return Builders.publish()
                    .topic(requestTopic + "/accepted")
                    .qos(Qos.AT_LEAST_ONCE)
                    .payload(ByteBuffer.wrap(payload))
                    .build();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
