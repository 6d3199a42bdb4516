package io.shadowmq.service;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar's command line, run as {@code java -jar shadow-service.jar ...} runs it: its own JVM, its exit code. */
class ShadowServiceMainTest {

    @Test
    void helpPrintsTheUsageAndEverySettingAndExitsZeroWithoutAPepper() throws Exception {
        Result result = run("--help");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout())
                .startsWith("usage: java -jar shadow-service.jar [--config FILE] [--help]")
                .contains(
                        "store.pepper",
                        "SHADOWMQ_PEPPER",
                        "http.port",
                        "SHADOWMQ_HTTP_PORT",
                        ServiceConfigLoader.ADMIN_TOKEN_ENV);
        ServiceConfigLoader.SETTINGS.forEach(
                setting -> assertThat(result.stdout()).contains(setting.env()));
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void theShortFormIsHelpToo() throws Exception {
        Result result = run("-h");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("usage:");
    }

    @Test
    void anUnknownArgumentIsOneLineAndExitTwo() throws Exception {
        Result result = run("--frobnicate");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr().strip())
                .isEqualTo("shadow-service: usage: java -jar shadow-service.jar [--config FILE] [--help]");
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ShadowServiceMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("SHADOWMQ_"));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        return new Result(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
