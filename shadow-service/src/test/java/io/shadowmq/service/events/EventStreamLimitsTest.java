package io.shadowmq.service.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.service.Api;
import io.shadowmq.service.ServiceExtension;
import io.shadowmq.service.ShadowService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The caps on open event streams, per API key and in all, and how a stream's end frees its slot. */
class EventStreamLimitsTest {

    private static final int PER_KEY = 3;
    private static final int IN_ALL = 5;
    /** A few heartbeats (300 ms in tests): the longest a vanished client may keep its slot here. */
    private static final Duration FREED_WITHIN = Duration.ofSeconds(5);

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final List<AutoCloseable> streams = new ArrayList<>();
    private ShadowService capped;
    private Api api;
    private String events;

    @BeforeEach
    void startServiceWithSmallCaps() {
        capped = ShadowService.start(service.config()
                .sseMaxStreamsPerKey(PER_KEY)
                .sseMaxStreams(IN_ALL)
                .build());
        api = new Api(capped.port(), ServiceExtension.ADMIN_TOKEN);
        events = "/api/v1/things/" + api.provision("car", "car", "alice") + "/events";
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable stream : streams) {
            stream.close();
        }
        capped.close();
    }

    @Test
    void aKeyPastItsStreamCapGets429WithRetryAfterWhileOtherKeysStillStream() throws Exception {
        String greedy = readKey();
        for (int i = 0; i < PER_KEY; i++) {
            assertThat(open(greedy).status()).isEqualTo(200);
        }

        Api.Response refused = api.sendAs(greedy, "GET", events, null);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).hasValue("1");
        JsonNode problem = refused.json();
        assertThat(problem.get("type").asText()).isEqualTo("urn:shadowmq:problem:rate-limited");
        assertThat(problem.get("detail").asText())
                .contains("3 event streams open")
                .contains("sse.maxStreamsPerKey");
        assertThat(open(readKey()).status()).as("another key").isEqualTo(200);
        assertThat(api.get("/metrics").body()).contains("shadowmq_sse_streams_refused_total 1.0");
    }

    @Test
    void pastTheServiceCapEveryKeyGets429() throws Exception {
        String first = readKey();
        String second = readKey();
        for (int i = 0; i < PER_KEY; i++) {
            assertThat(open(first).status()).isEqualTo(200);
        }
        for (int i = PER_KEY; i < IN_ALL; i++) {
            assertThat(open(second).status()).isEqualTo(200);
        }

        Api.Response refused = api.sendAs(readKey(), "GET", events, null);
        Api.Response admin = api.sendAs(api.adminToken(), "GET", events, null);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("detail").asText()).contains("sse.maxStreams");
        assertThat(refused.header("Retry-After")).isPresent();
        assertThat(admin.status()).as("the admin token too").isEqualTo(429);
    }

    @Test
    void aStreamTheClientClosesFreesItsSlot() throws Exception {
        String key = readKey();
        List<SseTestClient> open = new ArrayList<>();
        for (int i = 0; i < PER_KEY; i++) {
            open.add(open(key));
        }
        assertThat(api.sendAs(key, "GET", events, null).status()).isEqualTo(429);

        open.get(0).close();

        await().atMost(FREED_WITHIN)
                .untilAsserted(() -> assertThat(open(key).status()).isEqualTo(200));
    }

    @Test
    void clientsThatVanishWithoutEndingTheStreamFreeTheirSlotsAtAHeartbeat() throws Exception {
        String key = readKey();
        Socket reset = rawStream(key);
        Socket dropped = rawStream(key);
        Socket kept = rawStream(key);
        assertThat(api.sendAs(key, "GET", events, null).status()).isEqualTo(429);

        // A process that dies: its socket is reset (no FIN handshake), or closed by the kernel (FIN) while the
        // server is not reading. Either way the server learns of it only when a heartbeat cannot be written.
        reset.setSoLinger(true, 0);
        reset.close();
        dropped.close();

        await().atMost(FREED_WITHIN)
                .untilAsserted(() -> assertThat(open(key).status()).isEqualTo(200));
        await().atMost(FREED_WITHIN)
                .untilAsserted(() -> assertThat(open(key).status()).isEqualTo(200));
        assertThat(api.sendAs(key, "GET", events, null).status())
                .as("the live one still holds its slot")
                .isEqualTo(429);
        assertThat(kept.isClosed()).isFalse();
    }

    private String readKey() {
        return api.key("[\"things:read\"]", "[\"alice\"]");
    }

    private SseTestClient open(String token) throws Exception {
        SseTestClient client = SseTestClient.connect(api, token, events);
        streams.add(client);
        return client;
    }

    /** A stream on a plain socket, read up to its first comment, then left alone. */
    private Socket rawStream(String token) throws IOException {
        Socket socket = new Socket();
        streams.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", capped.port()), 5_000);
        socket.setSoTimeout(5_000);
        socket.getOutputStream()
                .write(("GET " + events + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                                + "Authorization: Bearer " + token + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder received = new StringBuilder();
        while (!received.toString().contains(":connected")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("stream ended before it started: " + received);
            }
            received.append((char) next);
        }
        assertThat(received.toString()).startsWith("HTTP/1.1 200");
        return socket;
    }
}
