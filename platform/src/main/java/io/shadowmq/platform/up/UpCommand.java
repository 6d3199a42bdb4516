package io.shadowmq.platform.up;

import org.jetbrains.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ./shadowmq up}: the whole platform on one machine (CONTRACT.md §5), see {@link LocalPlatform}. One progress
 * line per phase, then {@code READY mqtt=... http=...}; a taken port or an unreachable Redis ends it with a one-line
 * reason and exit 1. Ctrl-C / SIGTERM stops everything, Redis included. While it runs, a Redis that dies is
 * restarted ({@link RedisSupervisor}); a Redis that keeps dying, or a broker or REST service that stops listening
 * ({@link ListenerWatch}), ends it with a one-line reason on stderr and exit 1, for systemd or the like to restart.
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

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        LocalPlatform platform;
        try {
            platform = LocalPlatform.start(new LocalPlatform.Options(host, mqttPort, httpPort, redis, dataDir,
                    extensionFolder, System.getenv("SHADOWMQ_ADMIN_TOKEN")), line -> {
                out.println(line);
                out.flush();
            });
        } catch (LocalPlatform.StartupFailure failure) {
            System.err.println("shadowmq up: " + failure.getMessage());
            return 1;
        }
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("stopping ...");
            platform.close();
            stopped.complete(null);
        }, "shadowmq-shutdown"));
        out.println("READY mqtt=" + platform.mqttUri() + " http=" + platform.httpUri());
        out.flush();
        Object ended = CompletableFuture.anyOf(stopped, platform.failed()).get();
        if (ended instanceof String reason) {
            // Half a platform must not look alive: stop it all and let whatever supervises `up` restart it.
            System.err.println("shadowmq up: " + reason + "; stopping");
            platform.close();
            return 1;
        }
        return 0;
    }
}
