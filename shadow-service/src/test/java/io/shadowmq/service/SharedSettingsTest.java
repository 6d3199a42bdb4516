package io.shadowmq.service;

import io.shadowmq.store.platform.SettingsVerdict;
import io.shadowmq.store.platform.SharedSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A REST service whose pepper or feed partition count differs from the running installation's (the service the
 * extension started first, which recorded them in Redis) never serves: every API request is 503 and readiness too,
 * and the jar's main exits with 2 and one line on stderr naming the setting, never printing a pepper.
 */
class SharedSettingsTest {

    private static final String OTHER_PEPPER = "a-pepper-nobody-else-uses-here";

    @RegisterExtension
    static final ServiceExtension running = new ServiceExtension();

    @Test
    void aServiceWithAnotherPepperAnswers503ToEveryRequestAndIsNeverReady() throws Exception {
        assertThat(running.api().get("/api/v1/things").status()).isEqualTo(200);

        try (ShadowService newcomer =
                ShadowService.start(running.config().pepper(OTHER_PEPPER).build())) {
            SettingsVerdict verdict = newcomer.settingsVerdict().get(10, TimeUnit.SECONDS);
            Api api = new Api(newcomer.port(), ServiceExtension.ADMIN_TOKEN);

            assertThat(verdict)
                    .isInstanceOfSatisfying(
                            SettingsVerdict.Disagreed.class,
                            disagreed -> assertThat(disagreed.setting()).isEqualTo(SharedSetting.PEPPER));
            assertThat(api.get("/api/v1/things").status()).isEqualTo(503);
            assertThat(api.send(
                                    "POST",
                                    "/api/v1/things",
                                    "{\"id\":\"car-x\",\"type\":\"car\",\"owner\":\"mallory\"}",
                                    "Content-Type",
                                    "application/json")
                            .status())
                    .isEqualTo(503);
            assertThat(api.get("/health/ready").status()).isEqualTo(503);
        }
        assertThat(running.api().get("/api/v1/things").status()).isEqualTo(200);
    }

    @Test
    void theJarWithAnotherPartitionCountExitsWithTwoAndOneLineNamingTheSetting() throws Exception {
        Process newcomer = start(Map.of(
                "SHADOWMQ_REDIS_ADDRESS",
                running.redis().uri(),
                "SHADOWMQ_PEPPER",
                ServiceExtension.PEPPER,
                "SHADOWMQ_FEED_PARTITIONS",
                "4",
                "SHADOWMQ_HTTP_HOST",
                "127.0.0.1",
                "SHADOWMQ_HTTP_PORT",
                "0",
                "SHADOWMQ_ADMIN_TOKEN",
                ServiceExtension.ADMIN_TOKEN));
        boolean exited = newcomer.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            newcomer.destroyForcibly();
        }
        String stderr = new String(newcomer.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(exited).as("exited; stderr: " + stderr).isTrue();
        assertThat(newcomer.exitValue()).isEqualTo(2);
        assertThat(stderr.lines().filter(line -> !line.isBlank()))
                .containsExactly("shadow-service: feed.partitions "
                        + "(env SHADOWMQ_FEED_PARTITIONS) is 4 on this node but 8 on the running platform (Redis key "
                        + "smq:platform): set 8 on every broker and REST service; to change it, stop them all, delete that key "
                        + "and start them with the new value");
    }

    @Test
    void theStateLimitIsASettingLikeTheBrokersSoBothRefuseTheSameStates() throws Exception {
        try (ShadowService small =
                ShadowService.start(running.config().maxStateBytes(200).build())) {
            small.settingsVerdict().get(10, TimeUnit.SECONDS);
            Api api = new Api(small.port(), ServiceExtension.ADMIN_TOKEN);
            String car = api.provision("car", "car", "alice");
            String path = "/api/v1/things/" + car + "/shadow";

            assertThat(api.send("PATCH", path, "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}")
                            .status())
                    .isEqualTo(200);
            assertThat(api.send(
                                    "PATCH",
                                    path,
                                    "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true,"
                                            + "\"targetTemperature\":21}},\"doors\":{\"frontLeft\":{\"isLocked\":true},\"frontRight\":"
                                            + "{\"isLocked\":true},\"rearLeft\":{\"isLocked\":true},\"rearRight\":{\"isLocked\":true},"
                                            + "\"trunk\":{\"isLocked\":true}}}}}")
                            .status())
                    .isEqualTo(413);
        }
    }

    private static Process start(Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ShadowServiceMain.class.getName()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("SHADOWMQ_"));
        builder.environment().putAll(env);
        return builder.start();
    }
}
