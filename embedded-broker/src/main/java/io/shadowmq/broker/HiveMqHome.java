package io.shadowmq.broker;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The home folder of an embedded HiveMQ CE as ShadowMQ runs it — {@code conf/config.xml} (one TCP listener,
 * in-memory persistence, no usage statistics), {@code data/}, {@code extensions/} — and the one way to start a broker
 * on it. {@code ./shadowmq up}, the benchmark and the extension's integration tests all use it, so what is tested is
 * the broker that runs.
 * <pre>{@code
 * HiveMqHome home = HiveMqHome.create(dir, "127.0.0.1", 1883);
 * home.installExtension(packagedFolder, "<shadowmq>...</shadowmq>");   // as a deployment copies it
 * EmbeddedHiveMQ hivemq = home.start(true, Duration.ofMinutes(1));    // refuses CONNECTs without an authenticator
 * }</pre>
 */
public final class HiveMqHome {

    /** The ShadowMQ extension's folder name inside {@code extensions/} (its id in hivemq-extension.xml). */
    public static final String EXTENSION_ID = "shadowmq-extension";

    private final Path root;

    private HiveMqHome(Path root) {
        this.root = root;
    }

    /** Creates (or reuses) {@code root} with its folders and a broker config listening on {@code host:port}. */
    public static @NotNull HiveMqHome create(@NotNull Path root, @NotNull String host, int port) throws IOException {
        HiveMqHome home = new HiveMqHome(root);
        Files.createDirectories(home.data());
        Files.createDirectories(home.extensions());
        Files.createDirectories(home.conf());
        Files.writeString(home.conf().resolve("config.xml"), brokerConfig(host, port));
        return home;
    }

    public @NotNull Path root() {
        return root;
    }

    /** Where the ShadowMQ extension lives once installed. */
    public @NotNull Path extensionFolder() {
        return extensions().resolve(EXTENSION_ID);
    }

    /**
     * Copies the packaged extension folder into {@code extensions/} (replacing an earlier copy, and with it any
     * {@code DISABLED} file HiveMQ wrote after a failed start, which would otherwise keep the extension off), then
     * replaces its {@code conf/config.xml} with {@code configXml}: the broker loads it through its own isolated
     * classloader, as in production.
     */
    public void installExtension(@NotNull Path packagedExtension, @NotNull String configXml) throws IOException {
        if (!Files.isRegularFile(packagedExtension.resolve("hivemq-extension.xml"))) {
            throw new IllegalStateException(
                    "no packaged extension in " + packagedExtension.toAbsolutePath() + " (run ./mvnw package first)");
        }
        removeExtension();
        copyFolder(packagedExtension, extensionFolder());
        Files.writeString(extensionFolder().resolve("conf/config.xml"), configXml);
    }

    /** Removes the ShadowMQ extension, if installed: the broker then runs without it. */
    public void removeExtension() throws IOException {
        deleteRecursively(extensionFolder());
    }

    /**
     * Starts a broker on this home. {@code denyUnauthenticated}: refuse CONNECTs while no extension registered an
     * authenticator, as the CE distribution does (embedded HiveMQ's own default lets everyone in, so a failed
     * extension start would look like success); {@code false} only for the benchmark's plain broker.
     */
    public @NotNull EmbeddedHiveMQ start(boolean denyUnauthenticated, @NotNull Duration timeout) throws Exception {
        return start(denyUnauthenticated, timeout, null);
    }

    /**
     * Like {@link #start(boolean, Duration)}, with {@code inProcess} loaded from the host's classpath as well (the
     * benchmark's reply-floor extension; never the ShadowMQ extension, which always loads from its folder).
     */
    public @NotNull EmbeddedHiveMQ start(
            boolean denyUnauthenticated, @NotNull Duration timeout, @Nullable EmbeddedExtension inProcess)
            throws Exception {
        // withoutLoggingBootstrap: HiveMQ would otherwise reset logback and drop the host process's logging setup.
        EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf())
                .withDataFolder(data())
                .withExtensionsFolder(extensions())
                .withoutLoggingBootstrap();
        if (inProcess != null) {
            builder.withEmbeddedExtension(inProcess);
        }
        EmbeddedHiveMQ hivemq = builder.build();
        // A JVM-wide switch that build() resets: set it on every start, so a plain broker after a platform broker
        // (or the reverse) in the same JVM gets its own behaviour.
        InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(denyUnauthenticated);
        try {
            hivemq.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            hivemq.close();
            throw e;
        }
        return hivemq;
    }

    /** Stops and closes a broker started by {@link #start}. */
    public static void stop(@NotNull EmbeddedHiveMQ hivemq, @NotNull Duration timeout) throws Exception {
        try {
            hivemq.stop().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            hivemq.close();
        }
    }

    /** Deletes the whole home. */
    public void delete() throws IOException {
        deleteRecursively(root);
    }

    private Path conf() {
        return root.resolve("conf");
    }

    private Path data() {
        return root.resolve("data");
    }

    private Path extensions() {
        return root.resolve("extensions");
    }

    private static String brokerConfig(String host, int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, host);
    }

    private static void copyFolder(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(
                        file, target.resolve(source.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
