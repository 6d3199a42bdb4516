package io.shadowmq.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the router checks before any handler runs: query parameters a route does not read (400) and bodies of a
 * type it does not read (415); and that bad shadow updates are 400s, never 500s. Real service, real Redis, real
 * HTTP client.
 */
class RequestInputApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private static Api api() {
        return service.api();
    }

    private static void assertProblem(Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText()).isEqualTo(detail);
    }

    @Test
    void aTypoInAQueryParameterIsA400NamingItInsteadOfListingEveryHousehold() {
        Response response = api().get("/api/v1/things?ownr=alice");

        assertProblem(response, 400, "unknown query parameter 'ownr': this route takes cursor, limit, owner, type");
    }

    @Test
    void aQueryParameterGivenTwiceIsA400() {
        Response response = api().get("/api/v1/things?owner=alice&owner=bob");

        assertProblem(response, 400, "query parameter 'owner' given 2 times; give it once");
    }

    @Test
    void theQueryIsReadAsUtf8WhateverCharsetTheContentTypeNames() {
        Response response = api().get("/api/v1/things?ownr=%C3%A9", "Content-Type", "application/json; charset");

        assertProblem(response, 400, "unknown query parameter 'ownr': this route takes cursor, limit, owner, type");
    }

    @Test
    void aRouteThatReadsNoQueryParameterRefusesAny() {
        String car = api().provision("car", "car", "alice");

        assertProblem(
                api().get("/api/v1/things/" + car + "?verbose=1"),
                400,
                "unknown query parameter 'verbose': this route takes none");
        assertProblem(
                api().sendAs(null, "GET", "/health/live?x", null),
                400,
                "unknown query parameter 'x': this route takes none");
    }

    @Test
    void everyRouteTakesExactlyTheQueryParametersItsOpenApiOperationLists() throws Exception {
        JsonNode openapi =
                SafeJson.read(api().sendAs(null, "GET", "/openapi.json", null).body());
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : openapi.get("paths").properties()) {
            // A thing that does not exist: no event stream opens, no shadow changes.
            String concrete = path.getKey()
                    .replace("{id}", "no-such-thing")
                    .replace("{type}", "car")
                    .replace("{action}", "start")
                    .replace("{commandId}", "no-such-command-000000")
                    .replace("{owner}", "no-such-household")
                    .replace("{scheduleId}", "no-such-schedule")
                    .replace("{grantId}", "no-such-grant")
                    .replace("{file}", "app.js");
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                String body = operation.getValue().has("requestBody") ? "{}" : null;

                // an unknown one is refused
                Response unknown = api().send(method, concrete + "?zzz=1", body);
                assertThat(unknown.status())
                        .as("%s %s?zzz=1", method, path.getKey())
                        .isEqualTo(400);
                assertThat(unknown.json().get("detail").asText()).startsWith("unknown query parameter 'zzz'");

                // each listed one is read (its value may still be refused)
                for (JsonNode parameter : parameters(openapi, operation.getValue())) {
                    if (parameter.path("in").asText().equals("query")) {
                        String name = parameter.get("name").asText();
                        Response listed = api().send(method, concrete + "?" + name + "=%21", body);
                        assertThat(listed.body())
                                .as("%s %s?%s", method, path.getKey(), name)
                                .doesNotContain("unknown query parameter");
                        checked.add(method + " " + path.getKey() + "?" + name);
                    }
                }
            }
        }
        assertThat(checked)
                .contains(
                        "GET /api/v1/things?owner",
                        "GET /api/v1/things?cursor",
                        "GET /api/v1/events?owner",
                        "GET /api/v1/things/{id}/shadow?paths",
                        "GET /api/v1/owners/{owner}/audit?before");
    }

    @Test
    void aBodyWithoutJsonContentTypeIsA415NamingTheAcceptedTypes() {
        byte[] body = "{\"thingId\":\"x-1\",\"type\":\"car\",\"owner\":\"alice\"}".getBytes(StandardCharsets.UTF_8);

        Response plain =
                api().sendBytes(api().adminToken(), "POST", "/api/v1/things", body, "Content-Type", "text/plain");
        Response none = api().sendBytes(api().adminToken(), "POST", "/api/v1/things", body);

        assertProblem(plain, 415, "Content-Type 'text/plain': the body must be application/json");
        assertThat(plain.header("Accept-Post")).contains("application/json");
        assertProblem(none, 415, "no Content-Type: the body must be application/json");
        assertThat(api().get("/api/v1/things/x-1").status()).isEqualTo(404);
    }

    @Test
    void aShadowPatchTakesAMergePatchOrJsonInUtf8() {
        String speaker = api().provision("speaker", "speaker", "alice");
        String path = "/api/v1/things/" + speaker + "/shadow";
        byte[] body = "{\"state\":{\"desired\":{\"volume\":7}}}".getBytes(StandardCharsets.UTF_8);

        Response mergePatch = api().sendBytes(
                        api().adminToken(), "PATCH", path, body, "Content-Type", "application/merge-patch+json");
        Response json = api().sendBytes(
                        api().adminToken(), "PATCH", path, body, "Content-Type", "application/json; charset=UTF-8");
        Response latin1 = api().sendBytes(
                        api().adminToken(),
                        "PATCH",
                        path,
                        body,
                        "Content-Type",
                        "application/json; charset=ISO-8859-1");
        Response form = api().sendBytes(
                        api().adminToken(), "PATCH", path, body, "Content-Type", "application/x-www-form-urlencoded");

        assertThat(mergePatch.status()).isEqualTo(200);
        assertThat(json.status()).isEqualTo(200);
        assertProblem(
                latin1,
                415,
                "Content-Type 'application/json; charset=iso-8859-1' (JSON is UTF-8): the body "
                        + "must be application/merge-patch+json or application/json");
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.header("Accept-Patch")).contains("application/merge-patch+json, application/json");
    }

    @Test
    void anEmptyPropertyNameIsA400NamingWhereItIsNotA500() {
        String car = api().provision("car", "car", "alice");

        Response response = api().send(
                        "PATCH",
                        "/api/v1/things/" + car + "/shadow",
                        "{\"state\":{\"desired\":{\"\":1}},\"clientToken\":\"x\"}");

        assertProblem(
                response,
                400,
                "state.desired: '' is not a property name (1 to 64 letters, digits and _, "
                        + "starting with a letter: ^[A-Za-z][A-Za-z0-9_]{0,63}$)");
    }

    @Test
    void aPatchThatChangesNothingIsA400AndKeepsTheVersion() {
        // given: a shadow at version 1
        String speaker = api().provision("speaker", "speaker", "alice");
        String path = "/api/v1/things/" + speaker + "/shadow";
        assertThat(api().send("PATCH", path, "{\"state\":{\"desired\":{\"volume\":7}}}")
                        .header("ETag"))
                .contains("\"1\"");

        // when
        Response empty = api().send("PATCH", path, "{\"state\":{\"desired\":{}}}");

        // then
        assertProblem(
                empty,
                400,
                "state.desired: an empty object changes nothing; name at least one property, "
                        + "or leave the section out");
        assertThat(api().get(path, "Cache-Control", "no-cache").header("ETag")).contains("\"1\"");
    }

    @Test
    void anOverlongNulInABodyIsInvalidUtf8() {
        String speaker = api().provision("speaker", "speaker", "alice");
        byte[] head = "{\"state\":{\"desired\":{\"a".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 8];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(new byte[] {(byte) 0xC0, (byte) 0x80, '"', ':', '1', '}', '}', '}'}, 0, body, head.length, 8);

        Response response = api().sendBytes(
                        api().adminToken(),
                        "PATCH",
                        "/api/v1/things/" + speaker + "/shadow",
                        body,
                        "Content-Type",
                        "application/json");

        assertProblem(response, 400, "not JSON: invalid UTF-8 at byte " + head.length);
    }

    @Test
    void aBrokenPercentEncodingInTheQueryIsA400InsteadOfADroppedFilter() throws Exception {
        // Sent over a raw socket: an HTTP client refuses to build such a URI, an attacker's script does not.
        assertThat(rawGet("/api/v1/things?owner=%ZZ"))
                .startsWith("HTTP/1.1 400 ")
                .contains("application/problem+json")
                .contains("malformed query string: '%' must be followed by two hex digits in '%ZZ'");
        assertThat(rawGet("/api/v1/things?own%ZZer=alice"))
                .startsWith("HTTP/1.1 400 ")
                .contains("malformed query string");
        assertThat(rawGet("/api/v1/things?owner=%C0%80"))
                .startsWith("HTTP/1.1 400 ")
                .contains("malformed query string: invalid UTF-8 in '%C0%80'");
    }

    @Test
    void aBodyRefusedBeforeItIsReadLeavesTheConnectionReadyForTheNextRequest() throws Exception {
        // given: a 10 KB body of the wrong type, and a second request right behind it on the same connection
        byte[] body = ("{\"" + "k".repeat(10_000) + "\":1}").getBytes(StandardCharsets.UTF_8);
        String refused = "POST /api/v1/things HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + api().adminToken() + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n";
        String next = "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

        // when
        String answers;
        try (Socket socket = new Socket("127.0.0.1", api().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(refused.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // A client on a slow link: the body comes a moment after the head (the server is reading the request by
            // then), sent by a scheduler while this thread reads the answers.
            CompletableFuture<Void> rest = CompletableFuture.runAsync(
                    () -> {
                        try {
                            out.write(body);
                            out.write(next.getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
            answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            rest.join();
        }

        // then: both are answered, in order
        assertThat(answers)
                .startsWith("HTTP/1.1 415 ")
                .doesNotContain("Connection: close\r\nContent-Length: 200")
                .containsSubsequence("the body must be application/json", "HTTP/1.1 200 ", "{\"status\":\"UP\"}");
    }

    @Test
    void aBodyDeclaredOverTheLimitIsTakenWholeAndAnswered413SoTheClientStillSendingSeesTheAnswer() throws Exception {
        // given: a PATCH declaring 200 KB; the client sends its first 1 KB, the rest a moment later
        String car = api().provision("car", "car", "alice");
        int declared = 200_000;
        String head = "PATCH /api/v1/things/" + car + "/shadow HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + api().adminToken() + "\r\nContent-Type: application/json\r\nContent-Length: " + declared
                + "\r\n\r\n";

        String answer;
        try (Socket socket = new Socket("127.0.0.1", api().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1_000]);
            out.flush();
            // when: the rest follows 200 ms later, sent by a scheduler while this thread waits for the answer (a
            // server that answered and closed at once would reset the connection under these writes)
            CompletableFuture<Void> rest = CompletableFuture.runAsync(
                    () -> {
                        try {
                            out.write(new byte[declared - 1_000]);
                            out.flush();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            rest.join();
        }

        // then: every byte went through, and the whole answer arrived before a clean end of the connection
        assertThat(answer)
                .startsWith("HTTP/1.1 413 ")
                .contains("Connection: close")
                .contains("application/problem+json");
    }

    private static String rawGet(String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                                    + api().adminToken() + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<JsonNode> parameters(JsonNode openapi, JsonNode operation) {
        List<JsonNode> resolved = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            String ref = parameter.path("$ref").asText("");
            resolved.add(ref.isEmpty() ? parameter : openapi.at(ref.substring(1)));
        }
        return resolved;
    }
}
