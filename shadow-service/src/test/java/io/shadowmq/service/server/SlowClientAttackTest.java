package io.shadowmq.service.server;

import com.sun.management.UnixOperatingSystemMXBean;
import io.shadowmq.service.Api;
import io.shadowmq.service.ServiceExtension;
import io.shadowmq.service.ShadowService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Clients that send slowly — a body or a request head a byte at a time — from many source addresses at once, against
 * the real service on a real Redis, while a normal client reads a shadow and the liveness probe.
 */
class SlowClientAttackTest {

    private static final Logger log = LoggerFactory.getLogger(SlowClientAttackTest.class);

    /** Slow connections of each kind (bodies, heads), when the open-file limit allows. */
    private static final int ATTACK_PER_KIND = 1000;
    /** Source addresses the attack comes from: 127.0.0.2 and up, each under the per-address limit. */
    private static final int ATTACK_ADDRESSES = 10;
    /** Short, so that the attack need not last long: the server enforces them the same whatever they are. */
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(1500);

    private static final Duration HEAD_TIMEOUT = Duration.ofMillis(1500);
    /** How long the attack goes on once every connection is open: past both deadlines, and time to act on them. */
    private static final Duration ATTACK = Duration.ofSeconds(4);
    /** A byte this often on each connection: well within the deadlines, so only the deadlines can end them. */
    private static final Duration TICK = Duration.ofMillis(500);
    /** How often the normal client reads during the attack. */
    private static final Duration NORMAL_PACE = Duration.ofMillis(100);

    private static final int OPENER_THREADS = 4;
    /** The deadlines are kept to within a fraction of a second (the head check runs every quarter of the timeout). */
    private static final Duration SLACK = Duration.ofMillis(2500);

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final HttpClient normalClient =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    void slowBodiesAndSlowHeadsFromManyAddressesNeitherStopReadsNorLiveness() throws Exception {
        int perKind = attackSizeWithinOpenFileLimit();
        try (ShadowService guarded = ShadowService.start(service.config()
                        .bodyTimeout(BODY_TIMEOUT)
                        .headerTimeout(HEAD_TIMEOUT)
                        .build());
                SlowClients attack = new SlowClients()) {
            Api api = new Api(guarded.port(), ServiceExtension.ADMIN_TOKEN);
            String car = api.provision("car", "car", "alice");
            String shadow = "/api/v1/things/" + car + "/shadow";
            assertThat(api.send(
                                    "PATCH",
                                    shadow,
                                    "{\"state\":{\"desired\":{\"cabin\":{\"heater\":"
                                            + "{\"targetTemperature\":18}}}}}")
                            .status())
                    .isEqualTo(200);
            assertThat(timedGet(api, shadow)).isLessThan(1000); // warmed up: connections, JIT

            List<Long> normalMillis = new CopyOnWriteArrayList<>();
            ScheduledExecutorService normal = Executors.newSingleThreadScheduledExecutor();
            ScheduledFuture<?> normalReads = normal.scheduleWithFixedDelay(
                    () -> {
                        normalMillis.add(timedGet(api, shadow));
                        normalMillis.add(timedGet(api, "/health/live"));
                    },
                    0,
                    NORMAL_PACE.toMillis(),
                    TimeUnit.MILLISECONDS);
            String slowBody = "PATCH " + shadow + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + ServiceExtension.ADMIN_TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{";
            String slowHead = "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
            // Opened from a few threads (one per source address at a time) while this one trickles bytes into
            // those already open: on a busy machine opening 2,000 connections takes seconds.
            ExecutorService openers = Executors.newFixedThreadPool(OPENER_THREADS);
            List<Future<List<SlowClients.Slow>>> bodyBatches = new ArrayList<>();
            List<Future<List<SlowClients.Slow>>> headBatches = new ArrayList<>();
            try {
                for (int a = 0; a < ATTACK_ADDRESSES; a++) {
                    String source = "127.0.0." + (2 + a);
                    bodyBatches.add(openers.submit(
                            () -> attack.open(source, guarded.port(), perKind / ATTACK_ADDRESSES, slowBody)));
                    headBatches.add(openers.submit(
                            () -> attack.open(source, guarded.port(), perKind / ATTACK_ADDRESSES, slowHead)));
                }
                openers.shutdown();
                while (!openers.awaitTermination(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                    attack.tick((byte) ' ');
                }
            } finally {
                openers.shutdownNow();
            }
            log.info("{} slow connections open", attack.connections().size());
            attack.trickle(ATTACK, TICK, (byte) ' ');
            normal.shutdown();
            assertThat(normal.awaitTermination(30, TimeUnit.SECONDS))
                    .as("the normal client's last reads end")
                    .isTrue();
            // Stopped by the shutdown, not by a failed read (which would show here with its cause).
            assertThatThrownBy(normalReads::get).isInstanceOf(CancellationException.class);
            List<SlowClients.Slow> bodies = joined(bodyBatches);
            List<SlowClients.Slow> heads = joined(headBatches);

            log.info(
                    "normal client during the attack: {} requests, slowest {} ms",
                    normalMillis.size(),
                    normalMillis.stream().mapToLong(Long::longValue).max().orElse(-1));
            assertThat(normalMillis)
                    .hasSizeGreaterThan(10)
                    .allSatisfy(millis -> assertThat(millis)
                            .as("a normal GET during the attack, ms")
                            .isLessThan(1000));
            assertThat(bodies).as("slow bodies").hasSize(perKind).allSatisfy(slow -> {
                assertThat(slow.status()).as("answer to a slow body").isEqualTo(408);
                assertThat(slow.answer.toString()).contains("application/problem+json");
                assertThat(slow.closedByServer).isTrue();
                assertThat(slow.closedAfterMillis)
                        .isLessThan(BODY_TIMEOUT.plus(SLACK).toMillis());
            });
            assertThat(heads).as("slow heads").hasSize(perKind).allSatisfy(slow -> {
                assertThat(slow.closedByServer).isTrue();
                assertThat(slow.closedAfterMillis)
                        .isLessThan(HEAD_TIMEOUT.plus(SLACK).toMillis());
            });
        }
    }

    @Test
    void oneAddressHoldsNoMoreConnectionsThanItsLimitWhileOthersAreServed() throws Exception {
        int limit = 50;
        try (ShadowService guarded = ShadowService.start(service.config()
                        .maxConnectionsPerAddress(limit)
                        .headerTimeout(Duration.ofSeconds(60))
                        .build());
                SlowClients attack = new SlowClients()) {
            List<SlowClients.Slow> greedy = attack.open(
                    "127.0.0.40",
                    guarded.port(),
                    limit + 30,
                    "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
            List<SlowClients.Slow> neighbour = attack.open(
                    "127.0.0.41", guarded.port(), 5, "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");

            // The server closes the extra ones as it accepts them: a tick reads the end of their streams.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                attack.tick((byte) 'a');
                assertThat(greedy.stream().filter(slow -> slow.closedByServer))
                        .as("closed beyond the limit")
                        .hasSize(30);
            });
            // Which ones: whichever the server counted last (its selector threads may see them in another order).
            assertThat(neighbour).as("another address is not affected").noneMatch(slow -> slow.closedByServer);
            assertThat(RawHttp.exchange("127.0.0.1", guarded.port(), live()).status())
                    .isEqualTo(200);
            assertThat(RawHttp.exchange("127.0.0.40", guarded.port(), live()).status())
                    .as("one more from the full address")
                    .isEqualTo(-1);

            assertThat(new Api(guarded.port(), ServiceExtension.ADMIN_TOKEN)
                            .get("/metrics")
                            .body())
                    .contains("shadowmq_http_connections_refused_total 31.0");
            greedy.forEach(slow -> close(slow));

            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(RawHttp.exchange("127.0.0.40", guarded.port(), live())
                                    .status())
                            .as("a closed connection frees its slot")
                            .isEqualTo(200));
        }
    }

