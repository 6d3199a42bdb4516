package io.shadowmq.extension.harness;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.shadowmq.broker.FreePort;
import io.shadowmq.broker.HiveMqHome;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A real HiveMQ CE broker per test class, loading the packaged extension folder exactly as production does: the
 * folder is copied into the broker's {@code extensions/} and HiveMQ loads the jar through its isolated extension
 * classloader. Only the extension's {@code conf/config.xml} is replaced by the one the test passes.
 * <p>
 * The temporary HiveMQ home has {@code conf/config.xml} (one TCP listener on a free port on 127.0.0.1, in-memory
 * persistence, no usage statistics), {@code data/} and {@code extensions/}; it is deleted after the class. Like the
 * CE distribution, and unlike embedded HiveMQ's own default, it refuses CONNECTs when no authenticator is registered.
 * Needs {@code ./mvnw package} first (failsafe runs after it and passes the folder's location).
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedBroker broker = EmbeddedBroker.withExtensionConfig("""
 *         <shadowmq><pepper>${SHADOWMQ_PEPPER:-0123456789abcdef}</pepper></shadowmq>
 *         """);
 *
 * @Test void something() { ... broker.port() ... broker.log().await("started successfully") ... }
 * }</pre>
 */
public final class EmbeddedBroker implements BeforeAllCallback, AfterAllCallback {

    /** Set by failsafe to target/shadowmq-extension; the default serves a run from the IDE after a package. */
    public static final String EXTENSION_FOLDER_PROPERTY = "shadowmq.extension.folder";

    public static final String EXTENSION_ID = HiveMqHome.EXTENSION_ID;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final @NotNull String extensionConfigXml;
    private final BrokerLog log = new BrokerLog();
    private @Nullable HiveMqHome home;
    private @Nullable EmbeddedHiveMQ hivemq;
    private int port;

    private EmbeddedBroker(@NotNull String extensionConfigXml) {
        this.extensionConfigXml = extensionConfigXml;
    }

    /** A broker whose ShadowMQ extension reads {@code extensionConfigXml} as its {@code conf/config.xml}. */
    public static @NotNull EmbeddedBroker withExtensionConfig(@NotNull String extensionConfigXml) {
        return new EmbeddedBroker(Objects.requireNonNull(extensionConfigXml));
    }

    /** The packaged extension folder the broker loads. */
    public static @NotNull Path packagedExtensionFolder() {
        Path folder = Path.of(System.getProperty(EXTENSION_FOLDER_PROPERTY, "target/" + EXTENSION_ID));
        if (!Files.isRegularFile(folder.resolve("hivemq-extension.xml"))) {
            throw new IllegalStateException("no packaged extension in " + folder.toAbsolutePath()
                    + ": run ./mvnw -pl extension -am package first");
        }
        return folder;
    }

    @Override
    public void beforeAll(@NotNull ExtensionContext context) throws Exception {
        port = FreePort.pick();
        home = HiveMqHome.create(Files.createTempDirectory("shadowmq-hivemq-"), host(), port);
        home.installExtension(packagedExtensionFolder(), extensionConfigXml);
        log.attach();
        try {
            start();
        } catch (Exception e) {
            afterAll(context);
            throw e;
        }
    }

    /**
     * Starts the broker (again, after {@link #stop()}) on the same port, with the same home and extension: clients
     * that survive a broker restart can be tested with the real thing.
     */
    public void start() throws Exception {
        if (hivemq != null) {
            throw new IllegalStateException("broker already running");
        }
        HiveMqHome home =
                Objects.requireNonNull(this.home, "broker home not created: not registered as a JUnit extension?");
        // Refuse CONNECTs while no authenticator is registered, as every production broker does: a failed extension
        // start must not look like success. Logging stays with the test classpath's logback-test.xml (BrokerLog).
        try {
            hivemq = home.start(true, START_TIMEOUT);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "embedded HiveMQ did not start; its log:\n" + String.join("\n", log.lines()), e);
        }
    }

    /** Stops the broker, keeping its home and port for {@link #start()}: every client loses its connection. */
    public void stop() throws Exception {
        EmbeddedHiveMQ running = hivemq;
        hivemq = null;
        if (running != null) {
            HiveMqHome.stop(running, START_TIMEOUT);
        }
    }

    @Override
    public void afterAll(@NotNull ExtensionContext context) throws Exception {
        try {
            stop();
        } finally {
            log.detach();
            if (home != null) {
                home.delete();
                home = null;
            }
        }
    }

    public @NotNull String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** The broker's metric registry, where the extension's metrics live. */
    public @NotNull com.codahale.metrics.MetricRegistry metrics() {
        return Objects.requireNonNull(hivemq, "broker not started").getMetricRegistry();
    }

    /** The broker's log lines, including the extension's. */
    public @NotNull BrokerLog log() {
        return log;
    }

    /** The extension folder inside the broker's {@code extensions/}. */
    public @NotNull Path extensionFolder() {
        return Objects.requireNonNull(home, "broker not started").extensionFolder();
    }
}
