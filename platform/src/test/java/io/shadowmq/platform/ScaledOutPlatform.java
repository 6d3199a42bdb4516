package io.shadowmq.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.shadowmq.model.json.SafeJson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scaled-out platform the cross-node tests run against, shared by a test class: {@code ./shadowmq up --brokers 2
 * --services 2 --redis-cluster 3} launched as an operator runs it — a 3-master Redis Cluster, two brokers and two REST
 * services, each a process of its own — and the clients a test needs: REST calls to a chosen service, MQTT things on
 * a chosen broker.
 *
 * <pre>{@code
 * static ScaledOutPlatform platform = ScaledOutPlatform.start(tempDir);
 * String secret = platform.provision(0, "car-1", "car", "alice");
 * Mqtt5BlockingClient car = platform.connect(1, "car-1", secret);   // on broker 2
 * platform.rest(1, "PATCH", "/api/v1/things/car-1/shadow", "{...}"); // through service 2
 * }</pre>
 */
final class ScaledOutPlatform implements AutoCloseable {

    private static final AtomicInteger ids = new AtomicInteger();

    private final Process up;
    private final Path stderr;
    private final List<String> mqttUris;
    private final List<String> httpUris;
    private final String adminToken;
    private final HttpClient http = HttpClient.newHttpClient();

    private ScaledOutPlatform(
            Process up, Path stderr, List<String> mqttUris, List<String> httpUris, String adminToken) {
        this.up = up;
        this.stderr = stderr;
        this.mqttUris = mqttUris;
        this.httpUris = httpUris;
        this.adminToken = adminToken;
    }

    /** Launches it with its data (and {@code up.stderr}) in {@code dir}; returns once it printed READY. */
    static ScaledOutPlatform start(Path dir) throws Exception {
        Path stderr = dir.resolve("up.stderr");
        Path dataDir = dir.resolve("data");
        Process up = new ProcessBuilder(ShadowmqUpIT.command(
                        "up",
                        "--brokers",
                        "2",
                        "--services",
                        "2",
                        "--redis-cluster",
                        "3",
                        "--mqtt-port",
                        Integer.toString(consecutiveFreePorts(2)),
                        "--http-port",
                        Integer.toString(consecutiveFreePorts(2)),
                        "--host",
                        "127.0.0.1",
                        "--data-dir",
                        dataDir.toString()))
                .redirectError(stderr.toFile())
                .start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
        String ready = CompletableFuture.supplyAsync(() -> stdout.lines()
                        .filter(line -> line.startsWith("READY"))
                        .findFirst()
                        .orElse(null))
                .get(240, TimeUnit.SECONDS);
        if (ready == null) {
            throw new AssertionError("up ended without READY: " + Files.readString(stderr));
        }
        // Its output from now on is not read: drained, so it never blocks on a full pipe.
        Thread drain = new Thread(() -> stdout.lines().forEach(line -> {}), "up-stdout");
        drain.setDaemon(true);
        drain.start();
        Matcher endpoints = Pattern.compile("READY mqtt=(\\S+) http=(\\S+)").matcher(ready);
        if (!endpoints.matches()) {
            throw new AssertionError("not a READY line: " + ready);
        }
        return new ScaledOutPlatform(
                up,
                stderr,
                List.of(endpoints.group(1).split(",")),
                List.of(endpoints.group(2).split(",")),
                Files.readString(dataDir.resolve("admin-token")).trim());
    }

    /** The {@code ./shadowmq up} process. */
    Process up() {
        return up;
    }

    /** What {@code up} wrote on stderr so far. */
    List<String> stderr() throws IOException {
        return Files.readAllLines(stderr);
    }

    List<String> mqttUris() {
        return mqttUris;
    }

    List<String> httpUris() {
        return httpUris;
    }

    String adminToken() {
        return adminToken;
    }

    /** A thing id no other test of the run uses. */
    static String fresh(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + ids.incrementAndGet();
    }

    /** Provisions a thing through service {@code service} (0-based) and answers its secret. */
    String provision(int service, String thingId, String type, String owner) throws Exception {
        HttpResponse<String> created = rest(
                service,
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + thingId + "\",\"type\":\"" + type + "\",\"owner\":\"" + owner + "\"}");
        if (created.statusCode() != 201) {
            throw new AssertionError("provisioning " + thingId + ": " + created.statusCode() + " " + created.body());
        }
        return SafeJson.read(created.body()).get("secret").asText();
    }

    HttpResponse<String> rest(int service, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpUris.get(service) + path))
                .header("Authorization", "Bearer " + adminToken)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header(
                    "Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode thing(int service, String thingId) throws Exception {
        return SafeJson.read(
                rest(service, "GET", "/api/v1/things/" + thingId, null).body());
    }

    /** An SSE request to service {@code service}, to be sent by the caller. */
    HttpRequest.Builder events(int service, String path) {
        return HttpRequest.newBuilder(URI.create(httpUris.get(service) + path))
                .header("Authorization", "Bearer " + adminToken)
                .header("Accept", "text/event-stream");
    }

    /** A thing connected with MQTT 5 to broker {@code broker} (0-based), clean start. */
    Mqtt5BlockingClient connect(int broker, String thingId, String secret) {
        URI uri = URI.create(mqttUris.get(broker));
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(thingId)
                .serverHost(uri.getHost())
                .serverPort(uri.getPort())
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(thingId)
                .password(secret.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return client;
    }

    /** SIGTERM, as Ctrl-C: up stops every node; killed if it has not within a minute. */
    @Override
    public void close() throws InterruptedException {
        up.destroy();
        if (!up.waitFor(60, TimeUnit.SECONDS)) {
            up.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    /**
     * The first of {@code count} loopback ports in a row that nobody listens on right now, below the ephemeral range
     * (32768 and up on Linux), where the Redis nodes started after the pick and every outgoing connection take
     * theirs: a port picked there can be gone by the time its broker binds it.
     */
    static int consecutiveFreePorts(int count) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first =
                    20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("no " + count + " free ports in a row");
    }
}
