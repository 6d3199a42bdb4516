package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the {@code redis-server} binary to run, trying in this order:
 * <ol>
 *   <li>the environment variable {@value #OVERRIDE_ENV}, if set: it must name an executable file;</li>
 *   <li>{@code redis-server} on {@code PATH};</li>
 *   <li>the binary for this {@code os.name}/{@code os.arch} shipped inside the embedded-redis jar on the classpath,
 *       extracted once to {@code ${java.io.tmpdir}/shadowmq-redis/<name>} and reused by later runs.</li>
 * </ol>
 * The third way is the usual one on developer and CI machines that have only a JDK. It covers Linux (amd64, arm64,
 * 386) and macOS (amd64, arm64); the Linux binaries are linked against glibc and OpenSSL 3.
 *
 * <pre>{@code
 * Path redisServer = RedisExecutable.path();   // e.g. /tmp/shadowmq-redis/redis-server-6.2.6-v5-linux-amd64
 * }</pre>
 */
public final class RedisExecutable {

    /** Environment variable naming a redis-server binary to use instead of any other. */
    public static final String OVERRIDE_ENV = "SHADOWMQ_REDIS_SERVER";

    static final String BINARY_NAME = "redis-server";

    /**
     * "os-arch" to the resource name of the binary inside com.github.codemonstur:embedded-redis 1.4.4. The names
     * carry the Redis version, so upgrading that jar may rename them: RedisExecutableTest checks that every name
     * here is on the classpath.
     */
    static final Map<String, String> EMBEDDED_BINARIES = Map.of(
            "linux-amd64", "redis-server-6.2.6-v5-linux-amd64",
            "linux-arm64", "redis-server-6.2.7-linux-arm64",
            "linux-386", "redis-server-6.2.7-linux-386",
            "darwin-amd64", "redis-server-6.2.6-v5-darwin-amd64",
            "darwin-arm64", "redis-server-6.2.6-v5-darwin-arm64");

    private static final Logger log = LoggerFactory.getLogger(RedisExecutable.class);

    private static @Nullable Path chosen; // guarded by RedisExecutable.class

    private RedisExecutable() {}

    /**
     * The redis-server binary of this machine, found once per JVM (and again only if that file has vanished, say
     * by a tmp cleaner) and logged at info when found.
     *
     * @throws FileNotFoundException if no way worked, or {@value #OVERRIDE_ENV} names no executable file;
     *                               the message says what was tried
     * @throws IOException           if extracting the embedded binary failed
     */
    public static synchronized @NotNull Path path() throws IOException {
        if (chosen == null || !Files.isExecutable(chosen)) {
            Choice choice = locate(
                    System.getenv(), System.getProperty("os.name"), System.getProperty("os.arch"), defaultCacheDir());
            log.info("Using redis-server {} ({})", choice.path(), choice.source());
            chosen = choice.path();
        }
        return chosen;
    }

    /** Where embedded binaries are extracted to: {@code ${java.io.tmpdir}/shadowmq-redis}. */
    static @NotNull Path defaultCacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "shadowmq-redis");
    }

    /** A binary found, and which of the three ways found it (for the log line). */
    record Choice(@NotNull Path path, @NotNull String source) {}

    /**
     * The lookup itself, with everything it reads from the machine passed in so that tests can give it an empty
     * PATH or a foreign platform.
     *
     * @param env      environment variables; {@value #OVERRIDE_ENV} and {@code PATH} are read from it
     * @param cacheDir where an embedded binary is extracted to
     */
    static @NotNull Choice locate(
            @NotNull Map<String, String> env, @NotNull String osName, @NotNull String osArch, @NotNull Path cacheDir)
            throws IOException {
        String override = env.get(OVERRIDE_ENV);
        if (override != null && !override.isBlank()) {
            return new Choice(checkOverride(override), "from environment variable " + OVERRIDE_ENV);
        }

        String pathVariable = env.getOrDefault("PATH", "");
        Optional<Path> onPath = findOnPath(pathVariable);
        if (onPath.isPresent()) {
            return new Choice(onPath.get(), "from PATH");
        }

        Optional<String> embeddedName = embeddedBinaryName(osName, osArch);
        String embeddedTried;
        if (embeddedName.isEmpty()) {
            embeddedTried = "embedded-redis jar has no binary for os.name=" + osName + ", os.arch=" + osArch
                    + " (it has "
                    + String.join(
                            ", ", EMBEDDED_BINARIES.keySet().stream().sorted().toList()) + ")";
        } else {
            URL resource = RedisExecutable.class.getClassLoader().getResource(embeddedName.get());
            if (resource != null) {
                return new Choice(
                        extract(resource, embeddedName.get(), cacheDir), "extracted from the embedded-redis jar");
            }
            embeddedTried = "resource " + embeddedName.get() + " is not on the classpath"
                    + " (is com.github.codemonstur:embedded-redis a dependency?)";
        }

        throw new FileNotFoundException("No redis-server found. Tried: environment variable " + OVERRIDE_ENV
                + ": not set; " + BINARY_NAME + " on PATH (" + pathVariable + "): not found; " + embeddedTried
                + ". Install Redis, or set " + OVERRIDE_ENV + " to a redis-server binary.");
    }

    private static @NotNull Path checkOverride(@NotNull String override) throws FileNotFoundException {
        Path path;
        try {
            path = Path.of(override).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new FileNotFoundException(OVERRIDE_ENV + "=" + override + " is not a valid path: " + e.getMessage());
        }
        if (!Files.isRegularFile(path)) {
            throw new FileNotFoundException(OVERRIDE_ENV + "=" + override + " names no file;"
                    + " point it at a redis-server binary or unset it");
        }
        if (!Files.isExecutable(path)) {
            throw new FileNotFoundException(OVERRIDE_ENV + "=" + override + " is not executable (chmod +x it)");
        }
        return path;
    }

    static @NotNull Optional<Path> findOnPath(@NotNull String pathVariable) {
        for (String dir : pathVariable.split(File.pathSeparator)) {
            // An empty entry means "the current directory" to a shell; never run whatever binary happens to lie
            // in the folder the JVM was started from.
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, BINARY_NAME);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            } catch (InvalidPathException e) {
                // A malformed PATH entry is not our problem to report; the next one may work.
            }
        }
        return Optional.empty();
    }

    /** The resource name of the embedded binary for a JVM's {@code os.name} and {@code os.arch}, if there is one. */
    static @NotNull Optional<String> embeddedBinaryName(@NotNull String osName, @NotNull String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String osKey =
                os.startsWith("linux") ? "linux" : os.startsWith("mac") || os.contains("darwin") ? "darwin" : null;
        String archKey = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            default -> null;
        };
        if (osKey == null || archKey == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(EMBEDDED_BINARIES.get(osKey + "-" + archKey));
    }

    /**
     * Copies the binary out of the jar, unless an earlier run already did (same size). Several JVMs may do this at
     * once (parallel builds, forked test JVMs), so each writes its own temp file and renames it into place: a reader
     * sees either no file or a whole one. Renaming also never writes into a binary another JVM is running, which
     * would fail with "Text file busy".
     */
    static @NotNull Path extract(@NotNull URL resource, @NotNull String name, @NotNull Path cacheDir)
            throws IOException {
        Files.createDirectories(cacheDir);
        Path target = cacheDir.resolve(name);
        URLConnection connection = resource.openConnection();
        // Opened up front and always closed: for some URL kinds, asking the length alone already opens the file.
        try (InputStream in = connection.getInputStream()) {
            long expectedSize = connection.getContentLengthLong();
            if (expectedSize >= 0 && Files.isRegularFile(target) && Files.size(target) == expectedSize) {
                if (!Files.isExecutable(target)) {
                    makeExecutable(target);
                }
                return target;
            }
            Path temp = Files.createTempFile(cacheDir, name + ".", ".part");
            try {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                makeExecutable(temp);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new IOException(
                    "Could not extract " + name + " from the embedded-redis jar to " + target + ": " + e.getMessage(),
                    e);
        }
        return target;
    }

    private static void makeExecutable(@NotNull Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            if (!file.toFile().setExecutable(true, false)) {
                throw new IOException("Could not make " + file + " executable");
            }
        }
    }
}
