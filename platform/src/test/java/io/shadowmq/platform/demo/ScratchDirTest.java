package io.shadowmq.platform.demo;

import io.shadowmq.platform.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's data dir is gone when the demo ends: closed, after a failure, or stopped by a signal (Ctrl-C). */
class ScratchDirTest {

    @TempDir
    Path tmp;

    @Test
    void closingStopsTheOccupantFirstThenDeletesEverything() throws Exception {
        AtomicBoolean dirExistedWhenStopped = new AtomicBoolean();
        Path path;
        try (ScratchDir scratch = ScratchDir.create("scratch-test-")) {
            path = scratch.path();
            Files.createDirectories(path.resolve("redis"));
            Files.writeString(path.resolve("admin-token"), "smq_admin_secret\n");
            Files.writeString(path.resolve("redis").resolve("appendonly.aof"), "*1\r\n");
            scratch.occupiedBy(() -> dirExistedWhenStopped.set(Files.exists(path.resolve("admin-token"))));
        }

        assertThat(dirExistedWhenStopped)
                .as("the platform is stopped before its files go")
                .isTrue();
        assertThat(path).doesNotExist();
    }

    @Test
    void aFailureInsideStillDeletesIt() throws Exception {
        Path[] path = new Path[1];
        try (ScratchDir scratch = ScratchDir.create("scratch-test-")) {
            path[0] = scratch.path();
            Files.writeString(path[0].resolve("pepper"), "p\n");
            throw new IllegalStateException("the platform did not start");
        } catch (IllegalStateException expected) {
            // as the demo's startup failure
        }

        assertThat(path[0]).doesNotExist();
    }

    @Test
    void aSignalToTheJvmDeletesIt() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                ScratchDirHolder.class.getName()));
        Process holder = new ProcessBuilder(command).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        Path path = Path.of(out.readLine());
        assertThat(path.resolve("admin-token")).exists();

        holder.destroy(); // SIGTERM; Ctrl-C (SIGINT) runs the same shutdown hooks

        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(path).doesNotExist();
        try (var left = Files.list(tmp)) {
            assertThat(left).as("nothing left in the temporary directory").isEmpty();
        }
    }

    @Test
    void theDemoRefusingToStartLeavesNoDataDirBehind() throws Exception {
        CliRun.Result result = CliRun.run(
                io.shadowmq.platform.ShadowmqCli.class,
                Map.of(),
                tmp,
                "demo",
                "--extension-folder",
                tmp.resolve("no-extension").toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr()).contains("shadowmq demo: no packaged extension in");
        Matcher dataDir = Pattern.compile("data in (\\S+), deleted at the end").matcher(result.stdout());
        assertThat(dataDir.find()).as(result.stdout()).isTrue();
        assertThat(Path.of(dataDir.group(1))).doesNotExist();
    }
}
