package io.shadowmq.platform.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the platform in a JVM of its own, as {@code ./shadowmq} does, with exactly the given
 * {@code SHADOWMQ_*} environment (the test's own is removed), and returns its exit code and output.
 *
 * <pre>{@code CliRun.Result result = CliRun.run(OperatorCli.class, Map.of("SHADOWMQ_TOKEN", token), "things", "list");}</pre>
 */
public final class CliRun {

    /** What a run printed and how it ended; {@code seconds} is its wall time. */
    public record Result(int exit, String stdout, String stderr, double seconds) {
        /** The lines on stderr, for "exactly one line" assertions. */
        public List<String> errorLines() {
            return stderr.lines().toList();
        }
    }

    private CliRun() {}

    public static Result run(Class<?> main, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return run(main, env, Path.of("."), args);
    }

    public static Result run(Class<?> main, Map<String, String> env, Path workingDir, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SHADOWMQ_"));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<String> stdout = read(process.getInputStream());
        CompletableFuture<String> stderr = read(process.getErrorStream());
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(main.getSimpleName() + " " + String.join(" ", args) + " did not end within 90 s");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(process.exitValue(), stdout.join(), stderr.join(), seconds);
    }

    private static CompletableFuture<String> read(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
