package io.shadowmq.store;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisCluster;
import io.shadowmq.redis.process.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store's Redis client is made on a thread of its own: a store made while Redis is down answers 503 at once and
 * works once Redis is up, on one server and on a Cluster, and connections dropped during that first connect leave no
 * call without an answer and no thread waiting.
 */
class BackgroundConnectTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static final long DROP_EVERY_MILLIS = Long.getLong("dropEveryMillis", 50);
    /** The longest a call may take while Redis is unreachable: the store timeout and some slack. */
    private static final long PROMPT_MILLIS = 2_000;

    @Test
    void aStoreMadeWhileRedisIsDownAnswers503PromptlyAndWorksOnceRedisStarts() throws Exception {
        int port = freePort();
        String address = "redis://127.0.0.1:" + port;
        StoreConfig config = StoreFixture.config(address).withTimeout(TIMEOUT);
        ShadowStore.connect(config, StoreFixture.MODELS).close(); // classes loaded: what is timed is the connect
        long started = System.nanoTime();
        try (ShadowStore store = ShadowStore.connect(config, StoreFixture.MODELS)) {
            assertThat(millisSince(started)).as("connect returns at once").isLessThan(500);
            ThingId car = freshThing("car");

            Outcome<Boolean> first = promptly(store.ping());
            assertThat(first).isInstanceOfSatisfying(Outcome.Rejected.class, rejected -> {
                assertThat(rejected.rejection().code()).isEqualTo(503);
                assertThat(rejected.rejection().message())
                        .contains("not reachable yet")
                        .contains(address);
            });
            assertUnavailable(store, car);

            try (RedisServerProcess late =
                    RedisServerProcess.builder().port(port).build().start()) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> StoreFixture.await(store.ping()).isOk());
                assertWorks(store, car);
            }
        }
    }

    @Test
    void aStoreMadeBeforeItsClusterStartedAnswers503AndWorksOnceTheClusterIsUp(@TempDir Path dataDir) throws Exception {
        List<String> nodes;
        try (RedisCluster formed =
                RedisCluster.builder().masters(3).dataDir(dataDir).start()) {
            nodes = formed.nodeUris(); // a cluster started again from its data dir keeps its ports
        }
        StoreConfig config = StoreConfig.ofCluster(nodes, StoreFixture.PEPPER).withTimeout(TIMEOUT);
        long started = System.nanoTime();
        try (ShadowStore store = ShadowStore.connect(config, StoreFixture.MODELS)) {
            assertThat(millisSince(started)).as("connect returns at once").isLessThan(500);
            ThingId car = freshThing("car");
            assertUnavailable(store, car);

            try (RedisCluster cluster =
                    RedisCluster.builder().masters(3).dataDir(dataDir).start()) {
                assertThat(cluster.nodeUris()).isEqualTo(nodes);
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> StoreFixture.await(store.ping()).isOk());
                assertWorks(store, car);
            }
        }
    }

    /**
     * Every normal client connection of every node is killed again and again while stores connect and their first
     * calls run: Redisson handles each drop on a Netty thread while the connect is under way (with lazy
     * initialization, that thread and a caller's could both wait for the connect forever).
     */
    @Test
    @Timeout(60)
    void connectionsDroppedDuringTheFirstConnectLeaveNoCallUnansweredAndNoThreadWaiting() throws Exception {
        try (RedisCluster cluster = RedisCluster.builder().masters(3).start()) {
            AtomicBoolean dropping = new AtomicBoolean(true);
            AtomicLong drops = new AtomicLong();
            Thread dropper = new Thread(
                    () -> {
                        while (dropping.get()) {
                            for (RedisServerProcess node : cluster.nodes()) {
                                drops.addAndGet(dropClients(node));
                            }
                            pause(DROP_EVERY_MILLIS);
                        }
                    },
                    "client-killer");
            dropper.setDaemon(true);
            ExecutorService callers = Executors.newFixedThreadPool(4, runnable -> {
                Thread caller = new Thread(runnable, "caller");
                caller.setDaemon(true);
                return caller;
            });
            List<ShadowStore> stores = new ArrayList<>();
            List<CompletableFuture<? extends Outcome<?>>> calls = new ArrayList<>();
            long started = System.nanoTime();
            try {
                dropper.start();
                for (int s = 0; s < 4; s++) {
                    ShadowStore store = ShadowStore.connect(
                            StoreConfig.ofCluster(cluster.nodeUris(), StoreFixture.PEPPER)
                                    .withTimeout(TIMEOUT),
                            StoreFixture.MODELS);
                    stores.add(store);
                    for (int i = 0; i < 25; i++) {
                        // From threads of their own, as a broker's would call: one blocked shows as a call unanswered.
                        calls.add(CompletableFuture.supplyAsync(store::ping, callers)
                                .thenCompose(call -> call));
                        calls.add(CompletableFuture.supplyAsync(
                                        () -> store.shadows().get(freshThing("car")), callers)
                                .thenCompose(call -> call));
                        pause(20);
                    }
                }
                // Every call completes, normally, within its bound: none waits for a connect that never ends.
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            } finally {
                dropping.set(false);
                dropper.join(5_000);
                callers.shutdown();
            }
            System.out.printf(
                    "connections dropped: %d; calls: %d, outcomes by code: %s; took %d ms%n",
                    drops.get(),
                    calls.size(),
                    calls.stream()
                            .collect(java.util.stream.Collectors.groupingBy(
                                    c -> code(c.join()),
                                    java.util.TreeMap::new,
                                    java.util.stream.Collectors.counting())),
                    millisSince(started));
            assertThat(calls)
                    .allSatisfy(c -> assertThat(c.join().isOk() || code(c.join()) == 404 || code(c.join()) == 503)
                            .as("answered, or 503")
                            .isTrue());
            assertThat(drops.get()).as("connections were dropped").isPositive();
            try {
                for (ShadowStore store : stores) {
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> StoreFixture.await(store.ping()).isOk());
                    assertWorks(store, freshThing("car"));
                }
                assertThat(threadsWaitingForAConnect()).isEmpty();
            } finally {
                stores.forEach(ShadowStore::close);
            }
        }
    }

    private static void assertUnavailable(ShadowStore store, ThingId car) {
        for (int round = 0; round < 3; round++) {
            List<Outcome<?>> outcomes = List.of(
                    promptly(store.shadows().get(car)),
                    promptly(store.things().verifySecret(car, "whatever")),
                    promptly(store.ping()));
            assertThat(outcomes).allSatisfy(outcome -> assertThat(code(outcome)).isEqualTo(503));
            UpdateOutcome update = promptly(store.shadows()
                    .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":1}}}")));
            assertThat(update)
                    .isInstanceOfSatisfying(
                            UpdateOutcome.Rejected.class,
                            rejected -> assertThat(rejected.rejection().code()).isEqualTo(503));
        }
    }

    private static void assertWorks(ShadowStore store, ThingId car) {
        provision(store, car, "car", freshOwner());
        UpdateOutcome update = StoreFixture.await(
                store.shadows().update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":7}}}")));
        assertThat(update).isInstanceOf(UpdateOutcome.Accepted.class);
        assertThat(StoreFixture.await(store.shadows().get(car)).isOk()).isTrue();
    }

    /** The call's outcome, which must arrive within {@link #PROMPT_MILLIS}. */
    private static <T> T promptly(CompletionStage<T> call) {
        long started = System.nanoTime();
        T outcome = StoreFixture.await(call);
        assertThat(millisSince(started)).as("answered promptly").isLessThan(PROMPT_MILLIS);
        return outcome;
    }

    private static int code(Outcome<?> outcome) {
        return outcome instanceof Outcome.Rejected<?> rejected
                ? rejected.rejection().code()
                : 200;
    }

    /** Threads of Redisson (or anyone) waiting in a Redisson connect, or a Netty thread of Redisson waiting at all. */
    private static List<String> threadsWaitingForAConnect() {
        List<String> waiting = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> thread :
                Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement frame : thread.getValue()) {
                boolean inConnect = frame.getMethodName().equals("lazyConnect");
                boolean nettyWaits = thread.getKey().getName().startsWith("redisson-netty")
                        && frame.getClassName().equals(CompletableFuture.class.getName())
                        && (frame.getMethodName().equals("join")
                                || frame.getMethodName().equals("get"));
                if (inConnect || nettyWaits) {
                    waiting.add(thread.getKey().getName() + " at " + frame);
                    break;
                }
            }
        }
        return waiting;
    }

    /** {@code CLIENT KILL TYPE normal} on {@code node}: drops every normal client connection but this one. */
    private static long dropClients(RedisServerProcess node) {
        try (Socket socket = new Socket(node.host(), node.port())) {
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("*4\r\n$6\r\nCLIENT\r\n$4\r\nKILL\r\n$4\r\nTYPE\r\n$6\r\nnormal\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                reply.append((char) b);
            }
            String line = reply.toString().strip();
            return line.startsWith(":") ? Long.parseLong(line.substring(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
