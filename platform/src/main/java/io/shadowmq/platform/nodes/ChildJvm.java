package io.shadowmq.platform.nodes;

import org.jetbrains.annotations.NotNull;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One node of a local platform — a broker, a REST service — in a JVM of its own, started from this JVM's classpath
 * with its own main class. Its output (stdout and stderr) goes to its log file; it is ready when it prints a line
 * starting with its ready prefix ({@code "shadow-service listening on "}) — the endpoint it serves follows. The child ends itself when this JVM goes,
 * even by {@code kill -9} ({@link ParentWatch.exitWhenParentGoes()} watches its stdin, a pipe only this JVM holds), and
 * {@link #close()} stops it by its pid: SIGTERM (its shutdown hook stops it gracefully), SIGKILL after
 * {@link #STOP_TIMEOUT}.
 *
 * <pre>{@code
 * try (ChildJvm broker = ChildJvm.start("broker 1", BrokerNodeMain.class, args, env, "broker listening on ", log, timeout)) {
 *     broker.endpoint();                       // tcp://127.0.0.1:1883
 *     broker.died().thenAccept(reason -> ...); // "broker 1 (pid 4242) exited with code 137; its log: ..."
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Extra JVM options for every node (heap, GC), e.g. {@code SHADOWMQ_NODE_JAVA_OPTS="-Xmx1g"}. */
    public static final String JAVA_OPTS_ENV = "SHADOWMQ_NODE_JAVA_OPTS";

    private static final int LAST_LINES = 5;

    private final String name;
    private final Process process;
    private final String endpoint;
    private final CompletableFuture<String> died = new CompletableFuture<>();
    private volatile boolean stopping;

    private ChildJvm(String name, Process process, String endpoint) {
        this.name = name;
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Starts {@code mainClass} with {@code args} and {@code environment} added to a copy of this JVM's environment
     * without its {@code SHADOWMQ_*} variables (a node is configured by what it is given, not by what the caller's
     * shell happens to hold), and waits until it is ready.
     *
     * @throws IOException if it could not be started, ended before it was ready (the message carries its last log
     *                     lines), or was not ready within {@code startTimeout}; nothing is left running then
     */
    public static @NotNull ChildJvm start(
            @NotNull String name,
            @NotNull Class<?> mainClass,
            @NotNull List<String> args,
            @NotNull Map<String, String> environment,
            @NotNull String readyPrefix,
            @NotNull Path log,
            @NotNull Duration startTimeout)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Dlogback.configurationFile="
                + System.getProperty("logback.configurationFile", "shadowmq-logback.xml"));
        String javaOpts = System.getenv(JAVA_OPTS_ENV);
        if (javaOpts != null && !javaOpts.isBlank()) {
            command.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath(), mainClass.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("SHADOWMQ_"));
        builder.environment().putAll(environment);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = builder.start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Deque<String> lastLines = new ArrayDeque<>();
        Thread copier = new Thread(
                () -> copyOutput(process, log, readyPrefix, ready, lastLines),
                "shadowmq-" + name.replace(' ', '-') + "-output");
        copier.setDaemon(true);
        copier.start();
        String endpoint;
        try {
            endpoint = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop(process);
            throw new IOException(name + " was not ready within " + startTimeout.toSeconds() + " s: "
                    + describe(lastLines) + "; its log: " + log);
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + name);
        } catch (ExecutionException e) {
            stop(process);
            throw new IOException(name + " did not start: " + e.getCause().getMessage());
        }
        ChildJvm child = new ChildJvm(name, process, endpoint);
        process.onExit()
                .thenAccept(ended -> {
                    if (!child.stopping) {
                        child.died.complete(
                                name + " (pid " + ended.pid() + ") " + how(ended.exitValue()) + "; its log: " + log);
                    }
                })
                // Whoever waits for died() must not wait forever because telling them failed.
                .exceptionally(failure -> {
                    child.died.complete(name + " (pid " + process.pid() + ") ended; telling how failed: " + failure
                            + "; its log: " + log);
                    return null;
                });
        return child;
    }

    /** What the node printed after its ready prefix: the endpoint it serves. */
    public @NotNull String endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    public @NotNull String name() {
        return name;
    }

    /** Completes, with one line naming it, its pid, how it ended and its log, if it ends without {@link #close()}. */
    public @NotNull CompletableFuture<String> died() {
        return died;
    }

    /** Asks it to stop (SIGTERM) without waiting, so that several nodes stop side by side; {@link #close()} waits. */
    public void requestStop() {
        stopping = true;
        process.destroy();
    }

    /** Stops it by its pid and waits until it is gone. */
    @Override
    public void close() {
        stopping = true;
        stop(process);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void copyOutput(
            Process process, Path log, String readyPrefix, CompletableFuture<String> ready, Deque<String> lastLines) {
        try (BufferedReader output =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(
                        log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = output.readLine()) != null) {
                file.write(line);
                file.write(System.lineSeparator());
                file.flush();
                if (!ready.isDone()) {
                    if (line.startsWith(readyPrefix)) {
                        ready.complete(line.substring(readyPrefix.length()).trim());
                    } else {
                        synchronized (lastLines) {
                            lastLines.addLast(line);
                            if (lastLines.size() > LAST_LINES) {
                                lastLines.removeFirst();
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            // The pipe broke: the process is gone, which its exit reports.
        }
        if (!ready.isDone()) {
            ready.completeExceptionally(
                    new IOException(how(waitForExit(process)) + " before it was ready: " + describe(lastLines)));
        }
    }

    private static String describe(Deque<String> lastLines) {
        synchronized (lastLines) {
            return lastLines.isEmpty() ? "(no output)" : String.join(" | ", lastLines);
        }
    }

    private static int waitForExit(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String how(int exitCode) {
        return exitCode > 128 && exitCode < 160
                ? "was killed by signal " + (exitCode - 128)
                : "exited with code " + exitCode;
    }

    /** This JVM's classpath with every entry absolute, so a child started elsewhere finds the same jars. */
    static String classpath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> entry.endsWith("*")
                        ? Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath() + File.separator + "*"
                        : Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
