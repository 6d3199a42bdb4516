package io.shadowmq.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.shadowmq.broker.FreePort;
import io.shadowmq.model.json.SafeJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./shadowmq up} supervises the Redis it started: killed with {@code kill -9} under a stream of updates, it is
 * reported in one line and restarted on the same port and data dir; REST and devices recover by themselves and no
 * acknowledged update is lost.
 */
class RedisSupervisionIT {

    @TempDir
    static Path dataDir;

    static Process platform;
    static int mqttPort;
    static int httpPort;
    static String adminToken;
    static final List<String> stdout = new CopyOnWriteArrayList<>();
    static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One PATCH of the stream: when it was answered, with what, and the version it reported. */
    record Sent(long answeredAtNanos, int status, long version, int volume) {}

    @BeforeAll
    static void start() throws Exception {
        mqttPort = FreePort.pick();
        httpPort = FreePort.pick();
        platform = ShadowmqUpIT.launch(
                "up",
                "--mqtt-port",
                Integer.toString(mqttPort),
                "--http-port",
                Integer.toString(httpPort),
                "--host",
                "127.0.0.1",
                "--data-dir",
                dataDir.toString(),
                // Supervision only: the demo household's devices would add writes this test does not count on.
                "--no-demo");
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(platform.getInputStream(), StandardCharsets.UTF_8));
        Thread collector = new Thread(
                () -> {
                    try {
                        for (String line; (line = reader.readLine()) != null; ) {
                            stdout.add(line);
                        }
                    } catch (IOException ended) {
                        // the process is gone
                    }
                },
                "up-stdout");
        collector.setDaemon(true);
        collector.start();
        // Its log goes to stderr: drained all along, so a full pipe never blocks it.
        Thread logDrain = new Thread(
                () -> {
                    try {
                        platform.getErrorStream().transferTo(OutputStream.nullOutputStream());
                    } catch (IOException ended) {
                        // the process is gone
                    }
                },
                "up-stderr");
        logDrain.setDaemon(true);
        logDrain.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> stdout.stream().anyMatch(line -> line.startsWith("READY")));
        adminToken = Files.readString(dataDir.resolve("admin-token")).trim();
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null && platform.isAlive()) {
            platform.destroy();
            if (!platform.waitFor(60, TimeUnit.SECONDS)) {
                platform.destroyForcibly();
            }
        }
    }

    @Test
    void aKilledRedisIsRestartedAndUpdatesFlowAgainWithinTenSecondsWithNoAcknowledgedUpdateLost() throws Exception {
        String secret = SafeJson.read(rest(
                                "POST",
                                "/api/v1/things",
                                "{\"thingId\":\"speaker-1\",\"type\":\"speaker\",\"owner\":\"alice\"}")
                        .body())
                .get("secret")
                .asText();
        List<Sent> sent = new ArrayList<>();
        long redisPid = redisChildPid();

        for (int i = 0; i < 30; i++) {
            sent.add(patchVolume(i));
        }
        long killedAt = System.nanoTime();
        assertThat(ProcessHandle.of(redisPid).orElseThrow().destroyForcibly()).isTrue(); // SIGKILL
        int accepted = 0;
        for (int i = 30; accepted < 30 && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(30); i++) {
            Sent next = patchVolume(i);
            sent.add(next);
            accepted += next.status() == 200 ? 1 : 0;
        }

        Sent firstAfterKill = sent.stream()
                .skip(30)
                .filter(s -> s.status() == 200)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no update accepted within 30 s after the kill; "
                        + (sent.size() - 30) + " refused, the last with "
                        + sent.get(sent.size() - 1).status()));
        Duration recovery = Duration.ofNanos(firstAfterKill.answeredAtNanos() - killedAt);
        System.out.printf(
                "first update accepted %d ms after kill -9; %d of %d updates after the kill refused%n",
                recovery.toMillis(),
                sent.stream().skip(30).filter(s -> s.status() != 200).count(),
                sent.size() - 30);
        assertThat(recovery).isLessThan(Duration.ofSeconds(10));
        assertThat(sent.stream().skip(30).filter(s -> s.status() != 200).map(Sent::status))
                .allMatch(status -> status == 503 || status == 0); // refused while Redis is away, or timed out
        List<Long> versions =
                sent.stream().filter(s -> s.status() == 200).map(Sent::version).toList();
        assertThat(versions)
                .as("no acknowledged version was lost and handed out again")
                .isSorted()
                .doesNotHaveDuplicates();
        Sent last =
                sent.stream().filter(s -> s.status() == 200).reduce((a, b) -> b).orElseThrow();
        JsonNode stored =
                SafeJson.read(rest("GET", "/api/v1/things/speaker-1/shadow", null, "Cache-Control", "no-cache")
                        .body());
        // A request that timed out may still have been applied (it was not acknowledged), so the shadow may be ahead.
        assertThat(stored.get("version").asLong()).isGreaterThanOrEqualTo(last.version());
        if (stored.get("version").asLong() == last.version()) {
            assertThat(stored.at("/state/desired/volume").asInt()).isEqualTo(last.volume());
        }

        assertThat(stdout)
                .anyMatch(line -> line.startsWith("redis: redis-server pid " + redisPid)
                        && line.contains("was killed by signal 9")
                        && line.contains("restarting it on the same port and data dir"));
        assertThat(redisChildPid()).isNotEqualTo(redisPid);
        assertThat(platform.isAlive()).isTrue();

        // A device connects (its secret is checked against the restarted Redis), is answered, and gets the delta of a
        // REST change: the broker's change-feed follower resumed too.
        Mqtt5BlockingClient speaker = MqttClient.builder()
                .useMqttVersion5()
                .identifier("speaker-1")
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .buildBlocking();
        assertThat(speaker.connectWith()
                        .simpleAuth()
                        .username("speaker-1")
                        .password(secret.getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth()
                        .send()
                        .getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        try (Mqtt5BlockingClient.Mqtt5Publishes answers = speaker.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            speaker.subscribeWith()
                    .topicFilter("things/speaker-1/shadow/update/accepted")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            speaker.subscribeWith()
                    .topicFilter("things/speaker-1/shadow/update/delta")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            speaker.publishWith()
                    .topic("things/speaker-1/shadow/update")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"state\":{\"reported\":{\"volume\":7}},\"clientToken\":\"after-restart\"}"
                            .getBytes(StandardCharsets.UTF_8))
                    .send();
            JsonNode answer = next(answers, "things/speaker-1/shadow/update/accepted");
            assertThat(answer.get("version").asLong()).isGreaterThan(last.version());
            assertThat(rest("PATCH", "/api/v1/things/speaker-1/shadow", "{\"state\":{\"desired\":{\"volume\":42}}}")
                            .statusCode())
                    .isEqualTo(200);
            // The delta pending since the stream may come first (pushed on subscribe); the new one follows.
            JsonNode delta = next(answers, "things/speaker-1/shadow/update/delta");
            if (delta.at("/state/volume").asInt() != 42) {
                delta = next(answers, "things/speaker-1/shadow/update/delta");
            }
            assertThat(delta.at("/state/volume").asInt()).isEqualTo(42);
        } finally {
            speaker.disconnect();
        }
    }

    @Test
    void aRedisThatKeepsDyingEndsUpWithOneLineAndExit1AndLeavesNothingRunning() throws Exception {
        Process second = ShadowmqUpIT.launch(
                "up",
                "--mqtt-port",
                Integer.toString(FreePort.pick()),
                "--http-port",
                Integer.toString(FreePort.pick()),
                "--host",
                "127.0.0.1",
                "--data-dir",
                dataDir.resolve("second").toString(),
                "--no-demo");
        // Its log goes to stderr: drained all along, so a full pipe never blocks it.
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null && !line.startsWith("READY"); ) {
                // the start-up phases
            }
            Set<Long> killed = new HashSet<>();
            // Each restarted Redis is killed as soon as it is there: 5 fast failures in a row.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                second.toHandle()
                        .descendants()
                        .filter(child -> child.isAlive()
                                && child.info()
                                        .command()
                                        .map(c -> c.contains("redis-server"))
                                        .orElse(false))
                        .filter(child -> killed.add(child.pid()))
                        .forEach(ProcessHandle::destroyForcibly);
                return !second.isAlive();
            });

            String stderr = errors.get(10, TimeUnit.SECONDS);
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(killed).hasSize(5);
            assertThat(stderr.lines()
                            .filter(line -> line.startsWith("shadowmq up:"))
                            .toList())
                    .singleElement()
                    // The last death is a kill, or a restart killed before it answered: both count.
                    .satisfies(line -> assertThat(line)
                            .containsPattern("killed by signal 9|exited with code 137")
                            .endsWith("giving up after 5 failures in a row; stopping"));
            assertThat(second.toHandle().descendants().filter(ProcessHandle::isAlive))
                    .as("nothing left running")
                    .isEmpty();
        } finally {
            second.destroyForcibly();
        }
    }

    /** The next message on {@code topic}, skipping others. */
    private static JsonNode next(Mqtt5BlockingClient.Mqtt5Publishes messages, String topic) throws Exception {
        while (true) {
            Mqtt5Publish message = messages.receive(10, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("nothing on " + topic + " within 10 s"));
            if (message.getTopic().toString().equals(topic)) {
                return SafeJson.read(message.getPayloadAsBytes());
            }
        }
    }

    private static Sent patchVolume(int i) throws Exception {
        int volume = i % 101;
        HttpResponse<String> response;
        try {
            response = rest(
                    "PATCH",
                    "/api/v1/things/speaker-1/shadow",
                    "{\"state\":{\"desired\":{\"volume\":" + volume + "}},\"clientToken\":\"v-" + i + "\"}");
        } catch (IOException timedOut) {
            return new Sent(System.nanoTime(), 0, -1, volume);
        }
        long version = response.statusCode() == 200
                ? SafeJson.read(response.body()).get("version").asLong()
                : -1;
        return new Sent(System.nanoTime(), response.statusCode(), version, volume);
    }

    private static HttpResponse<String> rest(String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long redisChildPid() {
        return platform.toHandle()
                .descendants()
                .filter(child -> child.isAlive()
                        && child.info()
                                .command()
                                .map(command -> command.contains("redis-server"))
                                .orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no redis-server child"))
                .pid();
    }
}
