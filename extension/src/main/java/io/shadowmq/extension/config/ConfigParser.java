package io.shadowmq.extension.config;

import io.shadowmq.store.Pepper;
import org.jetbrains.annotations.NotNull;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code conf/config.xml} from the extension's folder into an {@link ExtensionConfig}, or says in one line
 * why it cannot. Every setting but the pepper has a default; {@code ${NAME}} placeholders come from the
 * environment given at construction.
 * <pre>{@code
 * <shadowmq>
 *     <redis><address>${REDIS_URL:-redis://127.0.0.1:6379}</address></redis>
 *     <pepper>${SHADOWMQ_PEPPER}</pepper>
 * </shadowmq>
 *
 * ExtensionConfig config = new ConfigParser(EnvSubstitution.ofSystemEnvironment()).parse(extensionHome);
 * }</pre>
 * The shipped {@code conf/config.xml} documents every element.
 */
public final class ConfigParser {

    /** Where the file lives, relative to the extension folder. */
    public static final Path CONFIG_FILE = Path.of("conf", "config.xml");

    private static final String ROOT = "shadowmq";
    private static final String REDIS = "redis";
    private static final String ADDRESS = "address";
    private static final String REDISSON_CONFIG = "redisson-config";
    private static final String TIMEOUT_MS = "timeout-ms";
    private static final String PEPPER = "pepper";
    private static final String THING_MODELS_DIR = "thing-models-dir";
    private static final String SHADOW = "shadow";
    private static final String MAX_PAYLOAD_BYTES = "max-payload-bytes";
    private static final String MAX_STATE_BYTES = "max-state-bytes";
    private static final String UPDATES_PER_SECOND = "updates-per-second";
    private static final String UPDATE_BURST = "update-burst";
    private static final String AUTHENTICATION = "authentication";
    private static final String FAILURE_LIMIT = "failure-limit";
    private static final String SOURCE_FAILURE_LIMIT = "source-failure-limit";
    private static final String FAILURE_WINDOW_SECONDS = "failure-window-seconds";
    private static final String BLOCK_SECONDS = "block-seconds";
    private static final String CACHE_TTL_SECONDS = "credential-cache-ttl-seconds";
    private static final String CACHE_SIZE = "credential-cache-size";
    private static final String CONCURRENT_CHECKS = "concurrent-checks";
    private static final String CONNECT_WAIT_SECONDS = "connect-wait-seconds";
    private static final String PRESENCE = "presence";
    private static final String LEASE_SECONDS = "lease-seconds";
    private static final String LEASE_RENEW_SECONDS = "lease-renew-seconds";
    private static final String REAP_INTERVAL_SECONDS = "reap-interval-seconds";
    private static final String FEED = "feed";
    private static final String PARTITIONS = "partitions";
    private static final String MAX_LENGTH = "max-length";

    private static final int MAX_STORE_TIMEOUT_MS = 60_000;
    /** The largest packet MQTT can carry (268,435,455 bytes). */
    private static final int MQTT_MAX_PACKET_BYTES = 268_435_455;
    private static final int ONE_DAY_SECONDS = 86_400;

    private final @NotNull EnvSubstitution env;

    public ConfigParser(@NotNull EnvSubstitution env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * @param extensionHome the extension's folder, as HiveMQ reports it
     * @throws InvalidConfigException with a one-line reason naming the file and the element or variable
     */
    public @NotNull ExtensionConfig parse(@NotNull Path extensionHome) throws InvalidConfigException {
        Path home = extensionHome.toAbsolutePath().normalize();
        Path file = home.resolve(CONFIG_FILE);
        ConfigElement root = ConfigElement.root(read(file).getDocumentElement(), ROOT,
                Set.of(REDIS, PEPPER, THING_MODELS_DIR, SHADOW, AUTHENTICATION, PRESENCE, FEED), file, env);

        ConfigElement redis = root.section(REDIS, Set.of(ADDRESS, REDISSON_CONFIG, TIMEOUT_MS))
                .orElse(null);
        RedisConnection connection = redis == null ? RedisConnection.DEFAULT : redisConnection(redis, home);
        Duration storeTimeout = redis == null
                ? ExtensionConfig.DEFAULT_STORE_TIMEOUT
                : Duration.ofMillis(number(redis, TIMEOUT_MS,
                ExtensionConfig.DEFAULT_STORE_TIMEOUT.toMillis(), 1, MAX_STORE_TIMEOUT_MS));

        Pepper pepper = pepper(root);
        Optional<Path> thingModels = Optional.empty();
        Optional<String> thingModelsText = root.text(THING_MODELS_DIR);
        if (thingModelsText.isPresent()) {
            Path dir = resolve(root, THING_MODELS_DIR, home, thingModelsText.get());
            if (!Files.isDirectory(dir)) {
                throw root.invalid(THING_MODELS_DIR, "names " + dir + ", which is not a directory");
            }
            thingModels = Optional.of(dir);
        }

        ConfigElement shadow = root.section(SHADOW,
                Set.of(MAX_PAYLOAD_BYTES, MAX_STATE_BYTES, UPDATES_PER_SECOND, UPDATE_BURST)).orElse(null);
        int maxPayload = (int) number(shadow, MAX_PAYLOAD_BYTES, ExtensionConfig.DEFAULT_MAX_PAYLOAD_BYTES,
                1, MQTT_MAX_PACKET_BYTES);
        int maxState = (int) number(shadow, MAX_STATE_BYTES, ExtensionConfig.DEFAULT_MAX_STATE_BYTES,
                1, MQTT_MAX_PACKET_BYTES);
        int perSecond = (int) number(shadow, UPDATES_PER_SECOND, RateLimit.DEFAULT.updatesPerSecond(), 1, 100_000);
        int burst = (int) number(shadow, UPDATE_BURST, RateLimit.DEFAULT.burst(), 1, 1_000_000);
        if (burst < perSecond) {
            throw shadow.invalid(UPDATE_BURST, "(" + burst + ") must be at least <" + UPDATES_PER_SECOND + "> ("
                    + perSecond + ")");
        }

        ConfigElement auth = root.section(AUTHENTICATION,
                Set.of(FAILURE_LIMIT, SOURCE_FAILURE_LIMIT, FAILURE_WINDOW_SECONDS, BLOCK_SECONDS, CACHE_TTL_SECONDS,
                        CACHE_SIZE,
                        CONCURRENT_CHECKS, CONNECT_WAIT_SECONDS))
                .orElse(null);
        AuthFailureLimit failureLimit = new AuthFailureLimit(
                (int) number(auth, FAILURE_LIMIT, AuthFailureLimit.DEFAULT.maxFailuresPerThing(), 1, 1_000_000),
                (int) number(auth, SOURCE_FAILURE_LIMIT, AuthFailureLimit.DEFAULT.maxFailuresPerSource(), 1,
                        1_000_000),
                Duration.ofSeconds(number(auth, FAILURE_WINDOW_SECONDS,
                        AuthFailureLimit.DEFAULT.window().toSeconds(), 1, ONE_DAY_SECONDS)),
                Duration.ofSeconds(number(auth, BLOCK_SECONDS,
                        AuthFailureLimit.DEFAULT.blockFor().toSeconds(), 1, ONE_DAY_SECONDS)));
        CredentialCache cache = new CredentialCache(
                Duration.ofSeconds(number(auth, CACHE_TTL_SECONDS,
                        CredentialCache.DEFAULT.ttl().toSeconds(), 0, ONE_DAY_SECONDS)),
                number(auth, CACHE_SIZE, CredentialCache.DEFAULT.maxSize(), 0, 100_000_000));

        ConnectQueue connectQueue = new ConnectQueue(
                (int) number(auth, CONCURRENT_CHECKS, ConnectQueue.DEFAULT.concurrentChecks(), 1, 100_000),
                Duration.ofSeconds(number(auth, CONNECT_WAIT_SECONDS, ConnectQueue.DEFAULT.maxWait().toSeconds(), 0, 600)));

        ConfigElement presence = root.section(PRESENCE,
                Set.of(LEASE_SECONDS, LEASE_RENEW_SECONDS, REAP_INTERVAL_SECONDS)).orElse(null);
        Duration leaseTtl = Duration.ofSeconds(number(presence, LEASE_SECONDS,
                PresenceLease.DEFAULT.ttl().toSeconds(), 2, 3_600));
        Duration renewEvery = Duration.ofSeconds(number(presence, LEASE_RENEW_SECONDS,
                PresenceLease.DEFAULT.renewEvery().toSeconds(), 1, 3_599));
        if (renewEvery.compareTo(leaseTtl) >= 0) {
            throw presence.invalid(LEASE_RENEW_SECONDS, "(" + renewEvery.toSeconds() + ") must be less than <"
                    + LEASE_SECONDS + "> (" + leaseTtl.toSeconds() + "): the lease would expire between renewals");
        }
        PresenceLease lease = new PresenceLease(leaseTtl, renewEvery, Duration.ofSeconds(number(presence,
                REAP_INTERVAL_SECONDS, PresenceLease.DEFAULT.reapEvery().toSeconds(), 1, 3_600)));

        ConfigElement feed = root.section(FEED, Set.of(PARTITIONS, MAX_LENGTH)).orElse(null);
        ChangeFeedSettings changeFeed = new ChangeFeedSettings(
                (int) number(feed, PARTITIONS, ChangeFeedSettings.DEFAULT.partitions(), 1,
                        ChangeFeedSettings.MAX_PARTITIONS),
                number(feed, MAX_LENGTH, ChangeFeedSettings.DEFAULT.maxLength(), ChangeFeedSettings.MIN_MAX_LENGTH,
                        Long.MAX_VALUE));

        return new ExtensionConfig(connection, storeTimeout, pepper, thingModels, maxPayload, maxState,
                new RateLimit(perSecond, burst), failureLimit, cache, connectQueue, lease, changeFeed);
    }

    private static @NotNull Document read(@NotNull Path file) throws InvalidConfigException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("configuration file " + file + " is missing");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return SecureXml.newDocumentBuilder().parse(in, file.toUri().toString());
        } catch (SAXParseException e) {
            throw new InvalidConfigException("cannot parse " + file + ": line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new InvalidConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static @NotNull RedisConnection redisConnection(@NotNull ConfigElement redis, @NotNull Path home)
            throws InvalidConfigException {
        Optional<String> address = redis.text(ADDRESS);
        Optional<String> redissonConfig = redis.text(REDISSON_CONFIG);
        if (address.isPresent() && redissonConfig.isPresent()) {
            throw redis.invalid("sets both <" + ADDRESS + "> and <" + REDISSON_CONFIG + ">; use one");
        }
        if (redissonConfig.isPresent()) {
            Path path = resolve(redis, REDISSON_CONFIG, home, redissonConfig.get());
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw redis.invalid(REDISSON_CONFIG, "names " + path + ", which is not a readable file");
            }
            return new RedisConnection.RedissonConfigFile(path);
        }
        if (address.isEmpty()) {
            return RedisConnection.DEFAULT;
        }
        try {
            return RedisConnection.Address.parse(address.get());
        } catch (IllegalArgumentException e) {
            // The value is not repeated: a redis:// URI may carry a password.
            throw redis.invalid(ADDRESS, e.getMessage());
        }
    }

    private static @NotNull Pepper pepper(@NotNull ConfigElement root) throws InvalidConfigException {
        String value = root.text(PEPPER).orElseThrow(() -> root.invalid(PEPPER,
                "is required: the key that hashes thing secrets, at least " + Pepper.MIN_BYTES
                        + " bytes, usually ${SHADOWMQ_PEPPER}"));
        try {
            return Pepper.parse(value);
        } catch (IllegalArgumentException e) {
            throw root.invalid(PEPPER, e.getMessage());
        }
    }

    /** A whole number in [min, max], or {@code defaultValue} when the section or the leaf is absent or empty. */
    private static long number(ConfigElement section, @NotNull String name, long defaultValue, long min, long max)
            throws InvalidConfigException {
        Optional<String> text = section == null ? Optional.empty() : section.text(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String value = text.get().replace("_", "");
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw section.invalid(name, "must be a whole number from " + min + " to " + max + ", is '"
                + text.get() + "'");
    }

    /** A path as written, relative to the extension folder unless absolute. */
    private static @NotNull Path resolve(@NotNull ConfigElement section, @NotNull String name, @NotNull Path home,
                                         @NotNull String value) throws InvalidConfigException {
        try {
            return home.resolve(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw section.invalid(name, "is not a valid path: " + e.getMessage());
        }
    }
}
