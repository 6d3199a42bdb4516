package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Drains a redis-server's stdout+stderr on a daemon thread: every line goes to the slf4j logger
 * {@code io.shadowmq.redis.process.RedisServerProcess.output} at debug, and the last few are kept for the error
 * message when the server fails to start. Draining matters beyond logging: a child whose pipe fills up blocks.
 *
 * <pre>{@code RedisOutput output = RedisOutput.drain(process.getInputStream(), "redis-server:6379");}</pre>
 */
final class RedisOutput {

    static final int LINES_KEPT = 20;

    private static final Logger outputLog = LoggerFactory.getLogger(RedisServerProcess.class.getName() + ".output");

    private final String label;
    private final Deque<String> lastLines = new ArrayDeque<>(); // guarded by itself
    private final Thread thread;

    private RedisOutput(@NotNull InputStream output, @NotNull String label) {
        this.label = label;
        this.thread = new Thread(() -> pump(output), label + "-output");
        this.thread.setDaemon(true);
    }

    /** Starts draining {@code output}; {@code label} (e.g. {@code redis-server:6379}) prefixes each logged line. */
    static @NotNull RedisOutput drain(@NotNull InputStream output, @NotNull String label) {
        RedisOutput redisOutput = new RedisOutput(output, label);
        redisOutput.thread.start();
        return redisOutput;
    }

    private void pump(@NotNull InputStream output) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                outputLog.debug("[{}] {}", label, line);
                synchronized (lastLines) {
                    if (lastLines.size() == LINES_KEPT) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
            }
        } catch (IOException e) {
            // The pipe closes when the process is killed; nothing is lost that anyone is waiting for.
        }
    }

    /** Waits up to {@code timeout} for the process to close its output, so that {@link #lastLines()} is complete. */
    void awaitEnd(@NotNull Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@value #LINES_KEPT} lines, each indented on its own line, or "(no output)". */
    @NotNull
    String lastLines() {
        synchronized (lastLines) {
            if (lastLines.isEmpty()) {
                return "  (no output)";
            }
            return "  " + String.join("\n  ", lastLines);
        }
    }
}
