package io.shadowmq.service;

import io.shadowmq.store.settings.KnownVariables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceConfigLoaderTest {

    private static final Map<String, String> PEPPER = Map.of("SHADOWMQ_PEPPER", "a-pepper-of-16-bytes-or-more");

    @Test
    void withoutFileEverySettingHasItsDefault() {
        ServiceConfig config = ServiceConfigLoader.load(null, PEPPER);

        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.redisAddress()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(config.sseHeartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.sseBufferEvents()).isEqualTo(1000);
        assertThat(config.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.bodyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxConnections()).isEqualTo(10_000);
        assertThat(config.maxConnectionsPerAddress()).isEqualTo(256);
        assertThat(config.sseMaxStreams()).isEqualTo(5_000);
        assertThat(config.sseMaxStreamsPerKey()).isEqualTo(200);
        assertThat(config.apiKeyCacheTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.adminToken()).isNull();
        assertThat(config.modelsDir()).isNull();
        assertThat(config.storeConfig().limits().maxStateBytes()).isEqualTo(32_768);
    }

    @Test
    void theShippedConfigFileLoadsAndMatchesTheDefaults() {
        Path shipped = Path.of("..", "config", "shadow-service.properties");

        ServiceConfig fromFile = ServiceConfigLoader.load(shipped, PEPPER);
        ServiceConfig defaults = ServiceConfigLoader.load(null, PEPPER);

        assertThat(fromFile.toString()).isEqualTo(defaults.toString());
        assertThat(fromFile.storeConfig().toString())
                .isEqualTo(defaults.storeConfig().toString());
    }

    @Test
    void theEnvironmentWinsOverTheFile(@TempDir Path dir) throws IOException {
        Path file = write(dir, "http.port=9000\nsse.heartbeat=5s\nredis.address=redis://file:6379\n");

        ServiceConfig config = ServiceConfigLoader.load(
                file,
                Map.of(
                        "SHADOWMQ_PEPPER",
                        "a-pepper-of-16-bytes-or-more",
                        "SHADOWMQ_HTTP_PORT",
                        "9100",
                        "SHADOWMQ_REDIS",
                        "redis://env:6379",
                        "SHADOWMQ_ADMIN_TOKEN",
                        "an-admin-token-of-enough-length"));

        assertThat(config.httpPort()).isEqualTo(9100);
        assertThat(config.redisAddress()).isEqualTo("redis://env:6379");
        assertThat(config.sseHeartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.adminToken()).isEqualTo("an-admin-token-of-enough-length");
    }

    @Test
    void theClientLimitsAreReadFromTheFile(@TempDir Path dir) throws IOException {
        Path file = write(
                dir,
                "http.headerTimeout=5s\nhttp.bodyTimeout=20s\nhttp.maxConnections=500\n"
                        + "http.maxConnectionsPerAddress=0\nsse.maxStreams=100\nsse.maxStreamsPerKey=7\n");

        ServiceConfig config = ServiceConfigLoader.load(file, PEPPER);

        assertThat(config.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.bodyTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxConnections()).isEqualTo(500);
        assertThat(config.maxConnectionsPerAddress())
                .as("0: no per-address limit")
                .isZero();
        assertThat(config.sseMaxStreams()).isEqualTo(100);
        assertThat(config.sseMaxStreamsPerKey()).isEqualTo(7);
    }

    @Test
    void aStreamCapBelowOneIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path file = write(dir, "sse.maxStreamsPerKey=0\n");

        assertThatThrownBy(() -> ServiceConfigLoader.load(file, PEPPER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sse.maxStreamsPerKey");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path file = write(dir, "http.prot=9000\n");

        assertThatThrownBy(() -> ServiceConfigLoader.load(file, PEPPER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.prot");
    }

    @Test
    void badValuesAreErrorsNamingTheSetting(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ServiceConfigLoader.load(write(dir, "sse.heartbeat=soon\n"), PEPPER))
                .hasMessageContaining("sse.heartbeat");
        assertThatThrownBy(() -> ServiceConfigLoader.load(
                        null,
                        Map.of(
                                "SHADOWMQ_PEPPER",
                                "a-pepper-of-16-bytes-or-more",
                                "SHADOWMQ_AUTH_KEY_CACHE_TTL",
                                "30s")))
                .hasMessageContaining("auth.keyCacheTtl");
        assertThatThrownBy(() -> ServiceConfigLoader.load(
                        null,
                        Map.of("SHADOWMQ_PEPPER", "a-pepper-of-16-bytes-or-more", "SHADOWMQ_ADMIN_TOKEN", "short")))
                .hasMessageContaining("admin token");
    }

    @Test
    void replicaAcksReachTheStoreFromTheFileOrTheEnvironment(@TempDir Path dir) throws IOException {
        Path file = write(dir, "store.replicaAcks=2\n");

        assertThat(ServiceConfigLoader.load(null, PEPPER).storeConfig().replicaAcks())
                .isZero();
        assertThat(ServiceConfigLoader.load(file, PEPPER).storeConfig().replicaAcks())
                .isEqualTo(2);
        assertThat(ServiceConfigLoader.load(
                                file,
                                Map.of("SHADOWMQ_PEPPER", "a-pepper-of-16-bytes-or-more", "SHADOWMQ_REPLICA_ACKS", "1"))
                        .storeConfig()
                        .replicaAcks())
                .isEqualTo(1);
        assertThatThrownBy(() -> ServiceConfigLoader.load(write(dir, "store.replicaAcks=-1\n"), PEPPER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("store.replicaAcks");
    }

    @Test
    void thePepperIsRequired() {
        assertThatThrownBy(() -> ServiceConfigLoader.load(null, Map.of()))
                .hasMessageContaining("store.pepper")
                .hasMessageContaining("SHADOWMQ_PEPPER");
    }

    @Test
    void secretsNeverAppearInToString() {
        ServiceConfig config = ServiceConfigLoader.load(
                null,
                Map.of(
                        "SHADOWMQ_PEPPER",
                        "a-pepper-of-16-bytes-or-more",
                        "SHADOWMQ_ADMIN_TOKEN",
                        "an-admin-token-of-enough-length"));

        assertThat(config.toString()).doesNotContain("a-pepper").doesNotContain("an-admin-token");
    }

    @Test
    void durationsTakeUnits() {
        assertThat(ServiceConfigLoader.duration("k", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ServiceConfigLoader.duration("k", "2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(ServiceConfigLoader.duration("k", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ServiceConfigLoader.duration("k", "1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theStoreSettingsTakeTheExtensionsNamesAndTheOldNamesStillWorkWithAWarning(@TempDir Path dir)
            throws IOException {
        Path models = Files.createDirectory(dir.resolve("models"));
        List<String> warnings = new ArrayList<>();

        ServiceConfig config = ServiceConfigLoader.load(
                write(dir, "models.dir=" + models + "\n"),
                Map.of(
                        "SHADOWMQ_PEPPER",
                        "a-pepper-of-16-bytes-or-more",
                        "SHADOWMQ_REDIS",
                        "redis://old:6379",
                        "SHADOWMQ_MAX_PAYLOAD_BYTES",
                        "1000"),
                warnings::add);

        assertThat(config.redisAddress()).isEqualTo("redis://old:6379");
        assertThat(config.modelsDir()).isEqualTo(models);
        assertThat(config.storeConfig().limits().maxPayloadBytes()).isEqualTo(1000);
        assertThat(warnings)
                .containsExactlyInAnyOrder(
                        "environment variable SHADOWMQ_REDIS is deprecated: rename it SHADOWMQ_REDIS_ADDRESS",
                        "setting models.dir in " + dir.resolve("service.properties") + " is deprecated: rename it "
                                + "thingModels.dir");
    }

    @Test
    void anUnknownVariableIsReportedWithTheLikelyName() {
        List<String> warnings = new ArrayList<>();

        ServiceConfigLoader.load(
                null,
                Map.of("SHADOWMQ_PEPPER", "a-pepper-of-16-bytes-or-more", "SHADOWMQ_HTTP_PROT", "9000"),
                warnings::add);

        assertThat(warnings)
                .containsExactly("unknown environment variable SHADOWMQ_HTTP_PROT, ignored (did you mean "
                        + "SHADOWMQ_HTTP_PORT?)");
    }

    @Test
    void everyVariableOfTheServiceIsKnownToEveryProcess() {
        for (ServiceConfigLoader.Setting setting : ServiceConfigLoader.SETTINGS) {
            assertThat(KnownVariables.OTHERS).as(setting.env()).containsKey(setting.env());
        }
        assertThat(KnownVariables.OTHERS).containsKey(ServiceConfigLoader.ADMIN_TOKEN_ENV);
    }

    private static Path write(Path dir, String content) throws IOException {
        return Files.writeString(dir.resolve("service.properties"), content, StandardCharsets.UTF_8);
    }
}
