package io.shadowmq.redis.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link RedisServerProcessTest}: starts a server, and on SIGTERM an orderly shutdown hook of
 * its own still needs it — as a broker marking its things disconnected does. Prints whether the server answered then.
 */
public final class NeedRedisWhileStopping {

    private NeedRedisWhileStopping() {}

    public static void main(String[] args) throws Exception {
        RedisServerProcess redis = RedisServerProcess.builder().build().start();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        RedisServerProcess.stopLeftoversAfter(stopped);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            // The orderly stop takes a moment before it needs Redis (other parts stop first).
                            try {
                                new CountDownLatch(1).await(500, TimeUnit.MILLISECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            boolean answered = RedisPing.ping(redis.host(), redis.port(), Duration.ofSeconds(2));
                            System.out.println("ORDERLY STOP REACHED REDIS " + answered);
                            System.out.flush();
                            stopped.complete(null);
                        },
                        "orderly-stop"));
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await(2, TimeUnit.MINUTES); // until SIGTERM
    }
}
