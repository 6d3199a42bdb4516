package io.shadowmq.platform.up;

import io.shadowmq.redis.process.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisSupervisorTest {

    @TempDir
    Path dataDir;

    @Test
    void aRedisThatKeepsDyingYoungIsGivenUpOnAfterFiveFailuresInARow() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        try (RedisSupervisor supervisor = new RedisSupervisor(Clock.systemUTC(), reports::add)) {
            RedisServerProcess redis = RedisServerProcess.builder()
                    .dataDir(dataDir)
                    .onUnexpectedExit(supervisor::died)
                    .build();
            try (redis) {
                supervisor.watch(redis);
                redis.start();
                int port = redis.port();

                for (int death = 1; death < RedisSupervisor.GIVE_UP_AFTER; death++) {
                    long pid = redis.pid();
                    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                    await().atMost(Duration.ofSeconds(15))
                            .ignoreExceptions()
                            .until(() -> redis.isRunning() && redis.pid() != pid);
                }
                ProcessHandle.of(redis.pid()).orElseThrow().destroyForcibly();

                String reason = supervisor.gaveUp().get(15, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(reason).contains("was killed by signal 9").endsWith("giving up after 5 failures in a row");
                assertThat(reports)
                        .filteredOn(line -> line.contains("restarting it on the same port"))
                        .hasSize(4);
                assertThat(reports)
                        .filteredOn(line -> line.startsWith("redis: restarted on redis://127.0.0.1:" + port))
                        .hasSize(4);
            }
        }
    }

    @Test
    void theBackoffDoublesFromTwoHundredMillisecondsUpToFiveSeconds() {
        assertThat(RedisSupervisor.backoff(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(RedisSupervisor.backoff(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(RedisSupervisor.backoff(4)).isEqualTo(Duration.ofMillis(1600));
        assertThat(RedisSupervisor.backoff(9)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aListenerThatStopsAcceptingConnectionsIsReportedByName() throws Exception {
        ServerSocket broker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try (ListenerWatch watch =
                ListenerWatch.start(Map.of("the broker", new InetSocketAddress("127.0.0.1", broker.getLocalPort())))) {
            await().during(Duration.ofMillis(2500))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> !watch.stopped().isDone());

            broker.close();

            await().atMost(Duration.ofSeconds(10)).until(() -> watch.stopped().isDone());
            assertThat(watch.stopped().get())
                    .startsWith("the broker no longer accepts connections on 127.0.0.1:" + broker.getLocalPort());
        }
    }
}
