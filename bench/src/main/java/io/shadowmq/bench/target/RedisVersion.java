package io.shadowmq.bench.target;

import io.shadowmq.redis.process.RedisExecutable;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Redis a run used, for the report: two runs, one with the bundled Redis 6.2 and one with a distribution's
 * 7.0, must be told apart in the table.
 */
public final class RedisVersion {

    private static final Pattern VERSION = Pattern.compile("\\bv=(\\S+)");

    private RedisVersion() {}

    /**
     * {@code "Redis 7.0.15 (/usr/bin/redis-server)"}: the binary the bench's targets run — {@code redisServer}, or
     * the one the platform picks when null — and the version it reports for {@code --version}.
     */
    public static @NotNull String describe(@Nullable Path redisServer) {
        Path binary;
        try {
            binary = redisServer != null ? redisServer : RedisExecutable.path();
        } catch (IOException e) {
            return "no redis-server found: " + e.getMessage();
        }
        try {
            Process run = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!run.waitFor(10, TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
            return "Redis " + versionOf(out).orElse("of unknown version (" + out.trim() + ")") + " (" + binary + ")";
        } catch (IOException e) {
            return "Redis of unknown version (" + binary + ": " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Redis of unknown version (" + binary + ")";
        }
    }

    /** The version in {@code redis-server --version}'s output ({@code Redis server v=7.0.15 sha=...}). */
    static @NotNull Optional<String> versionOf(@NotNull String versionOutput) {
        Matcher matcher = VERSION.matcher(versionOutput);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
