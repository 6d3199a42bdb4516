package io.shadowmq.platform.up;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A real HiveMQ CE broker that loads the packaged ShadowMQ extension folder from its {@code extensions/} directory,
 * exactly as a production broker does (its own classloader, its own {@code conf/config.xml}). Persistence is
 * in-memory: Redis is the system of record, devices resubscribe after a broker restart and pending deltas are pushed
 * when they do (see docs/deploy.md for the trade-off).
 */
public final class LocalBroker implements AutoCloseable {

    public static final String EXTENSION_ID = "shadowmq-extension";
    private static final long START_TIMEOUT_SECONDS = 120;

    private final EmbeddedHiveMQ hivemq;

    private LocalBroker(EmbeddedHiveMQ hivemq) {
        this.hivemq = hivemq;
    }

    /**
     * Starts the broker on {@code host:port} with the extension from {@code packagedExtension}, configured to use
     * {@code redisAddress} and {@code pepper}.
     */
    public static @NotNull LocalBroker start(@NotNull Path home, @NotNull Path packagedExtension, @NotNull String host,
                                             int port, @NotNull String redisAddress, @NotNull String pepper) throws Exception {
        return start(home, packagedExtension, host, port, redisAddress, pepper, "");
    }

    /**
     * Like {@link #start(Path, Path, String, int, String, String)}, with {@code extraSettingsXml} added inside the
     * extension's {@code <shadowmq>} element — the benchmark raises the per-thing rate limit this way:
     * <pre>{@code LocalBroker.start(home, folder, "127.0.0.1", 1883, redis, pepper,
     *         "<shadow><updates-per-second>100000</updates-per-second><update-burst>100000</update-burst></shadow>")}</pre>
     */
    public static @NotNull LocalBroker start(@NotNull Path home, @NotNull Path packagedExtension, @NotNull String host,
                                             int port, @NotNull String redisAddress, @NotNull String pepper,
                                             @NotNull String extraSettingsXml) throws Exception {
        if (!Files.isRegularFile(packagedExtension.resolve("hivemq-extension.xml"))) {
            throw new IllegalStateException("no packaged extension in " + packagedExtension + " (run ./mvnw package)");
        }
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        Path extension = extensions.resolve(EXTENSION_ID);
        deleteRecursively(extension);
        copyFolder(packagedExtension, extension);
        Files.writeString(extension.resolve("conf/config.xml"), extensionConfig(redisAddress, pepper, extraSettingsXml));
        // Embedded HiveMQ lets every client in when no extension registered an authenticator; the distribution
        // refuses them. If our extension failed to start, nobody must get in.
        return startBroker(home, host, port, true);
    }

    /**
     * The same broker — same listener, same in-memory persistence, same settings — with no extension at all, so
     * anyone may connect, publish and subscribe. The benchmark's baseline ("the limit beneath us"); never a platform.
     * The extensions folder of {@code home} must not hold the ShadowMQ extension.
     */
    public static @NotNull LocalBroker withoutExtension(@NotNull Path home, @NotNull String host, int port) throws Exception {
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        deleteRecursively(extensions.resolve(EXTENSION_ID));
        return startBroker(home, host, port, false);
    }

    private static LocalBroker startBroker(Path home, String host, int port, boolean denyUnauthenticated) throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path data = Files.createDirectories(home.resolve("data"));
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), brokerConfig(host, port));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap()
                .build();
        // A JVM-wide switch: set it on every start, so a plain broker after a platform broker (or the reverse) in
        // the same JVM gets its own behaviour.
        InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(denyUnauthenticated);
        hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new LocalBroker(hivemq);
    }

    @Override
    public void close() throws Exception {
        hivemq.stop().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        hivemq.close();
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

    private static String extensionConfig(String redisAddress, String pepper, String extraSettingsXml) {
        // Written by ./shadowmq up; every other setting keeps the defaults documented in the shipped config.xml.
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <shadowmq>
                    <redis>
                        <address>%s</address>
                    </redis>
                    <pepper>%s</pepper>
                    %s
                </shadowmq>
                """.formatted(redisAddress, pepper, extraSettingsXml);
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
                Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
