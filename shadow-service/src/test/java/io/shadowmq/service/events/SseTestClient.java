package io.shadowmq.service.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.service.Api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real SSE client for tests: one GET with java.net.http, a reader thread parsing the stream into events and
 * comments, and a queue to wait on with a timeout. Closing it drops the connection, as a client that goes away does.
 */
final class SseTestClient implements AutoCloseable {

    record Event(String id, String name, String data) {

        /** The data, parsed as the JSON it always is. */
        JsonNode json() {
            try {
                return SafeJson.read(data);
            } catch (Exception e) {
                throw new AssertionError("event data is not JSON: " + data, e);
            }
        }
    }

    /** How long a test waits for an event that must come. */
    static final Duration WAIT = Duration.ofSeconds(5);
    /** How long a test waits to be sure no further event comes. */
    static final Duration QUIET = Duration.ofMillis(500);

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean ended;

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static SseTestClient connect(Api api, String token, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path))
                .GET()
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<InputStream> response = api.client()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(10, TimeUnit.SECONDS);
        return new SseTestClient(response);
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The next event, or null if none comes within the timeout. */
    Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next comment line (heartbeats), or null. */
    String nextComment(Duration timeout) throws InterruptedException {
        return comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for {@code count} events; fewer if the timeout runs out. */
    List<Event> take(int count, Duration timeout) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            long left = deadline - System.nanoTime();
            Event event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (event == null) {
                break;
            }
            taken.add(event);
        }
        return taken;
    }

    /** True once the server ended the stream. */
    boolean ended(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        return ended;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (IOException closed) {
            // the test closed the stream, or the server dropped it
        } finally {
            ended = true;
        }
    }
}
