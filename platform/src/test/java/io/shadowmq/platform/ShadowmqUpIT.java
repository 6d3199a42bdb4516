package io.shadowmq.platform;

import io.shadowmq.broker.FreePort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./shadowmq up} as an operator runs it: a separate JVM with the packaged platform, its READY line, a REST
 * call, the broker's metrics on {@code /metrics}, a clean stop on SIGTERM (Redis child included) and one-line failures.
 */
class ShadowmqUpIT {

    @TempDir
    static Path dataDir;

    static Process platform;
    static int mqttPort;
    static int httpPort;
    static final List<String> output = new ArrayList<>();
    private static final Map<Process, BufferedReader> READERS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        mqttPort = FreePort.pick();
        httpPort = FreePort.pick();
        platform = launch(
                "up",
                "--mqtt-port",
                Integer.toString(mqttPort),
                "--http-port",
                Integer.toString(httpPort),
                "--host",
                "127.0.0.1",
                "--data-dir",
                dataDir.toString());
        String ready = awaitLine(platform, "READY", 120);
        assertThat(ready).isEqualTo("READY mqtt=tcp://127.0.0.1:" + mqttPort + " http=http://127.0.0.1:" + httpPort);
        assertThat(awaitLine(platform, "console: ", 10))
                .isEqualTo("console: http://127.0.0.1:" + httpPort + "/console/ (sign in with the admin token)");
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null && platform.isAlive()) {
            platform.destroyForcibly();
        }
    }

    @Test
    void thePlatformServesRestWithTheAdminTokenKeptInTheDataDirAndStopsCleanlyOnSigterm() throws Exception {
        String token = Files.readString(dataDir.resolve("admin-token")).trim();
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/things"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"thingId\":\"car-1\",\"type\":\"car\",\"owner\":\"alice\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(Files.exists(dataDir.resolve("redis"))).isTrue();
        // The demo household is there by default, its devices connected, and the console that shows it is served.
        assertThat(output).anyMatch(line -> line.startsWith("[demo] household demo"));
        assertThat(get("/api/v1/things/demo-car", token).body())
                .contains("\"owner\":\"demo\"")
                .contains("\"connected\":true");
        assertThat(get("/console/", token).statusCode()).isEqualTo(200);
        // One scrape shows the REST service's metrics and the broker extension's (docs/deploy.md lists them).
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("(?m)^shadowmq_broker_updates_accepted_total \\d")
                .containsPattern("(?m)^shadowmq_broker_feed_things_watched \\d")
                .contains("shadowmq_broker_store_latency_seconds{quantile=\"0.99\"}")
                .contains("http_server_requests_seconds");

        long redisPid = redisChildPid();
        // SIGTERM, like Ctrl-C; through the handle, because Process.destroy() also closes the streams read below.
        platform.toHandle().destroy();

        assertThat(platform.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false))
                .as("no orphan redis-server")
                .isFalse();
        // Redis went last: the broker released its lease and marked its things disconnected in it on the way down.
        String log = new String(platform.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(log).contains("lease released").doesNotContain("stopped without marking");
    }

    @Test
    void aTakenPortEndsItWithOneLineAndExit1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process second = launch(
                    "up",
                    "--mqtt-port",
                    Integer.toString(taken.getLocalPort()),
                    "--http-port",
                    Integer.toString(FreePort.pick()),
                    "--host",
                    "127.0.0.1",
                    "--data-dir",
                    dataDir.resolve("second").toString());
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String stderr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(stderr.lines()
                            .filter(line -> line.startsWith("shadowmq up:"))
                            .toList())
                    .containsExactly(
                            "shadowmq up: MQTT port " + taken.getLocalPort() + " is taken (Address already in use)");
        }
    }

    @Test
    void anUnreachableRedisEndsItWithOneLineAndExit1() throws Exception {
        Process second = launch(
                "up",
                "--mqtt-port",
                Integer.toString(FreePort.pick()),
                "--http-port",
                Integer.toString(FreePort.pick()),
                "--host",
                "127.0.0.1",
                "--redis",
                "redis://127.0.0.1:" + FreePort.pick(),
                "--data-dir",
                dataDir.resolve("third").toString());
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(stderr).containsPattern("shadowmq up: Redis at redis://127.0.0.1:\\d+ is unreachable");
    }

    private static long redisChildPid() {
        return platform.toHandle()
                .descendants()
                .filter(child -> child.info()
                        .command()
                        .map(command -> command.contains("redis-server"))
                        .orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no redis-server child"))
                .pid();
    }

    static Process launch(String... args) throws IOException {
        return new ProcessBuilder(command(args)).start();
    }

    /** The command line of {@code ./shadowmq ARGS} on this module's packaged platform. */
    static List<String> command(String... args) throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        String jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.map(Path::toString)
                    .filter(name -> name.matches(".*/platform-[^/]*\\.jar") && !name.endsWith("-tests.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("platform jar missing: run ./mvnw package"));
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dshadowmq.extension.folder="
                        + Path.of("..", "extension", "target", "shadowmq-extension")
                                .toAbsolutePath()
                                .normalize(),
                "-cp",
                jar + File.pathSeparator + target.resolve("lib") + File.separator + "*",
                "io.shadowmq.platform.ShadowmqCli"));
        command.addAll(List.of(args));
        return command;
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String awaitLine(Process process, String prefix, int seconds) throws Exception {
        // One reader per process: a second reader would miss what the first one had buffered ahead.
        BufferedReader reader = READERS.computeIfAbsent(
                process,
                started -> new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8)));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String next; (next = reader.readLine()) != null; ) {
                    output.add(next);
                    if (next.startsWith(prefix)) {
                        return next;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String found = line.get(seconds, TimeUnit.SECONDS);
        if (found == null) {
            throw new AssertionError("no " + prefix + " line; output: " + output + "\nstderr: "
                    + new String(process.getErrorStream().readNBytes(4000), StandardCharsets.UTF_8));
        }
        return found;
    }
}
