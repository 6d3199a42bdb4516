package io.shadowmq.platform;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's {@code ./shadowmq} rebuilds when a source is newer than the jars it would run, and only then. The
 * script runs for real, copied into a checkout-shaped folder whose {@code mvnw} and {@code java} are stand-ins that
 * note their calls: what is tested is the staleness check and its one line, not Maven.
 */
class LauncherRebuildTest {

    private static final Path SCRIPT =
            Path.of("..", "shadowmq").toAbsolutePath().normalize();
    private static final Instant BUILT = Instant.now().minusSeconds(3600);
    private static final String PLATFORM_BUILD = "mvnw -q -B package -DskipTests -DskipChecks";

    @TempDir
    Path checkout;

    private Path calls;

    @BeforeEach
    void checkoutBuiltAnHourAgo() throws IOException {
        calls = checkout.resolve("calls.log");
        Files.copy(SCRIPT, checkout.resolve("shadowmq"));
        executable(checkout.resolve("mvnw"), "#!/usr/bin/env bash\necho \"mvnw $*\" >> calls.log\n");
        executable(checkout.resolve("bin/java"), """
                #!/usr/bin/env bash
                if [ "$1" = "-XshowSettings:properties" ]; then echo '    java.specification.version = 17' >&2; exit 0; fi
                echo "java ${*: -1}" >> calls.log
                """);
        for (String file : List.of(
                "pom.xml",
                "platform/pom.xml",
                "platform/src/main/java/Cli.java",
                "shadow-store/src/main/java/Store.java",
                "platform/target/platform-0.1.0.jar",
                "extension/target/shadowmq-extension/hivemq-extension.xml",
                "bench/src/main/java/Bench.java",
                "bench/target/bench-0.1.0.jar")) {
            write(checkout.resolve(file), BUILT.minusSeconds(60));
        }
        Files.createDirectories(checkout.resolve("platform/target/lib"));
        Files.createDirectories(checkout.resolve("bench/target/lib"));
        // Folders too: one changes when a file in it is added or removed, and that is an edit as well.
        try (Stream<Path> folders = Files.walk(checkout)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                Files.setLastModifiedTime(folder, FileTime.from(BUILT.minusSeconds(60)));
            }
        }
        Files.setLastModifiedTime(checkout.resolve("platform/target/platform-0.1.0.jar"), FileTime.from(BUILT));
        Files.setLastModifiedTime(checkout.resolve("bench/target/bench-0.1.0.jar"), FileTime.from(BUILT));
    }

    @Test
    void nothingNewerThanTheJarRunsItWithoutBuilding() throws Exception {
        assertRanWithoutBuilding(shadowmq("status"), "java status");
    }

    @Test
    void anEditedSourceIsRebuiltOnceWithOneLineSayingSo() throws Exception {
        write(checkout.resolve("shadow-store/src/main/java/Store.java"), BUILT.plusSeconds(60));

        assertRebuilt(shadowmq("status"), "shadow-store/src/main/java/Store.java", PLATFORM_BUILD, "java status");
        // The rebuild left its stamp: the same source is not newer than the new build, so no second build.
        assertRanWithoutBuilding(shadowmq("status"), "java status");
    }

    @Test
    void anEditedPomIsASourceToo() throws Exception {
        write(checkout.resolve("platform/pom.xml"), BUILT.plusSeconds(60));

        assertRebuilt(shadowmq("status"), "platform/pom.xml", PLATFORM_BUILD, "java status");
    }

    @Test
    void aRemovedSourceCountsAsAnEdit() throws Exception {
        Files.delete(checkout.resolve("platform/src/main/java/Cli.java"));

        assertRebuilt(shadowmq("status"), "platform/src/main/java", PLATFORM_BUILD, "java status");
    }

    @Test
    void theBenchmarkRebuildsItsOwnModuleWhenStale() throws Exception {
        write(checkout.resolve("bench/src/main/java/Bench.java"), BUILT.plusSeconds(60));

        assertRebuilt(
                shadowmq("bench", "--quick"),
                "bench/src/main/java/Bench.java",
                "mvnw -q -B package -DskipTests -DskipChecks -pl bench -am",
                "java --quick");
    }

    /** One line on stderr naming the changed source, then the build, then the program. */
    private static void assertRebuilt(Run run, String changed, String build, String ran) {
        assertThat(run.stderr())
                .singleElement()
                .asString()
                .startsWith("shadowmq: " + changed)
                .contains("rebuilding");
        assertThat(run.calls()).containsExactly(build, ran);
    }

    private static void assertRanWithoutBuilding(Run run, String ran) {
        assertThat(run.stderr()).isEmpty();
        assertThat(run.calls()).containsExactly(ran);
    }

    private record Run(List<String> stderr, List<String> calls) {}

    private Run shadowmq(String... args) throws Exception {
        Files.deleteIfExists(calls);
        List<String> command =
                new ArrayList<>(List.of("bash", checkout.resolve("shadowmq").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(checkout.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PATH", checkout.resolve("bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(stderr).isZero();
        return new Run(stderr.lines().toList(), Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }

    private static void write(Path file, Instant modified) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "");
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private static void executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
