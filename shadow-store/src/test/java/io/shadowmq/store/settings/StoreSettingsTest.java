package io.shadowmq.store.settings;

import io.shadowmq.store.Pepper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreSettingsTest {

    private static final String PEPPER = "a-pepper-of-16-bytes-or-more";

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private StoreSettings fromEnv(Map<String, String> env) {
        return StoreSettings.read(List.of(new EnvSource(env::get, warnings::add)), dir);
    }

    @Test
    void everySettingParsesItsDefault() {
        for (Setting<?> setting : StoreSetting.ALL) {
            if (setting.defaultText() != null) {
                assertThat(setting.parse(setting.defaultText(), dir))
                        .as(setting.name())
                        .isNotNull();
            }
        }
    }

    @Test
    void namesAndVariablesAreUniqueAndPrefixed() {
        Set<String> names = new HashSet<>();
        Set<String> variables = new HashSet<>();
        for (Setting<?> setting : StoreSetting.ALL) {
            assertThat(names.add(setting.name())).as(setting.name()).isTrue();
            assertThat(variables.add(setting.env())).as(setting.env()).isTrue();
            setting.deprecatedEnv()
                    .forEach(old -> assertThat(variables.add(old)).as(old).isTrue());
            assertThat(setting.env()).startsWith("SHADOWMQ_");
            assertThat(KnownVariables.OTHERS).doesNotContainKey(setting.env());
        }
    }

    @Test
    void aBadValueNamesTheSettingAndTheValue() {
        assertThatThrownBy(() -> StoreSetting.FEED_PARTITIONS.parse("0", dir))
                .isInstanceOf(SettingException.class)
                .hasMessage("feed.partitions (env SHADOWMQ_FEED_PARTITIONS) must be a whole number from 1 to 1024, "
                        + "is '0'");
        assertThatThrownBy(() -> fromEnv(Map.of("SHADOWMQ_PEPPER", PEPPER, "SHADOWMQ_STORE_TIMEOUT", "soon")))
                .hasMessageStartingWith("store.timeout (env SHADOWMQ_STORE_TIMEOUT) must be a duration from 1ms to 1m")
                .hasMessageEndingWith("is 'soon'");
        for (Setting<?> setting : StoreSetting.ALL) {
            if (setting.parser() != Parsers.text() && !setting.secret()) {
                assertThatThrownBy(() -> setting.parse("not-a-value", dir))
                        .as(setting.name())
                        .hasMessageStartingWith(setting.name() + " (env " + setting.env() + ")");
            }
        }
    }

    @Test
    void secretsAreNeverRepeated() {
        assertThatThrownBy(() -> fromEnv(Map.of("SHADOWMQ_PEPPER", "short-secret")))
                .hasMessageContaining("store.pepper (env SHADOWMQ_PEPPER)")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> fromEnv(
                        Map.of("SHADOWMQ_PEPPER", PEPPER, "SHADOWMQ_REDIS_ADDRESS", "tcp://user:pw-secret@redis:6379")))
                .hasMessageContaining("redis.address (env SHADOWMQ_REDIS_ADDRESS) must start with redis://")
                .hasMessageNotContaining("pw-secret");
        StoreSettings settings = fromEnv(Map.of(
                "SHADOWMQ_PEPPER",
                PEPPER,
                "SHADOWMQ_REDIS_PASSWORD",
                "pw-secret",
                "SHADOWMQ_REDIS_ADDRESS",
                "redis://u:pw-secret@redis:6379"));
        assertThat(settings.toString()).doesNotContain("pw-secret").doesNotContain(PEPPER);
        assertThat(settings.storeConfig().redisPassword()).isEqualTo("pw-secret");
    }

    @Test
    void onlyThePepperGivesEveryDefault() {
        StoreSettings settings = fromEnv(Map.of("SHADOWMQ_PEPPER", PEPPER));

        assertThat(settings.redisAddress()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(settings.redissonConfig()).isEmpty();
        assertThat(settings.storeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.pepper()).isEqualTo(Pepper.parse(PEPPER));
        assertThat(settings.feedPartitions()).isEqualTo(8);
        assertThat(settings.feedMaxLength()).isEqualTo(100_000);
        assertThat(settings.maxStateBytes()).isEqualTo(32_768);
        assertThat(settings.maxPayloadBytes()).isEqualTo(65_536);
        assertThat(settings.presenceLease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.presenceReapInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.historyMaxPoints()).isEqualTo(10_000);
        assertThat(settings.historyRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.searchMaxScanThings()).isEqualTo(10_000);
        assertThat(settings.storeConfig().history()).isEqualTo(io.shadowmq.store.history.HistoryPolicy.DEFAULT);
        assertThat(settings)
                .isEqualTo(StoreSettings.builder()
                        .set(StoreSetting.PEPPER, Pepper.parse(PEPPER))
                        .build());
        assertThat(warnings).isEmpty();
    }

    @Test
    void barenumbersAreInTheSettingsUnitAndDeprecatedNamesStillWorkWithAWarning() throws Exception {
        Path models = Files.createDirectory(dir.resolve("models"));
        StoreSettings settings = fromEnv(Map.of(
                "SHADOWMQ_PEPPER",
                PEPPER,
                "SHADOWMQ_REDIS",
                "redis://old:6379",
                "SHADOWMQ_STORE_TIMEOUT_MS",
                "900",
                "SHADOWMQ_PRESENCE_LEASE_SECONDS",
                "30",
                "SHADOWMQ_MODELS_DIR",
                "models"));

        assertThat(settings.redisAddress()).isEqualTo("redis://old:6379");
        assertThat(settings.storeTimeout()).isEqualTo(Duration.ofMillis(900));
        assertThat(settings.presenceLease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.thingModelsDir()).contains(models);
        assertThat(warnings)
                .contains(
                        "environment variable SHADOWMQ_REDIS is deprecated: rename it " + "SHADOWMQ_REDIS_ADDRESS",
                        "environment variable SHADOWMQ_STORE_TIMEOUT_MS is deprecated: rename it "
                                + "SHADOWMQ_STORE_TIMEOUT");
    }

    @Test
    void theEnvironmentWinsOverTheFileAndTheRedisConnectionComesFromOnePlace() throws Exception {
        Path yaml = Files.writeString(dir.resolve("redisson.yaml"), "singleServerConfig: {}\n");
        Properties file = new Properties();
        file.setProperty("redis.address", "redis://file:6379");
        file.setProperty("feed.partitions", "4");
        file.setProperty("store.pepper", PEPPER);
        List<SettingSource> sources = List.of(
                new EnvSource(
                        Map.of("SHADOWMQ_REDISSON_CONFIG", "redisson.yaml", "SHADOWMQ_FEED_PARTITIONS", "16")::get,
                        warnings::add),
                new PropertiesSource(file, dir.resolve("x.properties"), warnings::add));

        StoreSettings settings = StoreSettings.read(sources, dir);

        assertThat(settings.redissonConfig()).contains(yaml);
        assertThat(settings.redisAddress()).isNull();
        assertThat(settings.feedPartitions()).isEqualTo(16);
        assertThat(settings.pepper()).isEqualTo(Pepper.parse(PEPPER));
        assertThatThrownBy(() -> fromEnv(Map.of(
                        "SHADOWMQ_PEPPER",
                        PEPPER,
                        "SHADOWMQ_REDISSON_CONFIG",
                        "redisson.yaml",
                        "SHADOWMQ_REDIS_ADDRESS",
                        "redis://x:1")))
                .hasMessageContaining("redis.redissonConfig (env SHADOWMQ_REDISSON_CONFIG) is set together with "
                        + "redis.address (env SHADOWMQ_REDIS_ADDRESS); set one");
    }

    @Test
    void missingPepperAndLeaseRenewedTooRarelyAreNamed() {
        assertThatThrownBy(() -> fromEnv(Map.of()))
                .hasMessageStartingWith("store.pepper (env SHADOWMQ_PEPPER) is required");
        assertThatThrownBy(() -> fromEnv(Map.of("SHADOWMQ_PEPPER", PEPPER, "SHADOWMQ_PRESENCE_LEASE_RENEW", "15")))
                .hasMessage(
                        "presence.leaseRenew (env SHADOWMQ_PRESENCE_LEASE_RENEW) (15s) must be less than "
                                + "presence.lease (env SHADOWMQ_PRESENCE_LEASE) (15s): the lease would expire between renewals");
    }

    @Test
    void valuesSetInCodeAreCheckedByTheSameParsers() {
        assertThatThrownBy(
                        () -> StoreSettings.builder().set(StoreSetting.PRESENCE_REAP_INTERVAL, Duration.ofMillis(500)))
                .hasMessageStartingWith("presence.reapInterval (env SHADOWMQ_PRESENCE_REAP_INTERVAL) must be a "
                        + "duration from 1s to 1h");
        assertThatThrownBy(() -> StoreSettings.builder().set(StoreSetting.FEED_PARTITIONS, 2000))
                .hasMessageStartingWith("feed.partitions (env SHADOWMQ_FEED_PARTITIONS) must be a whole number from "
                        + "1 to 1024, is '2000'");
        assertThatThrownBy(() -> StoreSettings.builder().build())
                .hasMessageStartingWith("store.pepper is required (env SHADOWMQ_PEPPER)");
    }

    @Test
    void theDeployDocShowsEverySetting() throws Exception {
        Path doc = Path.of("..", "docs", "deploy.md");
        String text = Files.readString(doc);
        for (Setting<?> setting : StoreSetting.ALL) {
            assertThat(text).as(setting.name()).contains("| `" + setting.name() + "` | `" + setting.env() + "` |");
        }
    }
}
