package io.shadowmq.bench.target;

import io.shadowmq.broker.FreePort;
import io.shadowmq.platform.up.LocalBroker;
import org.jetbrains.annotations.NotNull;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The limit beneath us: the very broker the platform runs ({@link LocalBroker}: same HiveMQ CE, same listener,
 * in-memory persistence, same settings) but without the ShadowMQ extension, so every client may connect and publish.
 */
public final class PlainHiveMq implements MqttTarget {

    private static final String HOST = "127.0.0.1";

    private final LocalBroker broker;
    private final int port;

    private PlainHiveMq(LocalBroker broker, int port) {
        this.broker = broker;
        this.port = port;
    }

    /** Starts it with its HiveMQ home under {@code workDir}. */
    public static @NotNull PlainHiveMq start(@NotNull Path workDir) throws Exception {
        int port = FreePort.pick();
        Path home = Files.createDirectories(workDir.resolve("hivemq-plain"));
        return new PlainHiveMq(LocalBroker.withoutExtension(home, HOST, port), port);
    }

    @Override
    public @NotNull String description() {
        return "HiveMQ CE without extension (in-memory persistence)";
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
    public void close() throws Exception {
        broker.close();
    }
}
