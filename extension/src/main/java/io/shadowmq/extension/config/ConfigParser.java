package io.shadowmq.extension.config;

import io.shadowmq.store.settings.KnownVariables;
import io.shadowmq.store.settings.Parsers;
import io.shadowmq.store.settings.Setting;
import io.shadowmq.store.settings.SettingSource;
import io.shadowmq.store.settings.StoreSetting;
import io.shadowmq.store.settings.StoreSettings;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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
 * The settings shared with the REST service are read through their table ({@link StoreSetting}, at each one's
 * {@link Setting#xmlPath()}) by the same {@link StoreSettings#read} as the service's, so both parse, default and
 * check them alike; the extension's own (rate limit, authentication) are read here. An unknown {@code SHADOWMQ_*}
 * variable of the environment is reported as a warning. The shipped {@code conf/config.xml} documents every element.
 */
public final class ConfigParser {

    /** Where the file lives, relative to the extension folder. */
    public static final Path CONFIG_FILE = Path.of("conf", "config.xml");

    private static final Logger log = LoggerFactory.getLogger(ConfigParser.class);

    private static final String ROOT = "shadowmq";
    private static final String REDIS = "redis";
    private static final String SHADOW = "shadow";
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
    private static final String FEED = "feed";

    /** The extension's own leaves by section ("" for leaves of the root); the store settings' come from their table. */
    private static final Map<String, Set<String>> OWN_LEAVES = Map.of(
            "",
            Set.of(),
            REDIS,
            Set.of(),
            SHADOW,
            Set.of(UPDATES_PER_SECOND, UPDATE_BURST),
            AUTHENTICATION,
            Set.of(
                    FAILURE_LIMIT,
                    SOURCE_FAILURE_LIMIT,
                    FAILURE_WINDOW_SECONDS,
                    BLOCK_SECONDS,
                    CACHE_TTL_SECONDS,
                    CACHE_SIZE,
                    CONCURRENT_CHECKS,
                    CONNECT_WAIT_SECONDS),
            PRESENCE,
            Set.of(),
            FEED,
            Set.of());

    private static final int ONE_DAY_SECONDS = 86_400;

    private final @NotNull EnvSubstitution env;
    private final @NotNull Consumer<String> warnings;

    /** Warnings (unknown {@code SHADOWMQ_*} variables, deprecated names) go to the log. */
    public ConfigParser(@NotNull EnvSubstitution env) {
        this(env, log::warn);
    }

    /**
     * @param warnings receives one line per unknown {@code SHADOWMQ_*} variable of {@link EnvSubstitution#variables()}
     */
    public ConfigParser(@NotNull EnvSubstitution env, @NotNull Consumer<String> warnings) {
        this.env = Objects.requireNonNull(env, "env");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * @param extensionHome the extension's folder, as HiveMQ reports it
     * @throws InvalidConfigException with a one-line reason naming the file and the element or variable
     */
    public @NotNull ExtensionConfig parse(@NotNull Path extensionHome) throws InvalidConfigException {
        KnownVariables.unknown(env.variables()).forEach(warnings);
        Path home = extensionHome.toAbsolutePath().normalize();
        Path file = home.resolve(CONFIG_FILE);
        Map<String, Set<String>> allowed = allowedLeaves();
        ConfigElement root =
                ConfigElement.root(read(file).getDocumentElement(), ROOT, rootChildren(allowed), file, env);
        Map<String, ConfigElement> sections = new HashMap<>();
        sections.put("", root);
        for (Map.Entry<String, Set<String>> section : allowed.entrySet()) {
            if (!section.getKey().isEmpty()) {
                root.section(section.getKey(), section.getValue())
                        .ifPresent(element -> sections.put(section.getKey(), element));
            }
        }

        StoreSettings store;
        try {
            store = StoreSettings.read(List.of(new XmlSource(sections)), home);
        } catch (XmlProblem e) {
            throw e.getCause();
        }

        ConfigElement shadow = sections.get(SHADOW);
        int perSecond = (int) number(shadow, UPDATES_PER_SECOND, RateLimit.DEFAULT.updatesPerSecond(), 1, 100_000);
        int burst = (int) number(shadow, UPDATE_BURST, RateLimit.DEFAULT.burst(), 1, 1_000_000);
        if (burst < perSecond) {
            throw shadow.invalid(
                    UPDATE_BURST, "(" + burst + ") must be at least <" + UPDATES_PER_SECOND + "> (" + perSecond + ")");
        }

        ConfigElement auth = sections.get(AUTHENTICATION);
        AuthFailureLimit failureLimit = new AuthFailureLimit(
                (int) number(auth, FAILURE_LIMIT, AuthFailureLimit.DEFAULT.maxFailuresPerThing(), 1, 1_000_000),
                (int) number(auth, SOURCE_FAILURE_LIMIT, AuthFailureLimit.DEFAULT.maxFailuresPerSource(), 1, 1_000_000),
                Duration.ofSeconds(number(
                        auth,
                        FAILURE_WINDOW_SECONDS,
                        AuthFailureLimit.DEFAULT.window().toSeconds(),
                        1,
                        ONE_DAY_SECONDS)),
                Duration.ofSeconds(number(
                        auth, BLOCK_SECONDS, AuthFailureLimit.DEFAULT.blockFor().toSeconds(), 1, ONE_DAY_SECONDS)));
        CredentialCache cache = new CredentialCache(
                Duration.ofSeconds(number(
                        auth, CACHE_TTL_SECONDS, CredentialCache.DEFAULT.ttl().toSeconds(), 0, ONE_DAY_SECONDS)),
                number(auth, CACHE_SIZE, CredentialCache.DEFAULT.maxSize(), 0, 100_000_000));

        ConnectQueue connectQueue = new ConnectQueue(
                (int) number(auth, CONCURRENT_CHECKS, ConnectQueue.DEFAULT.concurrentChecks(), 1, 100_000),
                Duration.ofSeconds(number(
                        auth,
                        CONNECT_WAIT_SECONDS,
                        ConnectQueue.DEFAULT.maxWait().toSeconds(),
                        0,
                        600)));

        return new ExtensionConfig(store, new RateLimit(perSecond, burst), failureLimit, cache, connectQueue);
    }

    /** Every leaf each section may hold: the extension's own and the store settings' ({@link Setting#xmlPath()}). */
    private static Map<String, Set<String>> allowedLeaves() {
        Map<String, Set<String>> allowed = new HashMap<>();
        OWN_LEAVES.forEach((section, leaves) -> allowed.put(section, new HashSet<>(leaves)));
        for (Setting<?> setting : StoreSetting.ALL) {
            if (setting.xmlPath() != null) {
                String[] path = xmlPath(setting);
                allowed.computeIfAbsent(path[0], section -> new HashSet<>()).add(path[1]);
            }
        }
        return allowed;
    }

    private static Set<String> rootChildren(Map<String, Set<String>> allowed) {
        Set<String> children = new HashSet<>(allowed.get(""));
        allowed.keySet().stream().filter(section -> !section.isEmpty()).forEach(children::add);
        return children;
    }

    /** {@code {"redis", "address"}} for {@code redis/address}, {@code {"", "pepper"}} for {@code pepper}. */
    private static String[] xmlPath(Setting<?> setting) {
        String path = Objects.requireNonNull(setting.xmlPath());
        int slash = path.indexOf('/');
        return slash < 0 ? new String[] {"", path} : new String[] {path.substring(0, slash), path.substring(slash + 1)};
    }

    /** The store settings as {@code config.xml} writes them, each at its {@link Setting#xmlPath()}. */
    private static final class XmlSource implements SettingSource {

        private final Map<String, ConfigElement> sections;

        XmlSource(Map<String, ConfigElement> sections) {
            this.sections = sections;
        }

        @Override
        public @Nullable String text(@NotNull Setting<?> setting) {
            if (setting.xmlPath() == null) {
                return null;
            }
            String[] path = xmlPath(setting);
            ConfigElement section = sections.get(path[0]);
            try {
                return section == null ? null : section.text(path[1]).orElse(null);
            } catch (InvalidConfigException e) {
                throw new XmlProblem(e);
            }
        }

        @Override
        public @NotNull String nameOf(@NotNull Setting<?> setting) {
            String[] path = xmlPath(setting);
            return "<" + ROOT + ">" + (path[0].isEmpty() ? "" : "/<" + path[0] + ">") + "/<" + path[1] + ">";
        }

        @Override
        public @NotNull RuntimeException invalid(@NotNull Setting<?> setting, @NotNull String problem) {
            String[] path = xmlPath(setting);
            ConfigElement section = sections.get(path[0]);
            if (section == null) {
                return new XmlProblem(new InvalidConfigException(nameOf(setting) + " " + problem));
            }
            return new XmlProblem(section.invalid(path[1], problem));
        }
    }

    /** Carries an {@link InvalidConfigException} through {@link StoreSettings#read}. */
    private static final class XmlProblem extends RuntimeException {
        XmlProblem(InvalidConfigException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        @Override
        public synchronized InvalidConfigException getCause() {
            return (InvalidConfigException) super.getCause();
        }
    }

    private static @NotNull Document read(@NotNull Path file) throws InvalidConfigException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("configuration file " + file + " is missing");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return SecureXml.newDocumentBuilder().parse(in, file.toUri().toString());
        } catch (SAXParseException e) {
            throw new InvalidConfigException(
                    "cannot parse " + file + ": line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": "
                            + e.getMessage(),
                    e);
        } catch (SAXException | IOException e) {
            throw new InvalidConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A whole number in [min, max], or {@code defaultValue} when the section or the leaf is absent or empty. */
    private static long number(ConfigElement section, @NotNull String name, long defaultValue, long min, long max)
            throws InvalidConfigException {
        Optional<String> text = section == null ? Optional.empty() : section.text(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return Parsers.longInteger(min, max).parse(text.get(), Path.of("."));
        } catch (IllegalArgumentException e) {
            throw section.invalid(name, e.getMessage());
        }
    }
}
