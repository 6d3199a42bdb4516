package io.shadowmq.service.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class OpsApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void healthNeedsNoTokenAndIsReadyWithRedis() {
        Response live = api.sendAs(null, "GET", "/health/live", null);
        Response ready = api.sendAs(null, "GET", "/health/ready", null);

        assertThat(live.status()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsCountRequestsByRouteTemplateNotByThing() {
        String car = api.provision("car", "car", "alice");
        api.get("/api/v1/things/" + car);
        api.get("/api/v1/things/" + car);

        Response metrics = api.sendAs(null, "GET", "/metrics", null);

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains(
                        "http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/things/{id}\",status=\"200\"}")
                .contains("http_server_requests_seconds_bucket")
                .contains("shadowmq_sse_streams")
                .doesNotContain(car);
    }

    @Test
    void openApiDescribesEveryRegisteredRouteWithItsMethod() throws Exception {
        Response document = api.sendAs(null, "GET", "/openapi.json", null);

        assertThat(document.status()).isEqualTo(200);
        JsonNode openapi = SafeJson.read(document.body());
        assertThat(openapi.get("openapi").asText()).startsWith("3.1");
        assertThat(service.service().routes()).hasSize(39).allSatisfy(route -> {
            String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
            String path = route.substring(route.indexOf(' ') + 1);
            assertThat(openapi.path("paths").path(path).has(method))
                    .as("%s in openapi.json", route)
                    .isTrue();
        });
        openapi.get("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(operation -> assertThat(service.service().routes())
                                .as("documented but not served")
                                .contains(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
    }

    @Test
    void openApiNamesTheServerItIsServedFrom() {
        Response document = api.sendAs(null, "GET", "/openapi.json", null);

        JsonNode servers = document.json().get("servers");
        assertThat(servers).hasSize(1);
        assertThat(servers.get(0).get("url").asText()).isEqualTo("http://127.0.0.1:" + api.port());
    }

    @Test
    void openApiNamesTheHostTheClientAddressedAProxyForExample() throws Exception {
        String answer = rawGet("/openapi.json", "Host: api.example.com:8443");

        assertThat(answer).startsWith("HTTP/1.1 200");
        JsonNode document = SafeJson.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(document.at("/servers/0/url").asText()).isEqualTo("http://api.example.com:8443");
    }

    @Test
    void openApiFallsBackToTheAddressTheRequestArrivedOnWhenTheHostIsNotAPlainHost() throws Exception {
        String answer = rawGet("/openapi.json", "Host: a_b.example");

        assertThat(answer).startsWith("HTTP/1.1 200");
        JsonNode document = SafeJson.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(document.at("/servers/0/url").asText()).isEqualTo("http://127.0.0.1:" + api.port());
    }

    /** A GET with exactly the given Host header, which java.net.http does not let a caller set. */
    private String rawGet(String path, String hostHeader) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\n" + hostHeader + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anUnknownPathIsAProblem404() {
        Response response = api.get("/api/v1/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("instance").asText()).isEqualTo("/api/v1/nothing-here");
    }

    @Test
    void aKnownPathWithAnotherMethodIsAProblem405() {
        Response response = api.send("PUT", "/api/v1/things", "{}");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }
}
