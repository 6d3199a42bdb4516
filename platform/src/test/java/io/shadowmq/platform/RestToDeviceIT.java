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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend's path to a device: a REST {@code PATCH} of desired state reaches the connected device as an MQTT
 * {@code update/delta}, through the store's change feed and the broker's extension. Real Redis, real HiveMQ with the
 * packaged extension, real REST service, real MQTT client.
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
        HttpResponse<String> created =
                rest("POST", "/api/v1/things", "{\"thingId\":\"car-rest\",\"type\":\"car\",\"owner\":\"alice\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = SafeJson.read(created.body()).get("secret").asText();

        Mqtt5BlockingClient car = MqttClient.builder()
                .useMqttVersion5()
                .identifier("car-rest")
                .serverHost(platform.host())
                .serverPort(platform.mqttPort())
                .buildBlocking();
        car.connectWith()
                .simpleAuth()
                .username("car-rest")
                .password(secret.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
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
            assertThat(deltas.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        } finally {
            car.disconnect();
        }
        JsonNode thing =
                SafeJson.read(rest("GET", "/api/v1/things/car-rest", null).body());
        assertThat(thing.get("lastConnectedAt").isNumber()).isTrue();
    }
}
