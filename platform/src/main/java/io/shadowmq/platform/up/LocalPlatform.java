package io.shadowmq.platform.up;

import io.shadowmq.broker.FreePort;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.service.ServiceConfig;
import io.shadowmq.service.ShadowService;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole platform on one machine: a real Redis (unless an address is given), a real HiveMQ CE loading the
 * packaged extension, and the REST service — what {@code ./shadowmq up} runs and {@code ./shadowmq demo} starts on
 * free ports.
 *
 * <pre>{@code
 * try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Options.onFreePorts(dataDir, extensionFolder), System.out::println)) {
 *     platform.httpUri();  // http://127.0.0.1:41234
 * }
 * }</pre>
 */
public final class LocalPlatform implements AutoCloseable {

    /** What to start. {@code redis} null = start and manage a Redis server with its data under {@code dataDir}. */
    public record Options(
            @NotNull String host,
            int mqttPort,
            int httpPort,
            @Nullable String redis,
            @NotNull Path dataDir,
            @NotNull Path extensionFolder,
            @Nullable String adminToken) {

        public static @NotNull Options onFreePorts(@NotNull Path dataDir, @NotNull Path extensionFolder)
                throws IOException {
            return new Options("127.0.0.1", FreePort.pick(), FreePort.pick(), null, dataDir, extensionFolder, null);
        }
    }

    /** A reason the platform cannot start, said in one line. */
    public static final class StartupFailure extends Exception {
        StartupFailure(String message) {
            super(message);
        }
    }

    private final Options options;
    private final String adminToken;
    private final String redisAddress;
    private final List<AutoCloseable> running;
    private final CompletableFuture<String> failed;

    private LocalPlatform(
            Options options,
            String adminToken,
            String redisAddress,
            List<AutoCloseable> running,
            CompletableFuture<String> failed) {
        this.options = options;
        this.adminToken = adminToken;
        this.redisAddress = redisAddress;
        this.running = running;
        this.failed = failed;
    }

    /** Starts everything, reporting each phase to {@code progress}; on failure stops what was started. */
    public static @NotNull LocalPlatform start(@NotNull Options options, @NotNull Consumer<String> progress)
            throws StartupFailure, IOException {
        List<AutoCloseable> running = new ArrayList<>();
        try {
            return start(options, progress, running);
        } catch (StartupFailure | IOException | RuntimeException failure) {
            stopAll(running);
            throw failure;
        }
    }

    private static LocalPlatform start(Options options, Consumer<String> progress, List<AutoCloseable> running)
            throws StartupFailure, IOException {
        requireValidSettings(options.adminToken(), options.extensionFolder(), options.mqttPort(), options.httpPort());
        if (options.mqttPort() == options.httpPort()) {
            throw new StartupFailure("the MQTT and HTTP ports are both " + options.mqttPort());
        }
        PlatformHome home = new PlatformHome(options.dataDir());
        requireFree(options.host(), options.mqttPort(), "MQTT");
        requireFree(options.host(), options.httpPort(), "HTTP");
        String pepper = home.pepper();
        String adminToken = home.adminToken(options.adminToken());

        String redisAddress;
        List<CompletableFuture<String>> failures = new ArrayList<>();
        if (options.redis() == null) {
            progress.accept("[1/4] starting Redis (append-only file in " + home.redisData() + ", fsync always)");
            redisAddress = startSupervisedRedis(home, progress, running, failures);
        } else {
            progress.accept("[1/4] checking Redis at " + options.redis());
            redisAddress = options.redis();
            requireRedis(redisAddress, pepper);
        }

        progress.accept("[2/4] starting HiveMQ CE with the ShadowMQ extension on MQTT port " + options.mqttPort());
        LocalBroker broker;
        try {
            broker = LocalBroker.start(
                    home.brokerHome(),
                    options.extensionFolder(),
                    options.host(),
                    options.mqttPort(),
                    redisAddress,
                    pepper);
            running.add(broker);
        } catch (Exception e) {
            throw new StartupFailure("the broker did not start: " + firstLine(String.valueOf(e.getMessage())));
        }

        progress.accept("[3/4] starting the REST service on HTTP port " + options.httpPort());
        ServiceConfig config = ServiceConfig.builder()
                .httpHost(options.host())
                .httpPort(options.httpPort())
                .redisAddress(redisAddress)
                .pepper(pepper)
                .adminToken(adminToken)
                .build();
        try {
            ShadowService service = ShadowService.start(config);
            running.add(service);
            // One scrape of /metrics shows the broker's extension metrics too.
            running.add(BrokerMetricsExport.start(broker.metrics(), service.meterRegistry()));
        } catch (RuntimeException e) {
            throw new StartupFailure("the REST service did not start: " + firstLine(String.valueOf(e.getMessage())));
        }
        progress.accept(
                options.adminToken() == null
                        ? "[4/4] admin token (kept in " + home.root().resolve("admin-token") + "): " + adminToken
                        : "[4/4] admin token: from SHADOWMQ_ADMIN_TOKEN");
        String probeHost = clientHost(options.host());
        Map<String, InetSocketAddress> listeners = new LinkedHashMap<>();
        listeners.put("the broker", new InetSocketAddress(probeHost, options.mqttPort()));
        listeners.put("the REST service", new InetSocketAddress(probeHost, options.httpPort()));
        ListenerWatch watch = ListenerWatch.start(listeners);
        running.add(watch);
        failures.add(watch.stopped());
        CompletableFuture<String> failed = CompletableFuture.anyOf(failures.toArray(CompletableFuture[]::new))
                .thenApply(String::valueOf);
        return new LocalPlatform(options, adminToken, redisAddress, running, failed);
    }

