package io.shadowmq.bench.target;

import io.shadowmq.broker.FreePort;
import org.jetbrains.annotations.NotNull;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The peer: a {@code mosquitto} child process on a free loopback port, anonymous access, no persistence (the closest
 * to HiveMQ's in-memory mode). Only when a {@code mosquitto} binary is on PATH; the run says so when it is not.
 */
public final class Mosquitto implements MqttTarget {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;

    private Mosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The {@code mosquitto} binary on PATH, if any. */
    public static @NotNull Optional<Path> findBinary() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "mosquitto");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        // Debian installs it in /usr/sbin, which is often not on a user's PATH.
        Path sbin = Path.of("/usr/sbin/mosquitto");
        return Files.isExecutable(sbin) ? Optional.of(sbin) : Optional.empty();
    }

    /** Starts {@code binary} with a generated config under {@code workDir}; waits until it accepts connections. */
    public static @NotNull Mosquitto start(@NotNull Path binary, @NotNull Path workDir)
            throws IOException, InterruptedException {
        int port = FreePort.pick();
        Path config = Files.createDirectories(workDir.resolve("mosquitto")).resolve("mosquitto.conf");
        Files.writeString(config, """
                listener %d %s
                allow_anonymous true
                persistence false
                max_inflight_messages 0
                max_queued_messages 100000
                """.formatted(port, HOST));
        Process process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("mosquitto/mosquitto.log").toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "mosquitto exited with " + process.exitValue() + ", see " + workDir.resolve("mosquitto"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 200);
                return new Mosquitto(process, port);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IOException("mosquitto did not listen on " + port + " within " + START_TIMEOUT);
    }

    @Override
    public @NotNull String description() {
        return "Mosquitto (no persistence)";
    }

    @Override
    public @NotNull String host() {
        return HOST;
    }

    @Override
    public int mqttPort() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
