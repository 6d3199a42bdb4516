package io.shadowmq.store.settings;

import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.history.HistoryPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The table of store settings: everything the broker extension and the REST service share, read by both under the
 * same names ({@link StoreSettings#read}). docs/deploy.md shows this table; a test keeps the two in step.
 * <pre>{@code
 * for (Setting<?> setting : StoreSetting.ALL) {
 *     System.out.println(setting.env() + " = " + setting.defaultText());
 * }
 * }</pre>
 */
public final class StoreSetting {

    /** The largest packet MQTT can carry (268,435,455 bytes). */
    public static final int MQTT_MAX_PACKET_BYTES = 268_435_455;

    public static final int MAX_FEED_PARTITIONS = 1024;
    public static final long MIN_FEED_MAX_LENGTH = 100;
    /** The most points of reported history a thing may keep. */
    public static final int MAX_HISTORY_POINTS = 1_000_000;
    /** The longest reported history may be kept (a year). */
    public static final Duration MAX_HISTORY_RETENTION = Duration.ofDays(365);
    /** The most things a search without an indexed predicate may be allowed to scan. */
    public static final int MAX_SEARCH_SCAN_THINGS = 10_000_000;

    public static final Setting<String> REDIS_ADDRESS = new Setting<>(
            "redis.address",
            "SHADOWMQ_REDIS_ADDRESS",
            "redis/address",
            "redis://127.0.0.1:6379",
            "a standalone Redis, `redis://host:port` (`rediss://` for TLS), or the nodes of a Redis Cluster separated "
                    + "by commas; set this or `redis.redissonConfig`, not both",
            List.of("SHADOWMQ_REDIS"),
            List.of(),
            false,
            Parsers.redisAddress());

    public static final Setting<Path> REDISSON_CONFIG = new Setting<>(
            "redis.redissonConfig",
            "SHADOWMQ_REDISSON_CONFIG",
            "redis/redisson-config",
            null,
            "a Redisson YAML file instead of the address, for Sentinel, Cluster, TLS or passwords (examples in the "
                    + "extension's `conf/examples/`); relative to the extension folder (extension) or the working "
                    + "directory (service)",
            List.of("SHADOWMQ_REDIS_CONFIG"),
            List.of("redis.configFile"),
            false,
            Parsers.readableFile());

    public static final Setting<String> REDIS_PASSWORD = new Setting<>(
            "redis.password",
            "SHADOWMQ_REDIS_PASSWORD",
            "redis/password",
            null,
            "the password of the Redis at `redis.address` (a Redisson file carries its own); never logged",
            List.of(),
            List.of(),
            true,
            Parsers.text());

    public static final Setting<Duration> STORE_TIMEOUT = new Setting<>(
            "store.timeout",
            "SHADOWMQ_STORE_TIMEOUT",
            "redis/timeout-ms",
            "2s",
            "bound of every Redis call; past it the request is answered 503 (a bare number is milliseconds); "
                    + "1ms to 60s",
            List.of("SHADOWMQ_STORE_TIMEOUT_MS"),
            List.of(),
            false,
            Parsers.duration(ChronoUnit.MILLIS, Duration.ofMillis(1), Duration.ofSeconds(60)));

    public static final Setting<Integer> NETTY_THREADS = new Setting<>(
            "store.nettyThreads",
            "SHADOWMQ_STORE_NETTY_THREADS",
            "redis/netty-threads",
            Integer.toString(StoreConfig.DEFAULT_NETTY_THREADS),
            "Redisson's Netty event-loop threads; few are enough on small machines; 1 to 256",
            List.of(),
            List.of(),
            false,
            Parsers.integer(1, 256));

    public static final Setting<Integer> REPLICA_ACKS = new Setting<>(
            "store.replicaAcks",
            "SHADOWMQ_REPLICA_ACKS",
            "redis/replica-acks",
            "0",
            "replicas that must have a shadow update before it is accepted (Redis `WAIT`, 500 ms; fewer is a 503, "
                    + "retry with the same clientToken); 0 accepts it once its master has it; 0 to "
                    + StoreConfig.MAX_REPLICA_ACKS,
            List.of(),
            List.of(),
            false,
            Parsers.integer(0, StoreConfig.MAX_REPLICA_ACKS));

    public static final Setting<Pepper> PEPPER = new Setting<>(
            "store.pepper",
            "SHADOWMQ_PEPPER",
            "pepper",
            null,
            "**required**: the HMAC key of thing secrets and API tokens, at least " + Pepper.MIN_BYTES
                    + " bytes (a plain string's UTF-8 bytes, or `base64:...`); the same in every process, never "
                    + "changed; checked at start",
            List.of(),
            List.of(),
            true,
            Parsers.pepper());

    public static final Setting<Integer> FEED_PARTITIONS = new Setting<>(
            "feed.partitions",
            "SHADOWMQ_FEED_PARTITIONS",
            "feed/partitions",
            Integer.toString(StoreConfig.DEFAULT_FEED_PARTITIONS),
            "change-feed streams households are spread over; the same in every process, checked at start; 1 to "
                    + MAX_FEED_PARTITIONS,
            List.of(),
            List.of(),
            false,
            Parsers.integer(1, MAX_FEED_PARTITIONS));

    public static final Setting<Long> FEED_MAX_LENGTH = new Setting<>(
            "feed.maxLength",
            "SHADOWMQ_FEED_MAX_LENGTH",
            "feed/max-length",
            Long.toString(StoreConfig.DEFAULT_FEED_MAX_LENGTH),
            "about how many changes each feed stream keeps (how far back an event stream can resume); every writer "
                    + "trims to its own, so the same everywhere; at least " + MIN_FEED_MAX_LENGTH,
            List.of(),
            List.of(),
            false,
            Parsers.longInteger(MIN_FEED_MAX_LENGTH, Long.MAX_VALUE));

    public static final Setting<Integer> MAX_UPDATES_IN_FLIGHT = new Setting<>(
            "shadow.maxUpdatesInFlight",
            "SHADOWMQ_MAX_UPDATES_IN_FLIGHT",
            "shadow/max-updates-in-flight",
            Integer.toString(StoreConfig.DEFAULT_MAX_UPDATES_IN_FLIGHT),
            "shadow updates one process works on at once; one more is answered 503 `store busy` at once (load shed "
                    + "early, the device retries) instead of queueing until the store timeout; 1 to 100000",
            List.of(),
            List.of(),
            false,
            Parsers.integer(1, 100_000));

    public static final Setting<Integer> HISTORY_MAX_POINTS = new Setting<>(
            "history.maxPoints",
            "SHADOWMQ_HISTORY_MAX_POINTS",
            "history/max-points",
            Integer.toString(HistoryPolicy.DEFAULT_MAX_POINTS),
            "points of reported history kept per thing (one per update that changed a reported value); the oldest "
                    + "go first; 1 to " + MAX_HISTORY_POINTS,
            List.of(),
            List.of(),
            false,
            Parsers.integer(1, MAX_HISTORY_POINTS));

    public static final Setting<Duration> HISTORY_RETENTION = new Setting<>(
            "history.retention",
            "SHADOWMQ_HISTORY_RETENTION",
            "history/retention-hours",
            Parsers.text(HistoryPolicy.DEFAULT_RETENTION),
            "how long a point of reported history is kept (a bare number is hours); 1m to "
                    + Parsers.text(MAX_HISTORY_RETENTION),
            List.of(),
            List.of(),
            false,
            Parsers.duration(ChronoUnit.HOURS, Duration.ofMinutes(1), MAX_HISTORY_RETENTION));

    public static final Setting<Integer> SEARCH_MAX_SCAN_THINGS = new Setting<>(
            "search.maxScanThings",
            "SHADOWMQ_SEARCH_MAX_SCAN_THINGS",
            "search/max-scan-things",
            Integer.toString(StoreConfig.DEFAULT_SEARCH_MAX_SCAN_THINGS),
            "a search whose filter has no indexed predicate is refused over more things than this; 1 to "
                    + MAX_SEARCH_SCAN_THINGS,
            List.of(),
            List.of(),
            false,
            Parsers.integer(1, MAX_SEARCH_SCAN_THINGS));

    public static final Setting<Integer> MAX_STATE_BYTES = new Setting<>(
            "shadow.maxStateBytes",
            "SHADOWMQ_MAX_STATE_BYTES",
            "shadow/max-state-bytes",
            Integer.toString(ShadowLimits.DEFAULT.maxStateBytes()),
            "an update that would make a shadow's stored state larger is rejected with 413",
            List.of(),
            List.of(),
            false,
            Parsers.integer(1, MQTT_MAX_PACKET_BYTES));

    public static final Setting<Integer> MAX_PAYLOAD_BYTES = new Setting<>(
            "shadow.maxPayloadBytes",
            "SHADOWMQ_MAX_PAYLOAD_BYTES",
            "shadow/max-payload-bytes",
            Integer.toString(ShadowLimits.DEFAULT.maxPayloadBytes()),
            "a larger shadow request is rejected with 413 (over REST also any body above the HTTP cap of 64 KiB)",
            List.of(),
            List.of(),
            false,
            Parsers.integer(1, MQTT_MAX_PACKET_BYTES));

    public static final Setting<Path> THING_MODELS_DIR = new Setting<>(
            "thingModels.dir",
            "SHADOWMQ_THING_MODELS_DIR",
            "thing-models-dir",
            null,
            "a folder of `<type>.json` thing models replacing the bundled ones; the same models everywhere",
            List.of("SHADOWMQ_MODELS_DIR"),
            List.of("models.dir"),
            false,
            Parsers.directory());

    public static final Setting<Duration> PRESENCE_LEASE = new Setting<>(
            "presence.lease",
            "SHADOWMQ_PRESENCE_LEASE",
            "presence/lease-seconds",
            "15s",
            "a broker's liveness lease: not renewed for this long, the broker is taken for dead and its things are "
                    + "marked disconnected (a bare number is seconds); 2s to 1h",
            List.of("SHADOWMQ_PRESENCE_LEASE_SECONDS"),
            List.of(),
            false,
            Parsers.duration(ChronoUnit.SECONDS, Duration.ofSeconds(2), Duration.ofHours(1)));

    public static final Setting<Duration> PRESENCE_LEASE_RENEW = new Setting<>(
            "presence.leaseRenew",
            "SHADOWMQ_PRESENCE_LEASE_RENEW",
            "presence/lease-renew-seconds",
            "5s",
            "how often a broker renews its lease; less than `presence.lease` (a third leaves two renewals spare)",
            List.of("SHADOWMQ_PRESENCE_LEASE_RENEW_SECONDS"),
            List.of(),
            false,
            Parsers.duration(ChronoUnit.SECONDS, Duration.ofSeconds(1), Duration.ofSeconds(3599)));

    public static final Setting<Duration> PRESENCE_REAP_INTERVAL = new Setting<>(
            "presence.reapInterval",
            "SHADOWMQ_PRESENCE_REAP_INTERVAL",
            "presence/reap-interval-seconds",
            "5s",
            "how often a broker or REST service looks for brokers whose lease expired; a dead broker's things are "
                    + "shown disconnected within `presence.lease` plus this; 1s to 1h",
            List.of("SHADOWMQ_PRESENCE_REAP_INTERVAL_SECONDS"),
            List.of(),
            false,
            Parsers.duration(ChronoUnit.SECONDS, Duration.ofSeconds(1), Duration.ofHours(1)));

    /** Every store setting, in the order docs/deploy.md lists them. */
    public static final List<Setting<?>> ALL = List.of(
            REDIS_ADDRESS,
            REDISSON_CONFIG,
            REDIS_PASSWORD,
            STORE_TIMEOUT,
            NETTY_THREADS,
            REPLICA_ACKS,
            PEPPER,
            FEED_PARTITIONS,
            FEED_MAX_LENGTH,
            MAX_STATE_BYTES,
            MAX_PAYLOAD_BYTES,
            MAX_UPDATES_IN_FLIGHT,
            HISTORY_MAX_POINTS,
            HISTORY_RETENTION,
            SEARCH_MAX_SCAN_THINGS,
            THING_MODELS_DIR,
            PRESENCE_LEASE,
            PRESENCE_LEASE_RENEW,
            PRESENCE_REAP_INTERVAL);

    private StoreSetting() {}
}
