package io.shadowmq.bench.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5SubscribeBuilder;
import io.shadowmq.bench.load.Percentiles;
import io.shadowmq.store.Futures;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * N real MQTT 5 devices on the HiveMQ MQTT Client's async API, sharing a few Netty threads, so thousands of
 * connections cost the load generator little CPU. Every message any device receives goes to one {@link Listener},
 * on a Netty thread — listeners must not block.
 * <pre>{@code
 * try (DeviceFleet fleet = DeviceFleet.of("127.0.0.1", 1883, things, listener)) {
 *     ConnectStorm storm = fleet.connectAll(Duration.ofSeconds(60));
 *     fleet.subscribeAll(i -> List.of("things/" + fleet.thingId(i) + "/shadow/update/accepted"), timeout);
 *     fleet.publish(0, topic, payload, () -> step.failed(seq));
 * }
 * }</pre>
 */
public final class DeviceFleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeviceFleet.class);

    /** Receives every message of every device. */
    @FunctionalInterface
    public interface Listener {
        void onMessage(int device, @NotNull String topic, @NotNull String payload);
    }

    /** Two Netty threads for all clients: the generator must not outgrow the broker on a 2-core machine. */
    public static final int NETTY_THREADS = 2;

    private static final MqttClientExecutorConfig SHARED_EXECUTOR =
            MqttClientExecutorConfig.builder().nettyThreads(NETTY_THREADS).build();
    /** Devices connecting at once after a storm was partly refused: few, so the retry is not another storm. */
    public static final int RETRY_CONCURRENCY = 16;

    public static final int RETRY_ATTEMPTS = 10;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final int KEEP_ALIVE_SECONDS = 60;
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final List<ThingCredentials> things;
    private final List<Mqtt5AsyncClient> clients;

    private DeviceFleet(List<ThingCredentials> things, List<Mqtt5AsyncClient> clients) {
        this.things = things;
        this.clients = clients;
    }

    /** Builds (does not connect) one client per thing against {@code host:port}. */
    public static @NotNull DeviceFleet of(
            @NotNull String host, int port, @NotNull List<ThingCredentials> things, @NotNull Listener listener) {
        List<Mqtt5AsyncClient> clients = new ArrayList<>(things.size());
        for (int i = 0; i < things.size(); i++) {
            int device = i;
            Mqtt5AsyncClient client = MqttClient.builder()
                    .useMqttVersion5()
                    .identifier(things.get(i).thingId())
                    .serverHost(host)
                    .serverPort(port)
                    .executorConfig(SHARED_EXECUTOR)
                    .buildAsync();
            // Registered before CONNECT so that nothing sent right after the SUBACK is missed.
            client.publishes(
                    MqttGlobalPublishFilter.ALL,
                    publish -> listener.onMessage(
                            device,
                            publish.getTopic().toString(),
                            new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            clients.add(client);
        }
        return new DeviceFleet(List.copyOf(things), List.copyOf(clients));
    }

    public int size() {
        return clients.size();
    }

    public @NotNull String thingId(int device) {
        return things.get(device).thingId();
    }

    /** Every device sends CONNECT at once; waits (bounded) for all CONNACKs. */
    public @NotNull ConnectStorm connectAll(@NotNull Duration timeout) throws InterruptedException {
        Histogram micros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        List<CompletableFuture<?>> all = new ArrayList<>(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            all.add(connect(i).whenComplete((connAck, error) -> {
                if (error == null) {
                    micros.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - start) / 1000));
                    connected.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            }));
        }
        awaitAll(all, timeout);
        double seconds = micros.getTotalCount() == 0 ? 0 : micros.getMaxValue() / 1e6;
        return new ConnectStorm(clients.size(), connected.get(), failed.get(), seconds, Percentiles.of(micros));
    }

    /**
     * {@link #connectAll} and then {@link #connectRemaining} for those the storm left out: returns the storm as it
     * happened (its refusals are a result), and throws if some devices still cannot connect.
     */
    public @NotNull ConnectStorm connectAllRetryingRefused(@NotNull Duration timeout) throws InterruptedException {
        ConnectStorm storm = connectAll(timeout);
        if (storm.failed() > 0) {
            int missing = connectRemaining(timeout);
            if (missing > 0) {
                throw new IllegalStateException(missing + " of " + clients.size() + " devices could not connect");
            }
        }
        return storm;
    }

    /**
     * Connects the devices a storm left out, {@link #RETRY_CONCURRENCY} at a time, each tried up to
     * {@link #RETRY_ATTEMPTS} times, so the scenarios after a partly refused storm still have their whole fleet.
     * Returns how many are still not connected.
     */
    public int connectRemaining(@NotNull Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore inFlight = new Semaphore(RETRY_CONCURRENCY);
        for (int attempt = 0; attempt < RETRY_ATTEMPTS && System.nanoTime() < deadline; attempt++) {
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                if (clients.get(i).getState().isConnected()) {
                    continue;
                }
                if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                all.add(connect(i).whenComplete((connAck, error) -> inFlight.release()));
            }
            if (all.isEmpty()) {
                break;
            }
            awaitAll(all, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            // The extension refuses for a moment after a store hiccup ("retry shortly"): give it that moment.
            Thread.sleep(RETRY_PAUSE.toMillis());
        }
        return (int) clients.stream()
                .filter(client -> !client.getState().isConnected())
                .count();
    }

    private CompletableFuture<?> connect(int device) {
        ThingCredentials thing = things.get(device);
        return clients.get(device)
                .connectWith()
                .cleanStart(true)
                .keepAlive(KEEP_ALIVE_SECONDS)
                .simpleAuth()
                .username(thing.thingId())
                .password(thing.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
    }

    /** Subscribes every device to its topics at QoS 1; fails if any subscription is refused or times out. */
    public void subscribeAll(@NotNull IntFunction<List<String>> topicsOfDevice, @NotNull Duration timeout)
            throws InterruptedException, TimeoutException {
        List<CompletableFuture<?>> all = new ArrayList<>(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            Mqtt5SubscribeBuilder.Start subscribe = Mqtt5Subscribe.builder();
            Mqtt5SubscribeBuilder.Complete complete = null;
            for (String topic : topicsOfDevice.apply(i)) {
                complete = (complete == null ? subscribe : complete)
                        .addSubscription()
                        .topicFilter(topic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription();
            }
            if (complete == null) {
                continue;
            }
            all.add(clients.get(i).subscribe(complete.build()).thenAccept(subAck -> {
                if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                    throw new IllegalStateException("subscription refused: " + subAck.getReasonCodes());
                }
            }));
        }
        if (awaitAll(all, timeout) > 0) {
            throw new TimeoutException("not every device could subscribe within " + timeout);
        }
    }

    /** Publishes at QoS 1; {@code onFailure} runs if the broker refuses it (PUBACK error) or it cannot be sent. */
    public void publish(int device, @NotNull MqttTopic topic, byte @NotNull [] payload, @NotNull Runnable onFailure) {
        Futures.whenComplete(
                clients.get(device)
                        .publishWith()
                        .topic(topic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload)
                        .send(),
                log,
                "bench publish",
                (result, error) -> {
                    if (error != null || result.getError().isPresent()) {
                        onFailure.run();
                    }
                });
    }

    /** Disconnects every connected device, bounded; devices that never connected are skipped. */
    @Override
    public void close() throws InterruptedException {
        List<CompletableFuture<?>> all = new ArrayList<>(clients.size());
        for (Mqtt5AsyncClient client : clients) {
            if (client.getState().isConnected()) {
                all.add(client.disconnect());
            }
        }
        awaitAll(all, DISCONNECT_TIMEOUT);
    }

    /** Waits for all futures until {@code timeout}; returns how many failed or did not finish. */
    private static int awaitAll(List<CompletableFuture<?>> futures, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int notOk = 0;
        for (CompletableFuture<?> future : futures) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                notOk++;
            }
        }
        return notOk;
    }
}