    /**
     * Starts the platform's own standalone Redis on {@code home}, supervised ({@link RedisSupervisor}): its server and
     * supervisor join {@code running}, its giving up joins {@code failures}. Returns its address.
     */
    static String startSupervisedRedis(
            PlatformHome home,
            Consumer<String> progress,
            List<AutoCloseable> running,
            List<CompletableFuture<String>> failures)
            throws StartupFailure, IOException {
        RedisSupervisor supervisor = new RedisSupervisor(Clock.systemUTC(), progress);
        // fsync before answering: a killed Redis (or machine) then loses no acknowledged update, at the cost of
        // one fsync per batch of commands — ample for one machine's platform (the benchmark runs its own Redis).
        RedisServerProcess server = RedisServerProcess.builder()
                .dataDir(home.redisData())
                .extraArgs("--appendfsync", "always")
                .onUnexpectedExit(supervisor::died)
                .build();
        supervisor.watch(server);
        try {
            server.start();
        } catch (IOException e) {
            supervisor.close();
            throw new StartupFailure("Redis did not start: " + firstLine(e.getMessage()));
        }
        running.add(server);
        // Closed before the server (the list stops in reverse), so stopping Redis is not mistaken for a death.
        running.add(supervisor);
        failures.add(supervisor.gaveUp());
        return server.uri();
    }

    /** Where clients connect: the bind address, or loopback when bound to every interface. */
    public @NotNull String host() {
        return clientHost(options.host());
    }

    /**
     * Completes, with a one-line reason, when the platform can no longer serve and will not heal by itself: Redis was
     * given up on after repeated fast failures, or the broker or the REST service stopped listening. A Redis that dies
     * once is restarted, and does not complete this.
     */
    public @NotNull CompletableFuture<String> failed() {
        return failed;
    }

    public int mqttPort() {
        return options.mqttPort();
    }

    public @NotNull String mqttUri() {
        return "tcp://" + host() + ":" + options.mqttPort();
    }

    public @NotNull String httpUri() {
        return "http://" + host() + ":" + options.httpPort();
    }

    public @NotNull String adminToken() {
        return adminToken;
    }

    public @NotNull String redisAddress() {
        return redisAddress;
    }

    @Override
    public void close() {
        stopAll(running);
    }

    static void stopAll(List<AutoCloseable> running) {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
        running.clear();
    }

    /**
     * What can be checked before anything starts: the admin token from {@code SHADOWMQ_ADMIN_TOKEN} (null: made
     * and kept in the data dir), the packaged extension folder, the port numbers. A bad one is a one-line
     * {@link StartupFailure} with nothing started and nothing written.
     */
    static void requireValidSettings(@Nullable String adminToken, Path extensionFolder, int... ports)
            throws StartupFailure {
        try {
            ServiceConfig.requireValidAdminToken(adminToken);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure("SHADOWMQ_ADMIN_TOKEN: " + e.getMessage() + " (or unset it: the platform then "
                    + "makes one and keeps it in the data dir)");
        }
        if (!Files.isRegularFile(extensionFolder.resolve("hivemq-extension.xml"))) {
            throw new StartupFailure("no packaged extension in "
                    + extensionFolder.toAbsolutePath().normalize()
                    + ": build it with ./mvnw -q package -DskipTests -pl extension -am");
        }
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new StartupFailure("port " + port + " is not a port number (1..65535)");
            }
        }
    }

    static void requireFree(String host, int port, String what) throws StartupFailure {
        if (port < 1 || port > 65535) {
            throw new StartupFailure(what + " port " + port + " is not a port number");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new StartupFailure(what + " port " + port + " is taken (" + e.getMessage() + ")");
        }
    }

    static void requireRedis(String address, String pepper) throws StartupFailure {
        StoreConfig config;
        try {
            config = StoreConfig.of(address, Pepper.parse(pepper)).withTimeout(Duration.ofSeconds(3));
        } catch (IllegalArgumentException e) {
            throw new StartupFailure("--redis: " + e.getMessage());
        }
        try (ShadowStore store = ShadowStore.connect(config, ThingModels.bundled())) {
            if (!store.ping().toCompletableFuture().get(5, TimeUnit.SECONDS).isOk()) {
                throw new StartupFailure("Redis at " + address + " is unreachable");
            }
        } catch (StartupFailure failure) {
            throw failure;
        } catch (Exception e) {
            throw new StartupFailure(
                    "Redis at " + address + " is unreachable: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    static String clientHost(String bindHost) {
        return bindHost.equals("0.0.0.0") ? "127.0.0.1" : bindHost;
    }

    static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