    @Test
    void pastTheTotalConnectionLimitNewConnectionsWaitUntilOnesClose() throws Exception {
        try (ShadowService guarded = ShadowService.start(service.config()
                        .maxConnections(20)
                        .headerTimeout(Duration.ofSeconds(60))
                        .build());
                SlowClients attack = new SlowClients()) {
            // Connected (so queued to be accepted, in order) before the request below is.
            for (int a = 0; a < 4; a++) {
                attack.open(
                        "127.0.0." + (50 + a), guarded.port(), 5, "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            }
            HttpRequest live = HttpRequest.newBuilder(URIs.of(guarded.port(), "/health/live"))
                    .timeout(Duration.ofSeconds(10))
                    .build();

            CompletableFuture<HttpResponse<String>> waiting =
                    normalClient.sendAsync(live, HttpResponse.BodyHandlers.ofString());
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(waiting)
                            .as("not accepted while 20 are open")
                            .isNotDone());

            attack.close();

            assertThat(waiting.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    private static List<SlowClients.Slow> joined(List<Future<List<SlowClients.Slow>>> batches) throws Exception {
        List<SlowClients.Slow> all = new ArrayList<>();
        for (Future<List<SlowClients.Slow>> batch : batches) {
            all.addAll(batch.get());
        }
        return all;
    }

    private long timedGet(Api api, String path) {
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(api.uri(path))
                .timeout(Duration.ofSeconds(3))
                .header("Authorization", "Bearer " + api.adminToken())
                .build();
        try {
            HttpResponse<String> response = normalClient.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
        } catch (Exception noAnswer) {
            log.warn("GET {} got no answer: {}", path, noAnswer.toString());
            return Long.MAX_VALUE;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Two sockets per slow connection (ours and the server's, same process) plus headroom for the rest. */
    private static int attackSizeWithinOpenFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            return ATTACK_PER_KIND;
        }
        long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 500;
        int size = (int) Math.min(ATTACK_PER_KIND, free / 4);
        size -= size % ATTACK_ADDRESSES;
        if (size < ATTACK_PER_KIND) {
            log.warn(
                    "open-file limit {}: attacking with {} slow connections of each kind instead of {}",
                    unix.getMaxFileDescriptorCount(),
                    size,
                    ATTACK_PER_KIND);
        }
        assertThat(size).as("slow connections the open-file limit allows").isGreaterThanOrEqualTo(100);
        return size;
    }

    private static byte[] live() {
        return "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void close(SlowClients.Slow slow) {
        try {
            slow.channel.close();
        } catch (java.io.IOException ignored) {
            // closing anyway
        }
    }

    private static final class URIs {
        static java.net.URI of(int port, String path) {
            return java.net.URI.create("http://127.0.0.1:" + port + path);
        }
    }
}
