package io.shadowmq.extension.config;

import io.shadowmq.store.settings.KnownVariables;
import io.shadowmq.store.settings.Setting;
import io.shadowmq.store.settings.StoreSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.config.Config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The files an operator gets in the extension folder (src/hivemq-extension/) say what the code does: the documented
 * defaults are the real defaults, and every example parses.
 */
class ShippedConfigTest {

    private static final Path FOLDER = Path.of("src/hivemq-extension");
    private static final String PEPPER = "0123456789abcdef";

    @TempDir
    Path home;

    @Test
    void shippedConfigWithOnlyThePepperSetEqualsTheBuiltInDefaults() throws Exception {
        ExtensionConfig shipped = parseAs(FOLDER.resolve("conf/config.xml"), Map.of("SHADOWMQ_PEPPER", PEPPER));
        ExtensionConfig minimal = parseText("<shadowmq><pepper>" + PEPPER + "</pepper></shadowmq>");

        assertThat(shipped).isEqualTo(minimal);
    }

    @Test
    void shippedConfigStopsTheStartWithoutThePepperVariable() {
        assertThatThrownBy(() -> parseAs(FOLDER.resolve("conf/config.xml"), Map.of()))
                .hasMessageStartingWith(
                        "environment variable SHADOWMQ_PEPPER is not set (needed by " + "<shadowmq>/<pepper> in ");
    }

    @Test
    void environmentExampleWithOnlyThePepperSetEqualsTheBuiltInDefaults() throws Exception {
        ExtensionConfig example =
                parseAs(FOLDER.resolve("conf/examples/config-env.xml"), Map.of("SHADOWMQ_PEPPER", PEPPER));

        assertThat(example).isEqualTo(parseText("<shadowmq><pepper>" + PEPPER + "</pepper></shadowmq>"));
    }

    @Test
    void environmentExampleTakesEverySettingFromTheEnvironment() throws Exception {
        ExtensionConfig example = parseAs(
                FOLDER.resolve("conf/examples/config-env.xml"),
                Map.of(
                        "SHADOWMQ_PEPPER", PEPPER,
                        "SHADOWMQ_REDIS_ADDRESS", "rediss://cache:6380",
                        "SHADOWMQ_STORE_TIMEOUT_MS", "900",
                        "SHADOWMQ_UPDATES_PER_SECOND", "7",
                        "SHADOWMQ_UPDATE_BURST", "8",
                        "SHADOWMQ_AUTH_BLOCK_SECONDS", "60",
                        "SHADOWMQ_PRESENCE_LEASE_SECONDS", "30",
                        "SHADOWMQ_PRESENCE_LEASE_RENEW_SECONDS", "10",
                        "SHADOWMQ_PRESENCE_REAP_INTERVAL_SECONDS", "2",
                        "SHADOWMQ_FEED_PARTITIONS", "32"));

        assertThat(example.redis()).hasToString("rediss://cache:6380");
        assertThat(example.presenceLease())
                .isEqualTo(new PresenceLease(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2)));
        assertThat(example.storeTimeout().toMillis()).isEqualTo(900);
        assertThat(example.rateLimit()).isEqualTo(new RateLimit(7, 8));
        assertThat(example.authFailureLimit().blockFor().toSeconds()).isEqualTo(60);
        assertThat(example.feed().partitions()).isEqualTo(32);
    }

    @Test
    void environmentExampleTakesReplicaAcksFromTheVariableTheRestServiceReadsToo() throws Exception {
        ExtensionConfig example = parseAs(
                FOLDER.resolve("conf/examples/config-env.xml"),
                Map.of("SHADOWMQ_PEPPER", PEPPER, "SHADOWMQ_REPLICA_ACKS", "1"));

        assertThat(example.replicaAcks()).isEqualTo(1);
    }

    @Test
    void theShippedConfigReadsEveryStoreSettingFromItsTableVariable() throws Exception {
        String shipped = Files.readString(FOLDER.resolve("conf/config.xml"));
        for (Setting<?> setting : StoreSetting.ALL) {
            String leaf = setting.xmlPath().substring(setting.xmlPath().lastIndexOf('/') + 1);
            assertThat(shipped).as(setting.name()).containsPattern("<" + leaf + ">\\$\\{" + setting.env() + "[:}]");
        }
        ExtensionConfig fromNewNames = parseAs(
                FOLDER.resolve("conf/config.xml"),
                Map.of(
                        "SHADOWMQ_PEPPER",
                        PEPPER,
                        "SHADOWMQ_STORE_TIMEOUT",
                        "900ms",
                        "SHADOWMQ_PRESENCE_LEASE",
                        "30s",
                        "SHADOWMQ_MAX_PAYLOAD_BYTES",
                        "1000",
                        "SHADOWMQ_STORE_NETTY_THREADS",
                        "2"));
        assertThat(fromNewNames.storeTimeout()).isEqualTo(Duration.ofMillis(900));
        assertThat(fromNewNames.presenceLease().ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fromNewNames.maxPayloadBytes()).isEqualTo(1000);
        assertThat(fromNewNames.store().nettyThreads()).isEqualTo(2);
    }

    @Test
    void everyVariableTheShippedFilesReadIsKnownToTheUnknownVariableCheck() throws IOException {
        for (String file : List.of("conf/config.xml", "conf/examples/config-env.xml")) {
            for (String variable : EnvSubstitution.variablesIn(Files.readString(FOLDER.resolve(file)))) {
                if (variable.startsWith(KnownVariables.PREFIX)) {
                    assertThat(KnownVariables.all()).as(file).contains(variable);
                }
            }
        }
    }

    @Test
    void everyRedissonExampleIsAValidRedissonConfiguration() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(FOLDER.resolve("conf/examples"))) {
            examples = files.filter(file -> file.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }

        assertThat(examples)
                .extracting(file -> file.getFileName().toString())
                .contains("redis-sentinel.yaml", "redis-cluster.yaml");
        for (Path example : examples) {
            Config config = Config.fromYAML(example.toFile());
            assertThat(config.isSentinelConfig() || config.isClusterConfig() || config.isSingleConfig())
                    .as(example.toString())
                    .isTrue();
        }
    }

    private ExtensionConfig parseAs(Path source, Map<String, String> env) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.copy(source, home.resolve("conf/config.xml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new ConfigParser(EnvSubstitution.of(env)).parse(home);
    }

    private ExtensionConfig parseText(String xml) throws Exception {
        Path other = Files.createDirectories(home.resolve("minimal/conf"));
        Files.writeString(other.resolve("config.xml"), xml);
        return new ConfigParser(EnvSubstitution.of(Map.of())).parse(other.getParent());
    }
}
