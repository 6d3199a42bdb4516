package io.shadowmq.redis.process;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Real redis-server processes: whatever {@link RedisExecutable} finds here, usually the embedded-jar binary. */
class RedisServerProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** Shared by the tests that only talk to a running server; tests that stop or restart start their own. */
    private static RedisServerProcess shared;

    @BeforeAll
    static void startSharedServer() throws IOException {
        shared = RedisServerProcess.builder().build().start();
    }

    @AfterAll
    static void stopSharedServer() {
        shared.close();
    }

    @Test
    void startsOnAFreePortAndAnswersPing() {
        assertThat(shared.isRunning()).isTrue();
        assertThat(shared.port()).isPositive();
        assertThat(shared.host()).isEqualTo("127.0.0.1");
        assertThat(shared.uri()).isEqualTo("redis://127.0.0.1:" + shared.port());
        assertThat(RedisPing.ping(shared.host(), shared.port(), TIMEOUT)).isTrue();
    }

    @Test
    void valueSetOverRespIsReadBack() throws IOException {
        String key = freshKey();

        assertThat(command(shared, "SET", key, "héllo wörld")).contains("OK");

        assertThat(command(shared, "GET", key)).contains("héllo wörld");
        assertThat(command(shared, "GET", freshKey())).isEmpty();
    }

    @Test
    void twoServersRunAtOnceOnDifferentPortsWithSeparateData() throws IOException {
        try (RedisServerProcess other = RedisServerProcess.builder().build().start()) {
            String key = freshKey();

            command(other, "SET", key, "only-in-other");

            assertThat(other.port()).isNotEqualTo(shared.port());
            assertThat(command(other, "GET", key)).contains("only-in-other");
            assertThat(command(shared, "GET", key)).isEmpty();
        }
    }

    @Test
    void extraArgsReachTheServer() throws IOException {
        try (RedisServerProcess redis = RedisServerProcess.builder()
                .extraArgs("--maxmemory", "12mb")
                .build()
                .start()) {
            assertThat(command(redis, "INFO", "memory"))
                    .hasValueSatisfying(info -> assertThat(info).contains("maxmemory:" + 12 * 1024 * 1024));
        }
    }

    @Test
    void stoppedServerIsUnreachableAndStoppingTwiceIsHarmless() throws IOException {
        RedisServerProcess redis = RedisServerProcess.builder().build().start();

        redis.stop();

        assertThat(redis.isRunning()).isFalse();
        assertThat(RedisPing.ping(redis.host(), redis.port(), TIMEOUT)).isFalse();
        redis.stop();
        redis.close();
        assertThat(redis.isRunning()).isFalse();
    }

    @Test
    void restartKeepsThePortAndWithoutDataDirForgetsTheData() throws IOException {
        try (RedisServerProcess redis = RedisServerProcess.builder().build().start()) {
            int port = redis.port();
            String key = freshKey();
            command(redis, "SET", key, "gone after restart");

            redis.restart();

            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(command(redis, "GET", key)).isEmpty();
        }
    }

    @Test
    void restartWithDataDirKeepsTheData(@TempDir Path dataDir) throws IOException {
        try (RedisServerProcess redis =
                RedisServerProcess.builder().dataDir(dataDir).build().start()) {
            String key = freshKey();
            command(redis, "SET", key, "kept");

            redis.restart();

            assertThat(command(redis, "GET", key)).contains("kept");
        }
    }

    @Test
    void killedServerWithDataDirComesBackWithItsDataFromTheAppendOnlyFile(@TempDir Path dataDir) throws IOException {
        try (RedisServerProcess redis =
                RedisServerProcess.builder().dataDir(dataDir).build().start()) {
            String key = freshKey();
            command(redis, "SET", key, "survives a crash");
            long pid = RedisPing.serverPid(redis.host(), redis.port(), TIMEOUT);

            // A crash: no SHUTDOWN, no RDB snapshot, so only the append-only file can bring the key back.
            ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
            server.destroyForcibly();
            server.onExit().join();

            assertThat(redis.isRunning()).isFalse();
            redis.restart();
            assertThat(command(redis, "GET", key)).contains("survives a crash");
        }
    }

    @Test
    void aKilledServerIsReportedWithItsPidAndSignalButAStoppedOneIsNot() throws Exception {
        CompletableFuture<RedisServerProcess.UnexpectedExit> died = new CompletableFuture<>();
        try (RedisServerProcess redis = RedisServerProcess.builder()
                .onUnexpectedExit(died::complete)
                .build()
                .start()) {
            long pid = RedisPing.serverPid(redis.host(), redis.port(), TIMEOUT);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            RedisServerProcess.UnexpectedExit exit = died.get(10, TimeUnit.SECONDS);

            assertThat(exit.pid()).isEqualTo(pid);
            assertThat(exit.exitCode()).isEqualTo(137);
            assertThat(exit.describe())
                    .isEqualTo("redis-server pid " + pid + " on " + redis.uri() + " was killed by signal 9");
        }
        CompletableFuture<RedisServerProcess.UnexpectedExit> stoppedReported = new CompletableFuture<>();
        RedisServerProcess stopped = RedisServerProcess.builder()
                .onUnexpectedExit(stoppedReported::complete)
                .build()
                .start();
        stopped.stop();
        // The exit callback runs on another thread: nothing may arrive for a while.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> !stoppedReported.isDone());
    }

    @Test
    void takenPortFailsWithIOExceptionNamingThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            RedisServerProcess redis = RedisServerProcess.builder().port(port).build();

            assertThatThrownBy(redis::start)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("Address already in use");
            assertThat(redis.isRunning()).isFalse();
        }
    }

    @Test
    void portHeldByAnotherRedisIsNotMistakenForOurs() {
        RedisServerProcess intruder =
                RedisServerProcess.builder().port(shared.port()).build();

        assertThatThrownBy(intruder::start)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(shared.port()));
        assertThat(intruder.isRunning()).isFalse();
        assertThat(shared.isRunning()).isTrue();
    }

    @Test
    void freePortTakenBeforeRedisBindsItIsRetriedWithAnotherPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Integer> picked = new ArrayList<>();
            RedisServerProcess.FreePortPicker losesTheFirstRace = bind -> {
                int port = picked.isEmpty() ? taken.getLocalPort() : RedisServerProcess.pickFreePort(bind);
                picked.add(port);
                return port;
            };

            try (RedisServerProcess redis = RedisServerProcess.builder()
                    .freePortPicker(losesTheFirstRace)
                    .build()
                    .start()) {
                assertThat(picked).hasSize(2);
                assertThat(redis.port()).isEqualTo(picked.get(1)).isNotEqualTo(taken.getLocalPort());
                assertThat(RedisPing.ping(redis.host(), redis.port(), TIMEOUT)).isTrue();
            }
        }
    }

    @Test
    void freePortPickingGivesUpAfterThreeTakenPorts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Integer> picked = new ArrayList<>();
            RedisServerProcess redis = RedisServerProcess.builder()
                    .freePortPicker(bind -> {
                        picked.add(taken.getLocalPort());
                        return taken.getLocalPort();
                    })
                    .build();

            assertThatThrownBy(redis::start)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThat(picked).hasSize(RedisServerProcess.FREE_PORT_ATTEMPTS);
        }
    }

    @Test
    void badArgumentFailsWithRedisOwnExplanation() {
        RedisServerProcess redis =
                RedisServerProcess.builder().extraArgs("--no-such-option", "1").build();

        assertThatThrownBy(redis::start)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no-such-option");
    }

    @Test
    void serverLeftRunningIsEndedWhenItsJvmExits() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process childJvm = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LeaveRedisRunning.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(childJvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(childJvm.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Matcher pidLine = Pattern.compile("(?m)^PID (\\d+)$").matcher(output);
        assertThat(pidLine.find()).as("child JVM output:%n%s", output).isTrue();

        Optional<ProcessHandle> server = ProcessHandle.of(Long.parseLong(pidLine.group(1)));

        try {
            assertThat(server.map(handle -> handle.onExit()
                                    .completeOnTimeout(handle, 5, TimeUnit.SECONDS)
                                    .join())
                            .filter(ProcessHandle::isAlive))
                    .as("redis-server left behind by the child JVM")
                    .isEmpty();
        } finally {
            server.ifPresent(ProcessHandle::destroyForcibly); // when this test fails, it must not leave one behind
        }
    }

    @Test
    void anOrderlyShutdownHookStillReachesTheServerBeforeTheExitingJvmEndsIt() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process childJvm = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        NeedRedisWhileStopping.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(childJvm.getInputStream(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null && !line.equals("READY"); line = lines.readLine()) {
                // the server is starting
            }

            // SIGTERM through the handle: Process.destroy() would also close the streams this test still reads.
            childJvm.toHandle().destroy(); // both shutdown hooks, the reaper's and the orderly one, run at once

            StringBuilder rest = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                rest.append(line).append('\n');
            }
            assertThat(childJvm.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(rest.toString()).contains("ORDERLY STOP REACHED REDIS true");
        } finally {
            childJvm.destroyForcibly();
        }
    }

    @Test
    void portIsUnknownUntilTheFirstStartPicksIt() {
        RedisServerProcess redis = RedisServerProcess.builder().build();

        assertThatThrownBy(redis::port).isInstanceOf(IllegalStateException.class);
        assertThat(RedisServerProcess.builder().port(6390).build().uri()).isEqualTo("redis://127.0.0.1:6390");
    }

    private static Optional<String> command(RedisServerProcess redis, String... args) throws IOException {
        return RedisPing.command(redis.host(), redis.port(), TIMEOUT, args);
    }

    private static String freshKey() {
        return "test:" + UUID.randomUUID();
    }
}
