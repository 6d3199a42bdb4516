package io.shadowmq.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** A small HTTP client for the service under test: real requests with java.net.http, answers as {@link Response}. */
public final class Api {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String adminToken;

    public Api(int port, String adminToken) {
        this.port = port;
        this.adminToken = adminToken;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public String adminToken() {
        return adminToken;
    }

    /** A request with the admin token; add headers as name, value pairs. */
    public Response send(String method, String path, String body, String... headers) {
        return sendAs(adminToken, method, path, body, headers);
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    /** A request with the given bearer token; null sends no Authorization header. */
    public Response sendAs(String token, String method, String path, String body, String... headers) {
        String[] all = headers;
        if (body != null) {
            // Given first, so that a Content-Type among the headers replaces it.
            all = new String[headers.length + 2];
            all[0] = "Content-Type";
            all[1] = "application/json";
            System.arraycopy(headers, 0, all, 2, headers.length);
        }
        return sendBytes(token, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), all);
    }

    /** Exactly these bytes and headers (no Content-Type unless given), with the given bearer token or none. */
    public Response sendBytes(String token, String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        try {
            // Bounded as a whole, body included: a route that wrongly answers with an endless stream fails the test
            // instead of hanging it (the client's own timeout stops at the headers).
            HttpResponse<String> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .get(20, TimeUnit.SECONDS);
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public HttpClient client() {
        return http;
    }

    /** Provisions a thing with the admin token and returns its id. */
    public String provision(String prefix, String type, String owner) {
        String id = fresh(prefix);
        Response created = send(
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + id + "\",\"type\":\"" + type + "\",\"owner\":\"" + owner + "\"}");
        if (created.status() != 201) {
            throw new AssertionError("provisioning " + id + " failed: " + created);
        }
        return id;
    }

    /**
     * Sets a car's desired heater target with the admin token (a shadow update with a value filters can look at;
     * the car model takes 16..30).
     */
    public void patchHeaterTarget(String car, int targetTemperature) {
        Response response = send(
                "PATCH",
                "/api/v1/things/" + car + "/shadow",
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"targetTemperature\":" + targetTemperature + "}}}}}");
        if (response.status() != 200) {
            throw new AssertionError("patching " + car + " failed: " + response);
        }
    }

    /** Creates an API key with the admin token and returns its token. */
    public String key(String scopes, String owners) {
        return createKey(scopes, "\"owners\":" + owners);
    }

    /** Creates an API key bound to one thing with the admin token and returns its token. */
    public String thingKey(String scopes, String thing) {
        return createKey(scopes, "\"thing\":\"" + thing + "\"");
    }

    private String createKey(String scopes, String limit) {
        Response created = send(
                "POST", "/api/v1/keys", "{\"name\":\"" + fresh("key") + "\",\"scopes\":" + scopes + "," + limit + "}");
        if (created.status() != 201) {
            throw new AssertionError("creating a key failed: " + created);
        }
        return created.json().get("token").asText();
    }

    /** A fresh id so that tests never share state. */
    public static String fresh(String prefix) {
        return prefix + "-" + System.nanoTime() % 1_000_000 + "-" + SEQUENCE.incrementAndGet();
    }

    public record Response(int status, java.util.Map<String, List<String>> headers, String body) {

        public JsonNode json() {
            try {
                return SafeJson.read(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .flatMap(entry -> entry.getValue().stream())
                    .findFirst();
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }
    }
}
