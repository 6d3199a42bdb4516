package io.shadowmq.platform.nodes;

import io.shadowmq.platform.up.RedisTarget;
import io.shadowmq.store.settings.StoreSetting;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A HiveMQ CE broker with the packaged ShadowMQ extension in a JVM of its own ({@link BrokerNodeMain}), its home
 * (config, data, extension copy) and its log {@code broker.log} in {@code home}: what {@code ./shadowmq up --brokers N}
 * runs N times, and what a test kills to see a broker die without saying goodbye.
 *
 * <pre>{@code
 * try (BrokerProcess broker = BrokerProcess.start("broker 1", home, extensionFolder, "127.0.0.1", 1883, redis, pepper, "")) {
 *     broker.mqttUri();      // tcp://127.0.0.1:1883
 *     broker.killForcibly(); // kill -9: no DISCONNECT, no goodbye to Redis
 * }
 * }</pre>
 */
public final class BrokerProcess extends NodeProcess {

    /** A cold JVM, HiveMQ and the extension on a busy machine. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private BrokerProcess(ChildJvm jvm) {
        super(jvm);
    }

    /**
     * Starts the broker and returns once it accepts CONNECTs. {@code extraSettingsXml} goes inside the extension's
     * {@code <shadowmq>} element, as {@link io.shadowmq.platform.up.LocalBroker} writes it.
     *
     * @throws IOException with a one-line reason if it did not start; nothing is left running then
     */
    public static @NotNull BrokerProcess start(
            @NotNull String name,
            @NotNull Path home,
            @NotNull Path extensionFolder,
            @NotNull String host,
            int port,
            @NotNull RedisTarget redis,
            @NotNull String pepper,
            @NotNull String extraSettingsXml)
            throws IOException {
        Map<String, String> environment = new HashMap<>(redis.serviceEnvironment());
        environment.put(StoreSetting.PEPPER.env(), pepper);
        List<String> args = List.of(
                home.toAbsolutePath().toString(),
                extensionFolder.toAbsolutePath().toString(),
                host,
                Integer.toString(port),
                extraSettingsXml);
        return new BrokerProcess(ChildJvm.start(
                name,
                BrokerNodeMain.class,
                args,
                environment,
                BrokerNodeMain.READY_PREFIX,
                home.resolve("broker.log"),
                START_TIMEOUT));
    }

    public @NotNull String mqttUri() {
        return jvm.endpoint();
    }

    /** {@code kill -9}: the broker ends at once, without closing a session or telling Redis anything. */
    public void killForcibly() throws InterruptedException {
        ProcessHandle.of(jvm.pid()).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(jvm.pid())
                .ifPresent(handle ->
                        handle.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }
}
