package io.shadowmq.platform;

import io.shadowmq.extension.config.ConfigParser;
import io.shadowmq.extension.config.EnvSubstitution;
import io.shadowmq.extension.config.ExtensionConfig;
import io.shadowmq.service.ServiceConfig;
import io.shadowmq.service.ServiceConfigLoader;
import io.shadowmq.store.settings.StoreSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One environment file configures the broker extension (its shipped {@code config.xml}) and the REST service (its
 * shipped properties file) alike: both read it into the same store settings, and both report the same typo.
 */
class OneSettingsVocabularyTest {

    private static final Path SHIPPED_CONFIG_XML =
            Path.of("..", "extension", "src", "hivemq-extension", "conf", "config.xml");
    private static final Path SHIPPED_PROPERTIES = Path.of("..", "config", "shadow-service.properties");

    @TempDir
    Path dir;

    @Test
    void theExtensionAndTheServiceReadOneEnvironmentIntoTheSameStoreSettings() throws Exception {
        Path models = Files.createDirectory(dir.resolve("models"));
        Map<String, String> env = Map.ofEntries(
                Map.entry("SHADOWMQ_PEPPER", "base64:q83vEjRWeJq83vEjRWeJqw=="),
                Map.entry("SHADOWMQ_REDIS_ADDRESS", "redis://redis.internal:6380,redis://redis.internal:6381"),
                Map.entry("SHADOWMQ_REDIS_PASSWORD", "redis-password"),
                Map.entry("SHADOWMQ_STORE_TIMEOUT", "750ms"),
                Map.entry("SHADOWMQ_STORE_NETTY_THREADS", "2"),
                Map.entry("SHADOWMQ_REPLICA_ACKS", "1"),
                Map.entry("SHADOWMQ_FEED_PARTITIONS", "16"),
                Map.entry("SHADOWMQ_FEED_MAX_LENGTH", "5000"),
                Map.entry("SHADOWMQ_MAX_STATE_BYTES", "1000"),
                Map.entry("SHADOWMQ_MAX_UPDATES_IN_FLIGHT", "64"),
                Map.entry("SHADOWMQ_HISTORY_MAX_POINTS", "500"),
                Map.entry("SHADOWMQ_HISTORY_RETENTION", "36h"),
                Map.entry("SHADOWMQ_SEARCH_MAX_SCAN_THINGS", "2500"),
                Map.entry("SHADOWMQ_MAX_PAYLOAD_BYTES", "2000"),
                Map.entry("SHADOWMQ_THING_MODELS_DIR", models.toString()),
                Map.entry("SHADOWMQ_PRESENCE_LEASE", "30s"),
                Map.entry("SHADOWMQ_PRESENCE_LEASE_RENEW", "10s"),
                Map.entry("SHADOWMQ_PRESENCE_REAP_INTERVAL", "3s"),
                Map.entry("SHADOWMQ_HTTP_PORT", "0"));

        ExtensionConfig extension = extension(env, new ArrayList<>());
        ServiceConfig service = ServiceConfigLoader.load(SHIPPED_PROPERTIES, env, line -> {});

        assertThat(extension.store()).isEqualTo(service.store());
        assertThat(service.store().feedPartitions()).isEqualTo(16);
        assertThat(service.store().presenceLease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(extension.storeTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(service.storeConfig().history().retention()).isEqualTo(Duration.ofHours(36));
        assertThat(extension.store().storeConfig().searchMaxScanThings()).isEqualTo(2500);
        assertThat(extension.store().storeConfig().toString())
                .isEqualTo(service.storeConfig().toString());
        // every store setting was set above to something other than its default
        for (var setting : StoreSetting.ALL) {
            if (!setting.equals(StoreSetting.REDISSON_CONFIG)) {
                assertThat(env).as(setting.name()).containsKey(setting.env());
            }
        }
    }

    @Test
    void theDefaultsAgreeAndARedissonFileFromTheEnvironmentReachesBoth() throws Exception {
        Path yaml = Files.writeString(dir.resolve("redisson.yaml"), "singleServerConfig: {}\n");
        Map<String, String> env =
                Map.of("SHADOWMQ_PEPPER", "0123456789abcdef", "SHADOWMQ_REDISSON_CONFIG", yaml.toString());

        ExtensionConfig extension = extension(env, new ArrayList<>());
        ServiceConfig service = ServiceConfigLoader.load(SHIPPED_PROPERTIES, env, line -> {});

        assertThat(extension.store()).isEqualTo(service.store());
        assertThat(service.store().redissonConfig()).contains(yaml);
    }

    @Test
    void bothReportATypoNamingTheLikelyVariable() throws Exception {
        Map<String, String> env = Map.of("SHADOWMQ_PEPPER", "0123456789abcdef", "SHADOWMQ_FEED_PARTITION", "16");
        List<String> extensionWarnings = new ArrayList<>();
        List<String> serviceWarnings = new ArrayList<>();

        extension(env, extensionWarnings);
        ServiceConfigLoader.load(SHIPPED_PROPERTIES, env, serviceWarnings::add);

        String expected = "unknown environment variable SHADOWMQ_FEED_PARTITION, ignored (did you mean "
                + "SHADOWMQ_FEED_PARTITIONS?)";
        assertThat(extensionWarnings).containsExactly(expected);
        assertThat(serviceWarnings).containsExactly(expected);
    }

    private ExtensionConfig extension(Map<String, String> env, List<String> warnings) throws Exception {
        Path home = dir.resolve("extension");
        Files.createDirectories(home.resolve("conf"));
        Files.copy(SHIPPED_CONFIG_XML, home.resolve("conf/config.xml"), StandardCopyOption.REPLACE_EXISTING);
        return new ConfigParser(EnvSubstitution.of(env, warnings::add), warnings::add).parse(home);
    }
}
