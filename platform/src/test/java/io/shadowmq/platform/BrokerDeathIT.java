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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence survives the death of a broker: two HiveMQ brokers with the packaged extension, each in a JVM of its own,
 * and a REST service, on one Redis. A broker killed with {@code kill -9} (no DISCONNECT, no goodbye to Redis) has
 * the things it held shown disconnected, with {@code lastDisconnectedAt}, within its lease plus a reaper's interval -
 * noticed by the surviving broker or the REST service, whoever comes first - while a thing that already reconnected
 * to the surviving broker stays connected. With the survivor killed too, the REST service alone notices. A broker
 * only paused past its lease (SIGSTOP, as a long GC pause) is taken for dead, and shows its things connected again
 * when it resumes.
 * Short leases here (3 s, renewed every second, reapers every second) keep the test short; the defaults (15 s, 5 s,
 * 5 s) bound it at 20 s the same way.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the last test kills both brokers
class BrokerDeathIT {

    private static final String PRESENCE_SETTINGS = "<presence><lease-seconds>3</lease-seconds>"
            + "<lease-renew-seconds>1</lease-renew-seconds><reap-interval-seconds>1</reap-interval-seconds></presence>";
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration REAP_INTERVAL = Duration.ofSeconds(1);
    /** Lease + reaper interval, and room for a busy machine (the figure seen is printed). */
    private static final Duration BOUND = LEASE.plus(REAP_INTERVAL).plusSeconds(4);
    private static final String PEPPER = "broker-death-pepper-0123456789";
    private static final String ADMIN_TOKEN = "broker-death-admin-token-0123456789";
    private static final Path EXTENSION = Path.of("..", "extension", "target", "shadowmq-extension");

    @TempDir
    static Path dir;
    static RedisServerProcess redis;
    static BrokerProcess doomed;
    static BrokerProcess survivor;
    static ShadowService service;
    static final HttpClient http = HttpClient.newHttpClient();
    static final List<Mqtt5BlockingClient> devices = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.builder().build().start();
        RedisTarget target = RedisTarget.standalone(redis.uri());
        CompletableFuture<BrokerProcess> first = CompletableFuture.supplyAsync(() -> broker("broker-1", target));
        CompletableFuture<BrokerProcess> second = CompletableFuture.supplyAsync(() -> broker("broker-2", target));
        service = ShadowService.start(ServiceConfig.builder().httpHost("127.0.0.1").httpPort(0)
                .redisAddress(redis.uri()).pepper(PEPPER).adminToken(ADMIN_TOKEN)
                .presenceReapInterval(REAP_INTERVAL).build());
        doomed = first.join();
        survivor = second.join();
    }

    private static BrokerProcess broker(String name, RedisTarget target) {
        try {
            return BrokerProcess.start(name, dir.resolve(name), EXTENSION, "127.0.0.1", FreePort.pick(), target,
                    PEPPER, PRESENCE_SETTINGS);
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not start: " + e.getMessage(), e);
        }
    }

    @AfterAll
    static void stop() {
        for (Mqtt5BlockingClient device : devices) {
            try {
                device.disconnect();
            } catch (RuntimeException alreadyGone) {
                // its broker was killed
            }
        }
        for (AutoCloseable each : new AutoCloseable[]{doomed, survivor, service, redis}) {
            try {
                if (each != null) {
                    each.close();
                }
            } catch (Exception e) {
                System.err.println("while stopping " + each + ": " + e.getMessage());
            }
        }
    }

    @Test
    @Order(1)
    void aBrokerPausedPastItsLeaseIsTakenForDeadAndShowsItsThingsConnectedAgainWhenItResumes() throws Exception {
        // given: a speaker connected to a broker
        String speaker = provision("speaker", "paused-speaker");
        connect(speaker, survivor);
        await().atMost(Duration.ofSeconds(10)).until(() -> connected(speaker));

        // when: the broker stops dead for longer than its lease (as in a long GC pause), then goes on
        signal("STOP", survivor);
        try {
            await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> !connected(speaker));
        } finally {
            signal("CONT", survivor);
        }

        // then: it renews its lease, finds it was lost, and shows the speaker - still connected to it - connected
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> connected(speaker));
    }

    @Test
    @Order(2)
    void aKilledBrokersThingsAreShownDisconnectedWithinItsLeaseExceptOnesThatReconnectedElsewhere() throws Exception {
        // given: a car and a fridge connected to the broker about to die, a washer to the other one
        String car = provision("car", "death-car");
        String fridge = provision("fridge", "death-fridge");
        String washer = provision("washer", "death-washer");
        connect(car, doomed);
        connect(fridge, doomed);
        connect(washer, survivor);
        await().atMost(Duration.ofSeconds(10)).until(() -> connected(car) && connected(fridge) && connected(washer));

        // when: the broker is killed outright, and the fridge reconnects to the survivor at once
        long killedAt = System.currentTimeMillis();
        doomed.killForcibly();
        connect(fridge, survivor);

        // then: the car is shown disconnected within the bound; the fridge and the washer stay connected
        await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> !connected(car));
        long noticedAfter = System.currentTimeMillis() - killedAt;
        System.out.printf("BrokerDeathIT: a killed broker's thing shown disconnected %d ms after kill -9 "
                + "(lease %d s, reapers every %d s)%n", noticedAfter, LEASE.toSeconds(), REAP_INTERVAL.toSeconds());
        JsonNode carNow = thing(car);
        assertThat(carNow.get("lastDisconnectedAt").asLong()).isBetween(killedAt, System.currentTimeMillis());
        assertThat(connected(fridge)).as("fridge, reconnected to the surviving broker").isTrue();
        assertThat(connected(washer)).as("washer, on the surviving broker all along").isTrue();

        // and when the survivor dies too, the REST service alone notices
        survivor.killForcibly();
        await().atMost(BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> !connected(fridge) && !connected(washer));
    }

    private static void signal(String signal, BrokerProcess broker) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(broker.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    private static String provision(String type, String id) throws Exception {
        HttpResponse<String> created = rest("POST", "/api/v1/things",
                "{\"thingId\":\"" + id + "\",\"type\":\"" + type + "\",\"owner\":\"death-household\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        secrets.add(new String[]{id, SafeJson.read(created.body()).get("secret").asText()});
        return id;
    }

    private static final List<String[]> secrets = new ArrayList<>();

    private static void connect(String thing, BrokerProcess broker) {
        String secret = secrets.stream().filter(pair -> pair[0].equals(thing)).findFirst().orElseThrow()[1];
        URI mqtt = URI.create(broker.mqttUri());
        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier(thing)
                .serverHost(mqtt.getHost()).serverPort(mqtt.getPort()).buildBlocking();
        device.connectWith().simpleAuth().username(thing).password(secret.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        devices.add(device);
    }

    private static boolean connected(String thing) throws Exception {
        return thing(thing).get("connected").asBoolean();
    }

    private static JsonNode thing(String thing) throws Exception {
        HttpResponse<String> found = rest("GET", "/api/v1/things/" + thing, null);
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        return SafeJson.read(found.body());
    }

    private static HttpResponse<String> rest(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
