package io.shadowmq.platform.up;

import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.service.ServiceConfig;
import io.shadowmq.service.ShadowService;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./shadowmq up}: the whole platform on one machine (CONTRACT.md §5) — a real Redis (unless {@code --redis}),
 * a real HiveMQ CE loading the packaged extension, and the REST service. One progress line per phase, then
 * {@code READY mqtt=... http=...}; a taken port or an unreachable Redis ends it with a one-line reason and exit 1.
 * Ctrl-C / SIGTERM stops everything, Redis included.
 */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start the whole platform on this machine.")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--mqtt-port", description = "MQTT listener port (default ${DEFAULT-VALUE})", defaultValue = "1883")
    int mqttPort;

    @Option(names = "--http-port", description = "REST port (default ${DEFAULT-VALUE})", defaultValue = "8080")
    int httpPort;

    @Option(names = "--host", description = "address to bind (default ${DEFAULT-VALUE})", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--redis", description = "use this Redis (redis://host:port) instead of starting one")
    @Nullable String redis;

    @Option(names = "--data-dir", description = "where Redis data and platform secrets live (default ${DEFAULT-VALUE})",
            defaultValue = "data")
    Path dataDir;

    @Option(names = "--extension-folder", hidden = true,
            defaultValue = "${sys:shadowmq.extension.folder:-extension/target/shadowmq-extension}")
    Path extensionFolder;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        List<AutoCloseable> running = new ArrayList<>();
        try {
            Platform platform = start(running);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println("stopping ...");
                stopAll(running);
                stopped.countDown();
            }, "shadowmq-shutdown"));
            out.println("READY mqtt=tcp://" + platform.mqttHost() + ":" + mqttPort + " http=http://" + platform.mqttHost() + ":" + httpPort);
            out.flush();
            stopped.await();
            return 0;
        } catch (StartupFailure failure) {
            stopAll(running);
            System.err.println("shadowmq up: " + failure.getMessage());
            return 1;
        }
    }

    record Platform(String mqttHost) {
    }

    Platform start(List<AutoCloseable> running) throws Exception {
        PlatformHome home = new PlatformHome(dataDir);
        requireFree(mqttPort, "MQTT");
        requireFree(httpPort, "HTTP");
        if (mqttPort == httpPort) {
            throw new StartupFailure("--mqtt-port and --http-port are both " + mqttPort);
        }
        String pepper = home.pepper();
        String adminToken = home.adminToken(System.getenv("SHADOWMQ_ADMIN_TOKEN"));

        String redisAddress;
        if (redis == null) {
            progress(1, "starting Redis (append-only file in " + home.redisData() + ")");
            RedisServerProcess server = RedisServerProcess.builder().dataDir(home.redisData()).build();
            try {
                server.start();
            } catch (IOException e) {
                throw new StartupFailure("Redis did not start: " + firstLine(e.getMessage()));
            }
            running.add(server);
            redisAddress = server.uri();
        } else {
            progress(1, "checking Redis at " + redis);
            redisAddress = redis;
            requireRedis(redisAddress, pepper);
        }

        progress(2, "starting HiveMQ CE with the ShadowMQ extension on MQTT port " + mqttPort);
        try {
            running.add(LocalBroker.start(home.brokerHome(), extensionFolder, host, mqttPort, redisAddress, pepper));
        } catch (Exception e) {
            throw new StartupFailure("the broker did not start: " + firstLine(String.valueOf(e.getMessage())));
        }

        progress(3, "starting the REST service on HTTP port " + httpPort);
        ServiceConfig config = ServiceConfig.builder().httpHost(host).httpPort(httpPort).redisAddress(redisAddress)
                .pepper(pepper).adminToken(adminToken).build();
        try {
            running.add(ShadowService.start(config));
        } catch (RuntimeException e) {
            throw new StartupFailure("the REST service did not start: " + firstLine(String.valueOf(e.getMessage())));
        }
        if (System.getenv("SHADOWMQ_ADMIN_TOKEN") == null) {
            progress(4, "admin token (kept in " + home.root().resolve("admin-token") + "): " + adminToken);
        } else {
            progress(4, "admin token: from SHADOWMQ_ADMIN_TOKEN");
        }
        String shownHost = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return new Platform(shownHost);
    }

    private void progress(int phase, String what) {
        out.println("[" + phase + "/4] " + what);
        out.flush();
    }

    private void requireFree(int port, String what) throws StartupFailure {
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

    private static void requireRedis(String address, String pepper) throws StartupFailure {
        StoreConfig config;
        try {
            config = StoreConfig.of(address, pepper.getBytes(StandardCharsets.UTF_8)).withTimeout(Duration.ofSeconds(3));
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
            throw new StartupFailure("Redis at " + address + " is unreachable: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static void stopAll(List<AutoCloseable> running) {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
        running.clear();
    }

    private static @NotNull String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A reason the platform cannot start, said in one line. */
    static final class StartupFailure extends Exception {
        StartupFailure(String message) {
            super(message);
        }
    }
}
