package io.shadowmq.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.platform.up.DistributedPlatform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scaled-out platform the cross-node tests run against, shared by a test class: a 3-master Redis Cluster, two
 * brokers and two REST services, each node in a JVM of its own ({@link DistributedPlatform}, as
 * {@code ./shadowmq up --brokers 2 --services 2 --redis-cluster 3} runs them), and the clients a test needs: REST
 * calls to a chosen service, MQTT things on a chosen broker.
 *
 * <pre>{@code
 * static ScaledOutPlatform platform = ScaledOutPlatform.start(tempDir);
 * String secret = platform.provision(0, "car-1", "car", "alice");
 * Mqtt5BlockingClient car = platform.connect(1, "car-1", secret);   // on broker 2
 * platform.rest(1, "PATCH", "/api/v1/things/car-1/shadow", "{...}"); // through service 2
 * }</pre>
 */
final class ScaledOutPlatform implements AutoCloseable {

    static final Path EXTENSION_FOLDER = Path.of("..", "extension", "target", "shadowmq-extension");
    private static final AtomicInteger ids = new AtomicInteger();

    private final DistributedPlatform platform;
    private final HttpClient http = HttpClient.newHttpClient();

    private ScaledOutPlatform(DistributedPlatform platform) {
        this.platform = platform;
    }

    static ScaledOutPlatform start(Path dataDir) throws Exception {
        return new ScaledOutPlatform(DistributedPlatform.start(new DistributedPlatform.Options("127.0.0.1",
                consecutiveFreePorts(2), consecutiveFreePorts(2), 2, 2, 3, 0, null, dataDir, EXTENSION_FOLDER, null),
                line -> { }));
    }

    DistributedPlatform nodes() {
        return platform;
    }

    /** A thing id no other test of the run uses. */
    static String fresh(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + ids.incrementAndGet();
    }

    /** Provisions a thing through service {@code service} (0-based) and answers its secret. */
    String provision(int service, String thingId, String type, String owner) throws Exception {
        HttpResponse<String> created = rest(service, "POST", "/api/v1/things",
                "{\"thingId\":\"" + thingId + "\",\"type\":\"" + type + "\",\"owner\":\"" + owner + "\"}");
        if (created.statusCode() != 201) {
            throw new AssertionError("provisioning " + thingId + ": " + created.statusCode() + " " + created.body());
        }
        return SafeJson.read(created.body()).get("secret").asText();
    }

    HttpResponse<String> rest(int service, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.httpUris().get(service) + path))
                .header("Authorization", "Bearer " + platform.adminToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode thing(int service, String thingId) throws Exception {
        return SafeJson.read(rest(service, "GET", "/api/v1/things/" + thingId, null).body());
    }

    /** An SSE request to service {@code service}, to be sent by the caller. */
    HttpRequest.Builder events(int service, String path) {
        return HttpRequest.newBuilder(URI.create(platform.httpUris().get(service) + path))
                .header("Authorization", "Bearer " + platform.adminToken()).header("Accept", "text/event-stream");
    }

    /** A thing connected with MQTT 5 to broker {@code broker} (0-based), clean start. */
    Mqtt5BlockingClient connect(int broker, String thingId, String secret) {
        URI uri = URI.create(platform.mqttUris().get(broker));
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(thingId)
                .serverHost(uri.getHost()).serverPort(uri.getPort()).buildBlocking();
        client.connectWith().simpleAuth().username(thingId).password(secret.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        return client;
    }

    @Override
    public void close() {
        platform.close();
    }

    /**
     * The first of {@code count} loopback ports in a row that nobody listens on right now, below the ephemeral range
     * (32768 and up on Linux), where the Redis nodes started after the pick and every outgoing connection take
     * theirs: a port picked there can be gone by the time its broker binds it.
     */
    static int consecutiveFreePorts(int count) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
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
