package io.shadowmq.platform.up;

import com.codahale.metrics.MetricRegistry;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.shadowmq.broker.HiveMqHome;
import org.jetbrains.annotations.NotNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A real HiveMQ CE broker that loads the packaged ShadowMQ extension folder from its {@code extensions/} directory,
 * exactly as a production broker does (its own classloader, its own {@code conf/config.xml}). Persistence is
 * in-memory: Redis is the system of record, devices resubscribe after a broker restart and pending deltas are pushed
 * when they do (see docs/deploy.md for the trade-off).
 */
public final class LocalBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final EmbeddedHiveMQ hivemq;

    private LocalBroker(EmbeddedHiveMQ hivemq) {
        this.hivemq = hivemq;
    }

    /**
     * Starts the broker on {@code host:port} with the extension from {@code packagedExtension}, configured to use
     * {@code redisAddress} and {@code pepper}.
     */
    public static @NotNull LocalBroker start(
            @NotNull Path home,
            @NotNull Path packagedExtension,
            @NotNull String host,
            int port,
            @NotNull String redisAddress,
            @NotNull String pepper)
            throws Exception {
        return start(home, packagedExtension, host, port, redisAddress, pepper, "");
    }

    /**
     * Like {@link #start(Path, Path, String, int, String, String)}, with {@code extraSettingsXml} added inside the
     * extension's {@code <shadowmq>} element — the benchmark raises the per-thing rate limit this way:
     * <pre>{@code LocalBroker.start(home, folder, "127.0.0.1", 1883, redis, pepper,
     *         "<shadow><updates-per-second>100000</updates-per-second><update-burst>100000</update-burst></shadow>")}</pre>
     */
    public static @NotNull LocalBroker start(
            @NotNull Path home,
            @NotNull Path packagedExtension,
            @NotNull String host,
            int port,
            @NotNull String redisAddress,
            @NotNull String pepper,
            @NotNull String extraSettingsXml)
            throws Exception {
        return start(
                home, packagedExtension, host, port, RedisTarget.standalone(redisAddress), pepper, extraSettingsXml);
    }

    /** Like {@link #start(Path, Path, String, int, String, String, String)}, for any {@link RedisTarget}. */
    public static @NotNull LocalBroker start(
            @NotNull Path home,
            @NotNull Path packagedExtension,
            @NotNull String host,
            int port,
            @NotNull RedisTarget redis,
            @NotNull String pepper,
            @NotNull String extraSettingsXml)
            throws Exception {
        HiveMqHome hiveMqHome = HiveMqHome.create(home, host, port);
        hiveMqHome.installExtension(packagedExtension, extensionConfig(redis, pepper, extraSettingsXml));
        // If our extension failed to start, nobody must get in.
        return new LocalBroker(hiveMqHome.start(true, START_TIMEOUT));
    }

    /**
     * The same broker — same listener, same in-memory persistence, same settings — with no extension at all, so
     * anyone may connect, publish and subscribe. The benchmark's baseline ("the limit beneath us"); never a platform.
     */
    public static @NotNull LocalBroker withoutExtension(@NotNull Path home, @NotNull String host, int port)
            throws Exception {
        HiveMqHome hiveMqHome = HiveMqHome.create(home, host, port);
        hiveMqHome.removeExtension();
        return new LocalBroker(hiveMqHome.start(false, START_TIMEOUT));
    }

    /** HiveMQ's metric registry, which the extension registers its metrics in ({@link BrokerMetricsExport}). */
    public @NotNull MetricRegistry metrics() {
        return hivemq.getMetricRegistry();
    }

    @Override
    public void close() throws Exception {
        HiveMqHome.stop(hivemq, START_TIMEOUT);
    }

    private static String extensionConfig(RedisTarget redis, String pepper, String extraSettingsXml) {
        // Written by ./shadowmq up; every other setting keeps the defaults documented in the shipped config.xml.
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <shadowmq>
                    <redis>
                        %s
                    </redis>
                    <pepper>%s</pepper>
                    %s
                </shadowmq>
                """.formatted(redis.extensionXml(), pepper, extraSettingsXml);
    }
}
