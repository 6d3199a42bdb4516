package io.shadowmq.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.platform.up.LocalPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend's path to a device: a REST {@code PATCH} of desired state reaches the connected device as an MQTT
 * {@code update/delta}, and an action invoked over REST reaches it as a command whose every step (the device's PUBACK
 * and status reports) is an event of the thing's stream; through the store's change feed and the broker's extension.
 * Real Redis, real HiveMQ with the packaged extension, real REST service, real MQTT and HTTP clients.
 */
class RestToDeviceIT {

    @TempDir
    static Path dataDir;

    static LocalPlatform platform;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        platform = LocalPlatform.start(
                LocalPlatform.Options.onFreePorts(dataDir, Path.of("..", "extension", "target", "shadowmq-extension")),
                line -> {});
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static HttpResponse<String> rest(String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.httpUri() + path))
                .header("Authorization", "Bearer " + platform.adminToken())
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDesiredPatchOverRestReachesTheConnectedCarAsADelta() throws Exception {
        Mqtt5BlockingClient car = connect("car-rest", provision("car-rest", "car"));
        try (Mqtt5BlockingClient.Mqtt5Publishes deltas = car.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            car.subscribeWith()
                    .topicFilter("things/car-rest/shadow/update/delta")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();

            HttpResponse<String> patched = rest(
                    "PATCH",
                    "/api/v1/things/car-rest/shadow",
                    "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true,\"targetTemperature\":21}}}}}");
            assertThat(patched.statusCode()).isEqualTo(200);
            assertThat(patched.headers().firstValue("ETag")).hasValue("\"1\"");

            Mqtt5Publish delta = deltas.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no delta"));
            JsonNode payload = SafeJson.read(delta.getPayloadAsBytes());
            assertThat(payload.at("/state/cabin/heater/isOn").asBoolean()).isTrue();
            assertThat(payload.at("/state/cabin/heater/targetTemperature").asInt())
                    .isEqualTo(21);
            assertThat(payload.get("version").asLong()).isEqualTo(1);

            HttpResponse<String> stale = rest(
                    "PATCH",
                    "/api/v1/things/car-rest/shadow",
                    "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":false}}}}}",
                    "If-Match",
                    "\"0\"");
            assertThat(stale.statusCode()).isEqualTo(412);
            // The PATCH may have landed while the subscription was being made: then the pending delta pushed on
            // subscribe and the published one both carry version 1. The refused write adds no version.
            for (Mqtt5Publish more = deltas.receive(500, TimeUnit.MILLISECONDS).orElse(null);
                    more != null;
                    more = deltas.receive(500, TimeUnit.MILLISECONDS).orElse(null)) {
                assertThat(SafeJson.read(more.getPayloadAsBytes())
                                .get("version")
                                .asLong())
                        .as("a delta after the refused write")
                        .isEqualTo(1);
            }
        } finally {
            car.disconnect();
        }
        JsonNode thing =
                SafeJson.read(rest("GET", "/api/v1/things/car-rest", null).body());
        assertThat(thing.get("lastConnectedAt").isNumber()).isTrue();
    }

    @Test
    void anActionInvokedOverRestIsCarriedOutByTheWasherAndEveryStepIsAnEvent() throws Exception {
        String secret = provision("washer-rest", "washer");
        BlockingQueue<JsonNode> states = new LinkedBlockingQueue<>();
        HttpResponse<InputStream> events = http.send(
                HttpRequest.newBuilder(URI.create(platform.httpUri() + "/api/v1/things/washer-rest/events"))
                        .header("Authorization", "Bearer " + platform.adminToken())
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> readCommandEvents(events.body(), states), "sse-reader");
        reader.setDaemon(true);
        reader.start();

        // Queued while the washer is offline: delivered when it subscribes.
        HttpResponse<String> invoked =
                rest("POST", "/api/v1/things/washer-rest/actions/start", "{\"input\":{\"program\":\"cotton\"}}");
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(202);
        String first = SafeJson.read(invoked.body()).get("commandId").asText();

        Mqtt5BlockingClient washer = connect("washer-rest", secret);
        try (Mqtt5BlockingClient.Mqtt5Publishes commands = washer.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            washer.subscribeWith()
                    .topicFilter("things/washer-rest/commands/+")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();

            JsonNode command = receive(commands, "things/washer-rest/commands/" + first);
            assertThat(command.get("action").asText()).isEqualTo("start");
            assertThat(command.at("/input/program").asText()).isEqualTo("cotton");
            assertThat(command.get("invokedBy").asText()).isEqualTo("admin");
            // The washer's PUBACK makes it delivered. (A report racing the PUBACK would count as the delivery
            // itself, without a delivered event of its own.)
            List<JsonNode> seen = take(states, 2);
            report(washer, first, "{\"status\":\"running\",\"progress\":50}");
            report(washer, first, "{\"status\":\"succeeded\",\"output\":{\"minutes\":92}}");
            seen.addAll(take(states, 2));

            assertThat(seen)
                    .extracting(state -> state.get("status").asText())
                    .containsExactly("queued", "delivered", "running", "succeeded");
            assertThat(seen)
                    .allSatisfy(
                            state -> assertThat(state.get("commandId").asText()).isEqualTo(first));
            assertThat(seen.get(2).get("progress").asInt()).isEqualTo(50);
            assertThat(seen.get(3).at("/output/minutes").asInt()).isEqualTo(92);
            JsonNode finished = SafeJson.read(rest("GET", "/api/v1/things/washer-rest/commands/" + first, null)
                    .body());
            assertThat(finished.get("status").asText()).isEqualTo("succeeded");
            assertThat(finished.at("/output/minutes").asInt()).isEqualTo(92);

            // The same start again, once the first finished: a new command, delivered at once.
            HttpResponse<String> again =
                    rest("POST", "/api/v1/things/washer-rest/actions/start", "{\"input\":{\"program\":\"cotton\"}}");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
            String second = SafeJson.read(again.body()).get("commandId").asText();
            assertThat(second).isNotEqualTo(first);
            receive(commands, "things/washer-rest/commands/" + second);
            assertThat(take(states, 2))
                    .extracting(state -> state.get("commandId").asText() + " "
                            + state.get("status").asText())
                    .containsExactly(second + " queued", second + " delivered");
        } finally {
            washer.disconnect();
            events.body().close();
        }
    }

    private static JsonNode receive(Mqtt5BlockingClient.Mqtt5Publishes publishes, String topic) throws Exception {
        Mqtt5Publish publish =
                publishes.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("nothing on " + topic));
        assertThat(publish.getTopic().toString()).isEqualTo(topic);
        return SafeJson.read(publish.getPayloadAsBytes());
    }

    private static void report(Mqtt5BlockingClient washer, String commandId, String status) {
        washer.publishWith()
                .topic("things/washer-rest/commands/" + commandId + "/status")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(status.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    private static List<JsonNode> take(BlockingQueue<JsonNode> states, int count) throws InterruptedException {
        List<JsonNode> taken = new ArrayList<>();
        while (taken.size() < count) {
            JsonNode state = states.poll(10, TimeUnit.SECONDS);
            if (state == null) {
                break;
            }
            taken.add(state);
        }
        return taken;
    }

    /** The data of every {@code command} event of the stream, in order, until the stream ends. */
    private static void readCommandEvents(InputStream stream, BlockingQueue<JsonNode> states) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String name = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ") && "command".equals(name)) {
                    states.add(SafeJson.read(line.substring(6)));
                } else if (line.isEmpty()) {
                    name = null;
                }
            }
        } catch (Exception closed) {
            // the test closed the stream
        }
    }

    /** Provisions a thing of alice's with the admin token; answers its secret. */
    private static String provision(String thingId, String type) throws Exception {
        HttpResponse<String> created = rest(
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + thingId + "\",\"type\":\"" + type + "\",\"owner\":\"alice\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return SafeJson.read(created.body()).get("secret").asText();
    }

    /** The device: an MQTT 5 client connected as the thing. */
    private static Mqtt5BlockingClient connect(String thingId, String secret) {
        Mqtt5BlockingClient device = MqttClient.builder()
                .useMqttVersion5()
                .identifier(thingId)
                .serverHost(platform.host())
                .serverPort(platform.mqttPort())
                .buildBlocking();
        device.connectWith()
                .simpleAuth()
                .username(thingId)
                .password(secret.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return device;
    }
}
