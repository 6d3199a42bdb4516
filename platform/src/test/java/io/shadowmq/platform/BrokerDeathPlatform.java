package io.shadowmq.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.shadowmq.broker.FreePort;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.platform.nodes.BrokerProcess;
import io.shadowmq.platform.up.RedisTarget;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.service.ServiceConfig;
import io.shadowmq.service.ShadowService;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Redis, two HiveMQ brokers with the packaged extension each in a JVM of its own ({@link BrokerProcess}, so a
 * test can {@code kill -9} one), and a REST service, with the given presence lease settings; devices are real MQTT
 * clients, presence is read through the REST API. Shared by one test class.
 */
final class BrokerDeathPlatform implements BeforeAllCallback, AfterAllCallback {

    private static final String PEPPER = "broker-death-pepper-0123456789";
    private static final String ADMIN_TOKEN = "broker-death-admin-token-0123456789";
    private static final Path EXTENSION = Path.of("..", "extension", "target", "shadowmq-extension");

    final Duration lease;
    final Duration reapInterval;
    private final String presenceSettings;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Mqtt5BlockingClient> devices = new ArrayList<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private Path dir;
    private RedisServerProcess redis;
    private BrokerProcess first;
    private BrokerProcess second;
    private ShadowService service;

    /** Brokers renew every {@code renewEvery}; brokers and the service look for dead brokers every {@code reapInterval}. */
    BrokerDeathPlatform(Duration lease, Duration renewEvery, Duration reapInterval) {
        this.lease = lease;
        this.reapInterval = reapInterval;
        this.presenceSettings = "<presence><lease-seconds>" + lease.toSeconds() + "</lease-seconds>"
                + "<lease-renew-seconds>" + renewEvery.toSeconds() + "</lease-renew-seconds>"
                + "<reap-interval-seconds>" + reapInterval.toSeconds() + "</reap-interval-seconds></presence>";
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("broker-death");
        redis = RedisServerProcess.builder().build().start();
        RedisTarget target = RedisTarget.standalone(redis.uri());
        CompletableFuture<BrokerProcess> starting1 = CompletableFuture.supplyAsync(() -> broker("broker-1", target));
        CompletableFuture<BrokerProcess> starting2 = CompletableFuture.supplyAsync(() -> broker("broker-2", target));
        service = ShadowService.start(ServiceConfig.builder()
                .httpHost("127.0.0.1")
                .httpPort(0)
                .redisAddress(redis.uri())
                .pepper(PEPPER)
                .adminToken(ADMIN_TOKEN)
                .presenceReapInterval(reapInterval)
                .build());
        first = starting1.join();
        second = starting2.join();
    }

    private BrokerProcess broker(String name, RedisTarget target) {
        try {
            return BrokerProcess.start(
                    name, dir.resolve(name), EXTENSION, "127.0.0.1", FreePort.pick(), target, PEPPER, presenceSettings);
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (Mqtt5BlockingClient device : devices) {
            try {
                device.disconnect();
            } catch (RuntimeException alreadyGone) {
                // its broker was killed
            }
        }
        for (AutoCloseable each : new AutoCloseable[] {first, second, service, redis}) {
            try {
                if (each != null) {
                    each.close();
                }
            } catch (Exception e) {
                System.err.println("while stopping " + each + ": " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            System.err.println("while removing " + dir + ": " + e.getMessage());
        }
    }

    BrokerProcess first() {
        return first;
    }

    BrokerProcess second() {
        return second;
    }

    /** Lease + reaper interval, and room for a busy machine (tests print the figure they saw). */
    Duration bound() {
        return lease.plus(reapInterval).plusSeconds(4);
    }

    /** Sends {@code kill -<signal>} to a broker's JVM: STOP pauses it, CONT resumes it. */
    void signal(String signal, BrokerProcess broker) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(broker.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    /** A new thing of {@code type}, provisioned through the REST API; its id. */
    String provision(String type, String id) throws Exception {
        HttpResponse<String> created = rest(
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + id + "\",\"type\":\"" + type + "\",\"owner\":\"death-household\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        secrets.put(id, SafeJson.read(created.body()).get("secret").asText());
        return id;
    }

    /** Connects the thing to {@code broker} as its device would (MQTT 5, its secret); left connected. */
    void connect(String thing, BrokerProcess broker) {
        URI mqtt = URI.create(broker.mqttUri());
        Mqtt5BlockingClient device = MqttClient.builder()
                .useMqttVersion5()
                .identifier(thing)
                .serverHost(mqtt.getHost())
                .serverPort(mqtt.getPort())
                .buildBlocking();
        device.connectWith()
                .simpleAuth()
                .username(thing)
                .password(secrets.get(thing).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        devices.add(device);
    }

    boolean connected(String thing) throws Exception {
        return thing(thing).get("connected").asBoolean();
    }

    /** The thing as {@code GET /api/v1/things/{id}} shows it. */
    JsonNode thing(String thing) throws Exception {
        HttpResponse<String> found = rest("GET", "/api/v1/things/" + thing, null);
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        return SafeJson.read(found.body());
    }

    private HttpResponse<String> rest(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
