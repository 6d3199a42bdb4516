package io.shadowmq.redis.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RedisExecutableTest {

    private static final String OS_NAME = System.getProperty("os.name");
    private static final String OS_ARCH = System.getProperty("os.arch");

    @Test
    void withNothingOnPathTheEmbeddedJarBinaryIsExtractedAndRuns(@TempDir Path cacheDir) throws Exception {
        assumeEmbeddedBinaryForThisPlatform();

        RedisExecutable.Choice choice = RedisExecutable.locate(Map.of("PATH", ""), OS_NAME, OS_ARCH, cacheDir);

        assertThat(choice.source()).contains("embedded-redis jar");
        assertThat(choice.path().getParent()).isEqualTo(cacheDir);
        assertThat(choice.path().getFileName().toString())
                .isEqualTo(RedisExecutable.embeddedBinaryName(OS_NAME, OS_ARCH).orElseThrow());
        assertThat(Files.isExecutable(choice.path())).isTrue();
        assertThat(versionOf(choice.path())).contains("Redis server v=");
        assertThat(cacheDir).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void extractedBinaryIsReusedByTheNextLookup(@TempDir Path cacheDir) throws Exception {
        assumeEmbeddedBinaryForThisPlatform();
        Path first =
                RedisExecutable.locate(Map.of(), OS_NAME, OS_ARCH, cacheDir).path();
        FileTime longAgo = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(first, longAgo);

        Path second =
                RedisExecutable.locate(Map.of(), OS_NAME, OS_ARCH, cacheDir).path();

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second)).isEqualTo(longAgo);
    }

    @Test
    void cachedBinaryOfTheWrongSizeIsReplaced(@TempDir Path cacheDir) throws Exception {
        assumeEmbeddedBinaryForThisPlatform();
        String name = RedisExecutable.embeddedBinaryName(OS_NAME, OS_ARCH).orElseThrow();
        Files.writeString(cacheDir.resolve(name), "half a download");

        Path binary =
                RedisExecutable.locate(Map.of(), OS_NAME, OS_ARCH, cacheDir).path();

        assertThat(Files.size(binary)).isGreaterThan(1_000_000);
        assertThat(versionOf(binary)).contains("Redis server v=");
    }

    @Test
    void redisServerOnPathIsPreferredOverTheEmbeddedJar(@TempDir Path dirs) throws IOException {
        Path notExecutable = Files.createDirectories(dirs.resolve("a"));
        Files.writeString(notExecutable.resolve("redis-server"), "not a program");
        Path bin = Files.createDirectories(dirs.resolve("b"));
        Path onPath = fakeExecutable(bin.resolve("redis-server"));
        String path = String.join(
                java.io.File.pathSeparator,
                "",
                dirs.resolve("missing").toString(),
                notExecutable.toString(),
                bin.toString());

        RedisExecutable.Choice choice =
                RedisExecutable.locate(Map.of("PATH", path), OS_NAME, OS_ARCH, dirs.resolve("cache"));

        assertThat(choice.path()).isEqualTo(onPath);
        assertThat(choice.source()).isEqualTo("from PATH");
        assertThat(dirs.resolve("cache")).doesNotExist();
    }

    @Test
    void overrideVariableWinsOverPath(@TempDir Path dirs) throws IOException {
        Path override = fakeExecutable(dirs.resolve("my-redis"));
        fakeExecutable(dirs.resolve("redis-server"));

        RedisExecutable.Choice choice = RedisExecutable.locate(
                Map.of(RedisExecutable.OVERRIDE_ENV, override.toString(), "PATH", dirs.toString()),
                OS_NAME,
                OS_ARCH,
                dirs.resolve("cache"));

        assertThat(choice.path()).isEqualTo(override);
        assertThat(choice.source()).contains(RedisExecutable.OVERRIDE_ENV);
    }

    @Test
    void overrideNamingNoFileFailsWithoutTryingAnythingElse(@TempDir Path dirs) {
        Path missing = dirs.resolve("no-such-redis");

        assertThatThrownBy(() -> RedisExecutable.locate(
                        Map.of(RedisExecutable.OVERRIDE_ENV, missing.toString()),
                        OS_NAME,
                        OS_ARCH,
                        dirs.resolve("cache")))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining(RedisExecutable.OVERRIDE_ENV + "=" + missing)
                .hasMessageContaining("names no file");
    }

    @Test
    void overrideNamingAFileThatIsNotExecutableFails(@TempDir Path dirs) throws IOException {
        Path plain = Files.writeString(dirs.resolve("redis-server"), "not a program");

        assertThatThrownBy(() -> RedisExecutable.locate(
                        Map.of(RedisExecutable.OVERRIDE_ENV, plain.toString()),
                        OS_NAME,
                        OS_ARCH,
                        dirs.resolve("cache")))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("not executable");
    }

    @Test
    void platformWithoutAnyRedisServerGetsAnErrorNamingEverythingTried(@TempDir Path dirs) {
        assertThatThrownBy(() ->
                        RedisExecutable.locate(Map.of("PATH", "/nowhere"), "Plan 9", "mips", dirs.resolve("cache")))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining(RedisExecutable.OVERRIDE_ENV + ": not set")
                .hasMessageContaining("PATH (/nowhere): not found")
                .hasMessageContaining("os.name=Plan 9, os.arch=mips");
    }

    @Test
    void jvmPlatformNamesMapToTheEmbeddedBinaries() {
        assertThat(RedisExecutable.embeddedBinaryName("Linux", "amd64")).contains("redis-server-6.2.6-v5-linux-amd64");
        assertThat(RedisExecutable.embeddedBinaryName("Linux", "aarch64")).contains("redis-server-6.2.7-linux-arm64");
        assertThat(RedisExecutable.embeddedBinaryName("Mac OS X", "x86_64"))
                .contains("redis-server-6.2.6-v5-darwin-amd64");
        assertThat(RedisExecutable.embeddedBinaryName("Mac OS X", "aarch64"))
                .contains("redis-server-6.2.6-v5-darwin-arm64");
        assertThat(RedisExecutable.embeddedBinaryName("Windows 11", "amd64")).isEmpty();
    }

    @Test
    void everyBinaryNamedInTheTableIsInTheEmbeddedRedisJar() {
        // Fails when an embedded-redis upgrade renames its binaries: update EMBEDDED_BINARIES then.
        assertThat(RedisExecutable.EMBEDDED_BINARIES.values())
                .allSatisfy(name -> assertThat(
                                RedisExecutable.class.getClassLoader().getResource(name))
                        .as(name)
                        .isNotNull());
    }

    private static void assumeEmbeddedBinaryForThisPlatform() {
        assumeTrue(
                RedisExecutable.embeddedBinaryName(OS_NAME, OS_ARCH).isPresent(),
                "embedded-redis ships no binary for " + OS_NAME + "/" + OS_ARCH);
    }

    private static Path fakeExecutable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file.toAbsolutePath();
    }

    private static String versionOf(Path binary) throws Exception {
        Process process = new ProcessBuilder(binary.toString(), "--version")
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS))
                .as("redis-server --version finished")
                .isTrue();
        assertThat(process.exitValue()).isZero();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
