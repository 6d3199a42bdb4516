package io.shadowmq.platform.cli;

import io.shadowmq.broker.FreePort;
import io.shadowmq.platform.ShadowmqCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./shadowmq up} with a bad setting ends at once with one line and exit 1, before anything starts: no Redis,
 * no broker, not even the data dir.
 */
class UpValidationTest {

    @TempDir
    Path workingDir;

    private final String extension = Path.of("..", "extension", "target", "shadowmq-extension")
            .toAbsolutePath()
            .normalize()
            .toString();

    @Test
    void aTooShortAdminTokenStartsNothing() throws Exception {
        Path dataDir = workingDir.resolve("data");

        CliRun.Result result = CliRun.run(
                ShadowmqCli.class,
                Map.of("SHADOWMQ_ADMIN_TOKEN", "short"),
                workingDir,
                "up",
                "--mqtt-port",
                Integer.toString(FreePort.pick()),
                "--http-port",
                Integer.toString(FreePort.pick()),
                "--data-dir",
                dataDir.toString(),
                "--extension-folder",
                extension);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stdout()).as("no phase started").doesNotContain("[1/4]");
        assertThat(result.errorLines())
                .containsExactly(
                        "shadowmq up: SHADOWMQ_ADMIN_TOKEN: the admin token must have "
                                + "at least 16 characters (or unset it: the platform then makes one and keeps it in the data dir)");
        assertThat(dataDir).doesNotExist();
        assertThat(result.seconds()).as("failed before starting anything").isLessThan(8);
    }

    @Test
    void theScaledOutShapeChecksTheTokenFirstToo() throws Exception {
        Path dataDir = workingDir.resolve("data");

        CliRun.Result result = CliRun.run(
                ShadowmqCli.class,
                Map.of("SHADOWMQ_ADMIN_TOKEN", "has a space in it, long"),
                workingDir,
                "up",
                "--brokers",
                "2",
                "--services",
                "1",
                "--redis-cluster",
                "0",
                "--mqtt-port",
                Integer.toString(FreePort.pick()),
                "--http-port",
                Integer.toString(FreePort.pick()),
                "--data-dir",
                dataDir.toString(),
                "--extension-folder",
                extension);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errorLines())
                .singleElement()
                .asString()
                .startsWith(
                        "shadowmq up: SHADOWMQ_ADMIN_TOKEN: the admin token must be printable ASCII without spaces");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aPortOutOfRangeStartsNothing() throws Exception {
        Path dataDir = workingDir.resolve("data");

        CliRun.Result result = CliRun.run(
                ShadowmqCli.class,
                Map.of(),
                workingDir,
                "up",
                "--mqtt-port",
                "70000",
                "--http-port",
                Integer.toString(FreePort.pick()),
                "--data-dir",
                dataDir.toString(),
                "--extension-folder",
                extension);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errorLines()).containsExactly("shadowmq up: port 70000 is not a port number (1..65535)");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aMissingExtensionStartsNothing() throws Exception {
        Path dataDir = workingDir.resolve("data");
        Path nowhere = workingDir.resolve("no-extension-here");

        CliRun.Result result = CliRun.run(
                ShadowmqCli.class,
                Map.of(),
                workingDir,
                "up",
                "--mqtt-port",
                Integer.toString(FreePort.pick()),
                "--http-port",
                Integer.toString(FreePort.pick()),
                "--data-dir",
                dataDir.toString(),
                "--extension-folder",
                nowhere.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errorLines())
                .containsExactly("shadowmq up: no packaged extension in " + nowhere
                        + ": build it with ./mvnw -q package -DskipTests -pl extension -am");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void anUnwritableDataDirIsOneLine() throws Exception {
        Path file = Files.writeString(workingDir.resolve("a-file"), "not a directory");

        CliRun.Result result = CliRun.run(
                ShadowmqCli.class,
                Map.of(),
                workingDir,
                "up",
                "--mqtt-port",
                Integer.toString(FreePort.pick()),
                "--http-port",
                Integer.toString(FreePort.pick()),
                "--data-dir",
                file.resolve("data").toString(),
                "--extension-folder",
                extension);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errorLines())
                .singleElement()
                .asString()
                .startsWith("shadowmq up: cannot use the data dir " + file.resolve("data"));
    }
}
