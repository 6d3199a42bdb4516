package io.shadowmq.platform.up;

import io.shadowmq.platform.cli.CliFailure;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.service.console.ConsoleRoutes;
import org.jetbrains.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code ./shadowmq up}: the whole platform on one machine, see {@link LocalPlatform}; with {@code --brokers},
 * {@code --services}, {@code --redis-cluster} or {@code --redis-replicas}, its scaled-out shape, every node a process
 * of its own ({@link DistributedPlatform}), with the same lines, exit codes and stop. One progress
 * line per phase, then {@code READY mqtt=... http=...}; a taken port or an unreachable Redis ends it with a one-line
 * reason and exit 1. Ctrl-C / SIGTERM stops everything, Redis included. While it runs, a Redis that dies is
 * restarted ({@link RedisSupervisor}); a Redis that keeps dying, or a broker or REST service that stops listening
 * ({@link ListenerWatch}), ends it with a one-line reason on stderr and exit 1, for systemd or the like to restart.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Start the whole platform on this machine.",
            "With --brokers/--services/--redis-cluster: every node a process of its own, e.g.",
            "  ./shadowmq up --brokers 2 --services 2 --redis-cluster 3"
        })
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--mqtt-port", description = "MQTT listener port (default ${DEFAULT-VALUE})", defaultValue = "1883")
    int mqttPort;

    @Option(names = "--http-port", description = "REST port (default ${DEFAULT-VALUE})", defaultValue = "8080")
    int httpPort;

    @Option(names = "--host", description = "address to bind (default ${DEFAULT-VALUE})", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--redis", description = "use this Redis (redis://host:port) instead of starting one")
    @Nullable
    String redis;

    @Option(
            names = "--data-dir",
            description = "where Redis data and platform secrets live (default ${DEFAULT-VALUE})",
            defaultValue = "data")
    Path dataDir;

    @Option(
            names = "--brokers",
            paramLabel = "N",
            description = "run N HiveMQ CE brokers, each in its own JVM, on "
                    + "--mqtt-port and the following ports (default 1; giving any of --brokers, --services, --redis-cluster or "
                    + "--redis-replicas runs every node in its own JVM)")
    @Nullable
    Integer brokers;

    @Option(
            names = "--services",
            paramLabel = "M",
            description =
                    "run M REST services, each in its own JVM, on " + "--http-port and the following ports (default 1)")
    @Nullable
    Integer services;

    @Option(
            names = "--redis-cluster",
            paramLabel = "K",
            description = "start a Redis Cluster of K masters (default 1 "
                    + "with --brokers/--services; 0 = one standalone Redis)")
    @Nullable
    Integer redisCluster;

    @Option(names = "--redis-replicas", paramLabel = "R", description = "replicas per Redis Cluster master (default 0)")
    @Nullable
    Integer redisReplicas;

    @Option(
            names = "--no-demo",
            description = "leave out the demo household (owner demo: a car, a speaker, a fridge and a washer on "
                    + "simulated devices, shown in the console)")
    boolean noDemo;

    @Option(
            names = "--extension-folder",
            hidden = true,
            defaultValue = "${sys:shadowmq.extension.folder:-extension/target/shadowmq-extension}")
    Path extensionFolder;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Consumer<String> progress = line -> {
            out.println(line);
            out.flush();
        };
        String adminToken = System.getenv("SHADOWMQ_ADMIN_TOKEN");
        try {
            if (brokers == null && services == null && redisCluster == null && redisReplicas == null) {
                LocalPlatform platform = LocalPlatform.start(
                        new LocalPlatform.Options(
                                host, mqttPort, httpPort, redis, dataDir, extensionFolder, adminToken),
                        progress);
                AutoCloseable running = platform;
                if (!noDemo) {
                    running = withDemo(platform, progress);
                }
                return serve(running, platform.failed(), platform.mqttUri(), platform.httpUri());
            }
            // Every node in its own JVM: the same lines, exit codes and stop as one node.
            DistributedPlatform platform = DistributedPlatform.start(
                    new DistributedPlatform.Options(
                            host,
                            mqttPort,
                            httpPort,
                            brokers == null ? 1 : brokers,
                            services == null ? 1 : services,
                            redisCluster != null ? redisCluster : redis != null ? 0 : 1,
                            redisReplicas == null ? 0 : redisReplicas,
                            redis,
                            dataDir,
                            extensionFolder,
                            adminToken),
                    progress);
            return serve(
                    platform,
                    platform.failed(),
                    String.join(",", platform.mqttUris()),
                    String.join(",", platform.httpUris()));
        } catch (IllegalArgumentException | LocalPlatform.StartupFailure failure) {
            System.err.println("shadowmq up: " + failure.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("shadowmq up: cannot use the data dir "
                    + dataDir.toAbsolutePath().normalize() + " (" + e.getMessage()
                    + "): give a writable one with --data-dir");
            return 1;
        }
    }

    /** Prints READY, then runs until SIGTERM (exit 0) or until {@code failed} completes (exit 1). */
    private static int serve(AutoCloseable platform, CompletableFuture<String> failed, String mqtt, String http)
            throws Exception {
        PrintStream out = System.out;
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        // The Redis this platform started stays up until the platform stopped: brokers mark their things
        // disconnected in it on the way down.
        RedisServerProcess.stopLeftoversAfter(stopped);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println("stopping ...");
                            close(platform);
                            stopped.complete(null);
                        },
                        "shadowmq-shutdown"));
        out.println("READY mqtt=" + mqtt + " http=" + http);
        // The first service's console; any service serves it.
        out.println("console: " + http.split(",")[0] + ConsoleRoutes.ROOT + "/ (sign in with the admin token)");
        out.flush();
        Object ended = CompletableFuture.anyOf(stopped, failed).get();
        if (ended instanceof String reason) {
            // Half a platform must not look alive: stop it all and let whatever supervises `up` restart it.
            System.err.println("shadowmq up: " + reason + "; stopping");
            close(platform);
            stopped.complete(null);
            return 1;
        }
        return 0;
    }

    /**
     * Starts the demo household on the platform; the result stops the household's devices first, then the platform.
     * A demo that cannot start stops the platform too: {@code up} would otherwise look healthy without what it said.
     */
    private static AutoCloseable withDemo(LocalPlatform platform, Consumer<String> progress) throws Exception {
        progress.accept("[demo] household " + DemoHousehold.OWNER + ": a car, a speaker, a fridge and a washer on "
                + "simulated devices (--no-demo leaves it out)");
        DemoHousehold demo;
        try {
            demo = DemoHousehold.start(
                    platform.httpUri(), platform.adminToken(), platform.host(), platform.mqttPort(), line -> {});
        } catch (CliFailure | RuntimeException failure) {
            close(platform);
            throw new IllegalArgumentException("the demo household did not start: " + failure.getMessage(), failure);
        }
        return () -> {
            demo.close();
            platform.close();
        };
    }

    private static void close(AutoCloseable platform) {
        try {
            platform.close();
        } catch (Exception e) {
            System.err.println("while stopping: " + e.getMessage());
        }
    }
}
