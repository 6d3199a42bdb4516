package io.shadowmq.platform.up;

import io.shadowmq.platform.nodes.BrokerProcess;
import io.shadowmq.platform.nodes.ServiceProcess;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The platform's scaled-out shape on one machine: Redis (a Redis Cluster of {@code redisCluster} masters with
 * {@code redisReplicas} replicas each, or one standalone server when 0, or a given one), {@code brokers} HiveMQ CE
 * brokers and {@code services} REST services, each node in a JVM of its own ({@link BrokerProcess},
 * {@link ServiceProcess}), all sharing one pepper and one admin token — what {@code ./shadowmq up --brokers N
 * --services M --redis-cluster K} runs, and what the cross-node tests start. Broker {@code i} listens on
 * {@code mqttPort + i}, service {@code i} on {@code httpPort + i}. A node or Redis node that dies completes
 * {@link #failed()}; {@link #close()} stops every node by its pid, then Redis.
 *
 * <pre>{@code
 * try (DistributedPlatform platform = DistributedPlatform.start(new Options("127.0.0.1", 1883, 8080, 2, 2, 3, 0,
 *         null, dataDir, extensionFolder, null), System.out::println)) {
 *     platform.mqttUris();  // [tcp://127.0.0.1:1883, tcp://127.0.0.1:1884]
 * }
 * }</pre>
 */
public final class DistributedPlatform implements AutoCloseable {

    /**
     * What to start. {@code redis} non-null: use that standalone Redis, start none ({@code redisCluster} must be 0).
     */
    public record Options(
            @NotNull String host,
            int mqttPort,
            int httpPort,
            int brokers,
            int services,
            int redisCluster,
            int redisReplicas,
            @Nullable String redis,
            @NotNull Path dataDir,
            @NotNull Path extensionFolder,
            @Nullable String adminToken) {

        public Options {
            if (brokers < 1 || services < 1) {
                throw new IllegalArgumentException("--brokers and --services must be at least 1");
            }
            if (redisCluster < 0 || redisReplicas < 0) {
                throw new IllegalArgumentException("--redis-cluster and --redis-replicas must not be negative");
            }
            if (redisCluster == 0 && redisReplicas > 0) {
                throw new IllegalArgumentException("--redis-replicas needs --redis-cluster 1 or more");
            }
            if (redis != null && redisCluster > 0) {
                throw new IllegalArgumentException(
                        "--redis names a running Redis: give it or --redis-cluster, not both");
            }
        }
    }

    private final Options options;
    private final String adminToken;
    private final List<BrokerProcess> brokers;
    private final List<ServiceProcess> services;
    private final List<AutoCloseable> running;
    private final CompletableFuture<String> failed;

    private DistributedPlatform(
            Options options,
            String adminToken,
            List<BrokerProcess> brokers,
            List<ServiceProcess> services,
            List<AutoCloseable> running,
            CompletableFuture<String> failed) {
        this.options = options;
        this.adminToken = adminToken;
        this.brokers = brokers;
        this.services = services;
        this.running = running;
        this.failed = failed;
    }

    /** Starts everything, reporting each phase to {@code progress}; on failure stops what was started. */
    public static @NotNull DistributedPlatform start(@NotNull Options options, @NotNull Consumer<String> progress)
            throws LocalPlatform.StartupFailure, IOException {
        List<AutoCloseable> running = new ArrayList<>();
        try {
            return start(options, progress, running);
        } catch (LocalPlatform.StartupFailure | IOException | RuntimeException failure) {
            LocalPlatform.stopAll(running);
            throw failure;
        }
    }

    private static DistributedPlatform start(Options options, Consumer<String> progress, List<AutoCloseable> running)
            throws LocalPlatform.StartupFailure, IOException {
        List<Integer> mqttPorts = ports(options.mqttPort(), options.brokers());
        List<Integer> httpPorts = ports(options.httpPort(), options.services());
        LocalPlatform.requireValidSettings(
                options.adminToken(),
                options.extensionFolder(),
                IntStream.concat(
                                mqttPorts.stream().mapToInt(Integer::intValue),
                                httpPorts.stream().mapToInt(Integer::intValue))
                        .toArray());
        PlatformHome home = new PlatformHome(options.dataDir());
        if (mqttPorts.stream().anyMatch(httpPorts::contains)) {
            throw new LocalPlatform.StartupFailure(
                    "the MQTT ports " + range(mqttPorts) + " and the HTTP ports " + range(httpPorts) + " overlap");
        }
        for (int port : mqttPorts) {
            LocalPlatform.requireFree(options.host(), port, "MQTT");
        }
        for (int port : httpPorts) {
            LocalPlatform.requireFree(options.host(), port, "HTTP");
        }
        String pepper = home.pepper();
        String adminToken = home.adminToken(options.adminToken());
        List<CompletableFuture<String>> failures = new ArrayList<>();

        RedisTarget redis;
        if (options.redis() != null) {
            progress.accept("[1/4] checking Redis at " + options.redis());
            LocalPlatform.requireRedis(options.redis(), pepper);
            redis = RedisTarget.standalone(options.redis());
        } else if (options.redisCluster() == 0) {
            progress.accept("[1/4] starting Redis (append-only file in " + home.redisData() + ", fsync always)");
            redis = RedisTarget.standalone(LocalPlatform.startSupervisedRedis(home, progress, running, failures));
        } else {
            redis = PlatformRedisCluster.start(
                    home, options.redisCluster(), options.redisReplicas(), progress, running, failures);
        }

        ExecutorService starts = Executors.newFixedThreadPool(Math.max(options.brokers(), options.services()));
        try {
            progress.accept("[2/4] starting " + count(options.brokers(), "HiveMQ CE broker")
                    + " with the ShadowMQ extension, " + ownJvm(options.brokers()) + ", on MQTT port"
                    + plural(mqttPorts) + " "
                    + range(mqttPorts));
            List<BrokerProcess> brokers = startAll(
                    IntStream.range(0, options.brokers())
                            .mapToObj(i -> starts.submit(() -> BrokerProcess.start(
                                    "broker " + (i + 1),
                                    home.root().resolve("broker-" + (i + 1)),
                                    options.extensionFolder(),
                                    options.host(),
                                    mqttPorts.get(i),
                                    redis,
                                    pepper,
                                    "")))
                            .toList(),
                    running,
                    "a broker");
            progress.accept("[3/4] starting " + count(options.services(), "REST service") + ", "
                    + ownJvm(options.services()) + ", on HTTP port" + plural(httpPorts) + " " + range(httpPorts));
            List<ServiceProcess> services = startAll(
                    IntStream.range(0, options.services())
                            .mapToObj(i -> starts.submit(() -> ServiceProcess.start(
                                    "service " + (i + 1),
                                    home.root().resolve("service-" + (i + 1)),
                                    options.host(),
                                    httpPorts.get(i),
                                    redis,
                                    pepper,
                                    adminToken)))
                            .toList(),
                    running,
                    "a REST service");
            brokers.forEach(broker -> failures.add(broker.died()));
            services.forEach(service -> failures.add(service.died()));
            progress.accept(
                    options.adminToken() == null
                            ? "[4/4] admin token (kept in " + home.root().resolve("admin-token") + "): " + adminToken
                            : "[4/4] admin token: from SHADOWMQ_ADMIN_TOKEN");
            CompletableFuture<String> failed = CompletableFuture.anyOf(failures.toArray(CompletableFuture[]::new))
                    .thenApply(String::valueOf);
            return new DistributedPlatform(options, adminToken, brokers, services, running, failed);
        } finally {
            starts.shutdown();
        }
    }

    /** Waits for every start; all that started join {@code running}, so one failure stops the rest too. */
    private static <T extends AutoCloseable> List<T> startAll(
            List<java.util.concurrent.Future<T>> starting, List<AutoCloseable> running, String what)
            throws LocalPlatform.StartupFailure {
        List<T> started = new ArrayList<>();
        String failure = null;
        for (java.util.concurrent.Future<T> start : starting) {
            try {
                T node = start.get();
                started.add(node);
                running.add(node);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException
                        ? e.getCause().getCause()
                        : e.getCause();
                failure = failure != null
                        ? failure
                        : what + " did not start: " + LocalPlatform.firstLine(String.valueOf(cause.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted while starting " + what;
            }
        }
        if (failure != null) {
            throw new LocalPlatform.StartupFailure(failure);
        }
        return started;
    }

    /** Completes, with a one-line reason, when a node or a Redis node died, or Redis was given up on. */
    public @NotNull CompletableFuture<String> failed() {
        return failed;
    }

    public @NotNull List<BrokerProcess> brokers() {
        return List.copyOf(brokers);
    }

    public @NotNull List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    public @NotNull List<String> mqttUris() {
        return brokers.stream().map(BrokerProcess::mqttUri).toList();
    }

    public @NotNull List<String> httpUris() {
        return services.stream().map(ServiceProcess::httpUri).toList();
    }

    public @NotNull String adminToken() {
        return adminToken;
    }

    /** Where clients connect: the bind address, or loopback when bound to every interface. */
    public @NotNull String host() {
        return LocalPlatform.clientHost(options.host());
    }

    /** Stops every node by its pid, all side by side, then Redis. */
    @Override
    public void close() {
        services.forEach(ServiceProcess::requestStop);
        brokers.forEach(BrokerProcess::requestStop);
        LocalPlatform.stopAll(running);
    }

    private static List<Integer> ports(int first, int count) {
        return IntStream.range(0, count).mapToObj(i -> first + i).toList();
    }

    private static String range(List<Integer> ports) {
        return ports.size() == 1 ? String.valueOf(ports.get(0)) : ports.get(0) + "-" + ports.get(ports.size() - 1);
    }

    private static String plural(List<Integer> ports) {
        return ports.size() == 1 ? "" : "s";
    }

    private static String ownJvm(int n) {
        return n == 1 ? "in its own JVM" : "each in its own JVM";
    }

    private static String count(int n, String what) {
        return n == 1 ? "one " + what : n + " " + what + "s";
    }
}
