package io.shadowmq.service.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests Jetty refuses before any route sees them get the same problem+json as every other error, never Jetty's
 * HTML page.
 */
class MalformedRequestTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/things/%00/shadow",
                "/api/v1/things/%C0%80/shadow",
                "/api/v1/things/%FF/shadow",
                "/api/v1/things/car%00-1",
                "/api/v1/things/%E2%28%A1"
            })
    void aNulOrInvalidUtf8InTheUrlIsAProblem400(String target) throws Exception {
        RawHttp.Response response = RawHttp.exchange(port(), get(target));

        assertProblem(response, 400, "urn:shadowmq:problem:malformed-request");
        assertThat(json(response).get("detail").asText()).startsWith("the request could not be read: ");
    }

    @Test
    void rawControlAndNonUtf8BytesInTheRequestLineAreAProblem400() throws Exception {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write("GET /api/v1/things/".getBytes(StandardCharsets.US_ASCII));
        request.write(new byte[] {(byte) 0xC0, (byte) 0x80, 0x00, (byte) 0xFF});
        request.write(get("/shadow").substring("GET ".length()).getBytes(StandardCharsets.US_ASCII));

        RawHttp.Response response = RawHttp.exchange(port(), request.toByteArray());

        assertProblem(response, 400, "urn:shadowmq:problem:malformed-request");
    }

    @Test
    void aSeventyKilobyteUrlIsAProblem414() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port(), get("/api/v1/things/" + "a".repeat(70_000) + "/shadow"));

        assertProblem(response, 414, "urn:shadowmq:problem:uri-too-long");
        assertThat(json(response).get("detail").asText()).contains("8192 bytes");
    }

    @Test
    void oversizedHeadersAreAProblem431() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port(), get("/health/live", "X-Padding: " + "p".repeat(70_000)));

        assertProblem(response, 431, "urn:shadowmq:problem:headers-too-large");
    }

    @Test
    void anUnparsableRequestLineIsAProblem400() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port(), "NOT HTTP AT ALL\r\n\r\n");

        assertProblem(response, 400, "urn:shadowmq:problem:malformed-request");
    }

    @Test
    void aChunkedBodySentInPiecesIsReadWholeAndApplied() throws Exception {
        String car = service.api().provision("car", "car", "alice");
        String body = "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"targetTemperature\":21}}}}}";
        String[] pieces = {body.substring(0, 10), body.substring(10, 30), body.substring(30)};
        StringBuilder request = new StringBuilder("PATCH /api/v1/things/" + car
                + "/shadow HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + ServiceExtension.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (String piece : pieces) {
            request.append(Integer.toHexString(piece.length()))
                    .append("\r\n")
                    .append(piece)
                    .append("\r\n");
        }
        request.append("0\r\n\r\n");

        RawHttp.Response response = RawHttp.exchange(port(), request.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(json(response)
                        .at("/state/desired/cabin/heater/targetTemperature")
                        .asInt())
                .isEqualTo(21);
    }

    @Test
    void aChunkedBodyPastTheLimitIsAProblem413() throws Exception {
        String car = service.api().provision("car", "car", "alice");
        String chunk = "x".repeat(16 * 1024);
        StringBuilder request = new StringBuilder("PATCH /api/v1/things/" + car
                + "/shadow HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + ServiceExtension.ADMIN_TOKEN + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (int i = 0; i < 6; i++) {
            request.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        request.append("0\r\n\r\n");

        RawHttp.Response response = RawHttp.exchange(port(), request.toString());

        assertProblem(response, 413, "urn:shadowmq:problem:too-large");
    }

    @Test
    void aWellFormedRequestOnTheSameServerStillWorks() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port(), get("/health/live"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("UP");
    }

    private static void assertProblem(RawHttp.Response response, int status, String type) throws Exception {
        assertThat(response.status()).as(response.head()).isEqualTo(status);
        assertThat(response.header("Content-Type"))
                .as("as every other problem")
                .isEqualTo("application/problem+json;charset=utf-8");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank().doesNotContain("<");
    }

    private static JsonNode json(RawHttp.Response response) throws Exception {
        return SafeJson.read(response.body());
    }

    private static int port() {
        return service.service().port();
    }

    private static String get(String target, String... headerLines) {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + ServiceExtension.ADMIN_TOKEN + "\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return request.append("Connection: close\r\n\r\n").toString();
    }
}
