package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} child process, for tests and for {@code ./shadowmq up}. The binary comes from
 * {@link RedisExecutable} unless given; everything is passed on the command line, no config file. The server's
 * output goes to the slf4j logger {@code io.shadowmq.redis.process.RedisServerProcess.output} at debug.
 *
 * <p>Without a data dir the server keeps nothing on disk. With one it writes an append-only file there
 * ({@code appendfsync everysec}), so data survives {@link #stop()}, {@link #restart()} and even a killed process.
 *
 * <p>The port is fixed at the first {@link #start()}: {@link #restart()} and a later {@code start()} reuse it,
 * which lets failure tests stop Redis mid-operation and bring it back where clients expect it. A server that ends
 * without {@link #stop()} (killed, crashed) is reported to {@link Builder#onUnexpectedExit}, where a supervisor can
 * {@link #start()} it again. Any server still running when the JVM exits is ended by a shutdown hook.
 *
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.builder().dataDir(tempDir).build().start()) {
 *     connectTo(redis.uri());          // redis://127.0.0.1:41234
 *     redis.restart();                 // same port, same data
 * }
 * }</pre>
 */
public final class RedisServerProcess implements AutoCloseable {

    /** Loopback only: a test or dev server should not be reachable from the network. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** How long {@link #start()} waits for the first PONG unless told otherwise. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #stop()} waits after SHUTDOWN before killing the process. */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    /** A picked free port can be taken by someone else before redis binds it; that many tries in all. */
    static final int FREE_PORT_ATTEMPTS = 3;

    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);
    private static final long PING_INTERVAL_MILLIS = 20;
    private static final Duration OUTPUT_DRAIN_TIMEOUT = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(RedisServerProcess.class);

    private final String bind;
    private final @Nullable Path dataDir;
    private final @Nullable Path executable;
    private final @Nullable Path configFile;
    private final List<String> extraArgs;
    private final Duration startupTimeout;
    private final FreePortPicker freePortPicker;
    private final Consumer<UnexpectedExit> onUnexpectedExit;

    // All guarded by this; port and process are volatile so that the getters need no lock.
    private volatile int port;
    private volatile @Nullable Process process;
    private @Nullable RedisOutput output;
    private @Nullable Path scratchDir;

    private RedisServerProcess(@NotNull Builder builder) {
        this.port = builder.port;
        this.bind = builder.bind;
        this.dataDir = builder.dataDir == null ? null : builder.dataDir.toAbsolutePath();
        this.executable = builder.executable;
        this.configFile = builder.configFile == null ? null : builder.configFile.toAbsolutePath();
        this.extraArgs = List.copyOf(builder.extraArgs);
        this.startupTimeout = builder.startupTimeout;
        this.freePortPicker = builder.freePortPicker;
        this.onUnexpectedExit = builder.onUnexpectedExit;
    }

    /**
     * A server that {@link #start()} launched and that ended without {@link #stop()}: killed, crashed, or shut down
     * by someone else.
     *
     * @param pid      the process id it had
     * @param exitCode its exit code; on Unix a process killed by signal n reports 128 + n (137 for {@code kill -9})
     * @param uri      where it listened
     */
    public record UnexpectedExit(
            long pid, int exitCode, @NotNull String uri) {

        /** One line for a log: {@code redis-server pid 4242 on redis://127.0.0.1:6379 was killed by signal 9}. */
        public @NotNull String describe() {
            String how = exitCode > 128 && exitCode < 160
                    ? "was killed by signal " + (exitCode - 128)
                    : "exited with code " + exitCode;
            return "redis-server pid " + pid + " on " + uri + " " + how;
        }
    }

    /** A builder with the defaults: a free port on 127.0.0.1, no persistence, the binary of this machine. */
    /**
     * When the JVM exits, the redis-servers it started and did not stop are ended — but only after
     * {@code orderlyStop} completes (or 30 s passed): shutdown hooks run all at once, and an orderly shutdown hook
     * may still need Redis. Complete it on every way out, or the exit waits the 30 s.
     */
    public static void stopLeftoversAfter(@NotNull CompletableFuture<?> orderlyStop) {
        ChildProcessReaper.reapAfter(orderlyStop);
    }

    public static @NotNull Builder builder() {
        return new Builder();
    }

    /**
     * Launches redis-server and returns once it answers {@code PING} (after loading its data, if any).
     *
     * @return this, so that {@code builder()...build().start()} fits a try-with-resources
     * @throws IOException           if no binary was found, or the server exited early (port taken, bad argument:
     *                               the message names the port and ends with redis' last output lines), or did
     *                               not answer within the startup timeout; no process is left running then
     * @throws IllegalStateException if it is already running
     */
    public synchronized @NotNull RedisServerProcess start() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("redis-server is already running on " + uri());
        }
        stop(); // tidies up after a server that died or was killed, so that start() alone also revives it
        Path binary = executable != null ? executable : RedisExecutable.path();
        if (dataDir != null) {
            Files.createDirectories(dataDir);
        }
        boolean pickPort = port == 0;
        for (int attempt = 1; ; attempt++) {
            int candidate = pickPort ? freePortPicker.pick(bind) : port;
            try {
                launch(binary, candidate);
                port = candidate;
                return this;
            } catch (PortTakenException e) {
                if (!pickPort || attempt == FREE_PORT_ATTEMPTS) {
                    throw e;
                }
                log.debug("Free port {} was taken before redis-server could bind it; picking another", candidate);
            }
        }
    }

    /**
     * Stops the server: {@code SHUTDOWN SAVE} with a data dir, {@code SHUTDOWN NOSAVE} without, then waits up to
     * {@link #SHUTDOWN_TIMEOUT} and kills it if it is still there. Does nothing if it is not running.
     */
    public synchronized void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        process = null;
        try {
            if (!running.isAlive()) {
                log.info("redis-server on {} had already exited with code {}", uri(), running.exitValue());
            } else {
                try {
                    RedisPing.shutdown(host(), port, dataDir != null, SHUTDOWN_TIMEOUT);
                } catch (IOException e) {
                    // SIGTERM makes redis run the same shutdown (saving if configured) on its own.
                    log.warn(
                            "SHUTDOWN over {} failed ({}); sending SIGTERM to redis-server pid {}",
                            uri(),
                            e.getMessage(),
                            running.pid());
                    running.destroy();
                }
                if (!running.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn(
                            "redis-server pid {} on {} did not exit within {} s; killing it",
                            running.pid(),
                            uri(),
                            SHUTDOWN_TIMEOUT.toSeconds());
                    ChildProcessReaper.killForcibly(running);
                    running.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                log.info("redis-server on {} stopped", uri());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ChildProcessReaper.killForcibly(running);
        } finally {
            ChildProcessReaper.forget(running);
            if (output != null) {
                output.awaitEnd(OUTPUT_DRAIN_TIMEOUT);
                output = null;
            }
            deleteScratchDir();
        }
    }

    /**
     * Stops the server (if it runs) and starts it again on the same port with the same data dir. Also brings back
     * a server that died or was killed.
     *
     * @throws IOException as {@link #start()}; the port can have been taken by someone else meanwhile
     */
    public synchronized void restart() throws IOException {
        stop();
        start();
    }

    /**
     * Kills the server with SIGKILL, by its PID, and waits until it is gone: no goodbye, no save, like a crash. It is
     * reported as an unexpected exit; {@link #start()} brings it back on the same port.
     *
     * @throws IllegalStateException if it is not running
     */
    public void kill() {
        long pid = pid();
        ProcessHandle.of(pid).ifPresent(handle -> {
            handle.destroyForcibly();
            handle.onExit().join();
        });
        log.info("killed redis-server pid {} on {}", pid, uri());
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** True while the process started by the last {@link #start()} is alive. */
    public boolean isRunning() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /**
     * The process id of the server the last {@link #start()} launched.
     *
     * @throws IllegalStateException if none was started, or it was stopped
     */
    public long pid() {
        Process running = process;
        if (running == null) {
            throw new IllegalStateException("redis-server is not running");
        }
        return running.pid();
    }

    /**
     * The port the server listens on.
     *
     * @throws IllegalStateException if a free port is to be picked and {@link #start()} has not picked it yet
     */
    public int port() {
        int known = port;
        if (known == 0) {
            throw new IllegalStateException("no port yet: a free port is picked by start()");
        }
        return known;
    }

    /** The address clients connect to: the bind address, or loopback when bound to all interfaces. */
    public @NotNull String host() {
        return switch (bind) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "::0" -> "::1";
            default -> bind;
        };
    }

    /** {@code redis://HOST:PORT}, e.g. {@code redis://127.0.0.1:41234}, IPv6 hosts in brackets. */
    public @NotNull String uri() {
        String host = host();
        return "redis://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public String toString() {
        return "RedisServerProcess[" + (port == 0 ? bind + ":<free port>" : uri())
                + (dataDir == null ? "" : ", dataDir=" + dataDir) + (isRunning() ? ", running" : "") + "]";
    }

    private void launch(@NotNull Path binary, int candidatePort) throws IOException {
        List<String> command = command(binary, candidatePort);
        Process started;
        try {
            started = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            deleteScratchDir();
            throw new IOException("Could not run " + binary + " for port " + candidatePort + ": " + e.getMessage(), e);
        }
        ChildProcessReaper.watch(started);
        RedisOutput startedOutput = RedisOutput.drain(started.getInputStream(), "redis-server:" + candidatePort);
        try {
            awaitReady(started, startedOutput, candidatePort);
        } catch (IOException | RuntimeException e) {
            ChildProcessReaper.killForcibly(started);
            ChildProcessReaper.forget(started);
            deleteScratchDir();
            throw e;
        }
        process = started;
        output = startedOutput;
        started.onExit()
                .thenAccept(ended -> {
                    // stop() forgets the process before ending it, so only an exit nobody asked for is still current
                    // here; and the JVM's exit ends every server on purpose.
                    if (process == ended && !ChildProcessReaper.isReaping()) {
                        onUnexpectedExit.accept(new UnexpectedExit(ended.pid(), ended.exitValue(), uri()));
                    }
                })
                .exceptionally(failure -> {
                    log.error("redis-server pid {}: acting on its exit failed", started.pid(), failure);
                    return null;
                });
        log.info(
                "redis-server pid {} listening on {}:{} ({})",
                started.pid(),
                host(),
                candidatePort,
                dataDir == null ? "no persistence" : "append-only file in " + dataDir);
    }

    private @NotNull List<String> command(@NotNull Path binary, int candidatePort) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if (configFile != null) {
            command.add(configFile.toString()); // redis-server reads a config file only as its first argument
        }
        command.addAll(List.of(
                "--port", String.valueOf(candidatePort),
                "--bind", bind,
                "--protected-mode", "no",
                "--daemonize", "no",
                "--logfile", ""));
        if (dataDir != null) {
            command.addAll(List.of("--dir", dataDir.toString(), "--appendonly", "yes", "--appendfsync", "everysec"));
        } else {
            // Redis loads a dump.rdb from its working directory at startup even with saving off, so a server that
            // should start empty gets a fresh, empty directory of its own.
            scratchDir = Files.createTempDirectory("shadowmq-redis-scratch-");
            // For a server never stopped: JVM exit deletes the (empty) dir after ChildProcessReaper ended redis.
            scratchDir.toFile().deleteOnExit();
            command.addAll(List.of("--dir", scratchDir.toString(), "--save", "", "--appendonly", "no"));
        }
        command.addAll(extraArgs); // last, so that they override ours
        return command;
    }

    private void awaitReady(@NotNull Process started, @NotNull RedisOutput startedOutput, int candidatePort)
            throws IOException {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (true) {
            if (!started.isAlive()) {
                startedOutput.awaitEnd(OUTPUT_DRAIN_TIMEOUT);
                String lastLines = startedOutput.lastLines();
                String message = "redis-server could not start on " + host() + ":" + candidatePort
                        + ": it exited with code " + started.exitValue() + " before answering PING."
                        + " Last output:\n" + lastLines;
                throw lastLines.contains("Address already in use")
                        ? new PortTakenException(message)
                        : new IOException(message);
            }
            if (RedisPing.ping(host(), candidatePort, PING_TIMEOUT) && isOurs(started, candidatePort)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("redis-server pid " + started.pid() + " did not answer PING on " + host()
                        + ":" + candidatePort + " within " + startupTimeout.toMillis() + " ms. Last output:\n"
                        + startedOutput.lastLines());
            }
            try {
                Thread.sleep(PING_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for redis-server on port " + candidatePort);
            }
        }
    }

    /**
     * Whether the server answering on the port is the one we started. If another Redis already holds the port, it
     * answers PING before ours has even tried to bind; ours then exits with "Address already in use", which the
     * next turn of the wait loop reports.
     */
    private boolean isOurs(@NotNull Process started, int candidatePort) {
        try {
            long servingPid = RedisPing.serverPid(host(), candidatePort, PING_TIMEOUT);
            return servingPid == started.pid() || started.descendants().anyMatch(child -> child.pid() == servingPid);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private void deleteScratchDir() {
        Path dir = scratchDir;
        if (dir == null) {
            return;
        }
        scratchDir = null;
        deleteRecursively(dir);
    }

    /** Deletes {@code dir} and everything in it; a failure is only logged at debug (it is scratch space). */
    static void deleteRecursively(@NotNull Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.debug("Could not delete {}: {}", dir, e.getMessage());
        }
    }

    static int pickFreePort(@NotNull String bind) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bind))) {
            return socket.getLocalPort();
        }
    }

    /** Picks a port nobody listens on right now; replaceable so tests can make the first pick lose a race. */
    @FunctionalInterface
    interface FreePortPicker {
        int pick(@NotNull String bind) throws IOException;
    }

    /** The server exited because its port was already in use. */
    private static final class PortTakenException extends IOException {
        PortTakenException(@NotNull String message) {
            super(message);
        }
    }

    /**
     * Settings for a {@link RedisServerProcess}; every one is optional.
     *
     * <pre>{@code RedisServerProcess redis = RedisServerProcess.builder().port(6379).dataDir(Path.of("data/redis")).build();}</pre>
     */
    public static final class Builder {
        private int port = 0;
        private String bind = DEFAULT_BIND;
        private @Nullable Path dataDir;
        private @Nullable Path executable;
        private @Nullable Path configFile;
        private final List<String> extraArgs = new ArrayList<>();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private FreePortPicker freePortPicker = RedisServerProcess::pickFreePort;
        private Consumer<UnexpectedExit> onUnexpectedExit = exit -> log.warn("{}", exit.describe());

        private Builder() {}

        /** The TCP port; 0 (the default) picks a free one at the first start. */
        public @NotNull Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The one address to listen on, default {@value RedisServerProcess#DEFAULT_BIND}. */
        public @NotNull Builder bind(@NotNull String bind) {
            if (bind.isBlank() || bind.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("bind must be one address, was '" + bind + "'");
            }
            this.bind = bind;
            return this;
        }

        /** Where to keep data (created if missing); null (the default) keeps nothing on disk. */
        public @NotNull Builder dataDir(@Nullable Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The redis-server binary to run; null (the default) asks {@link RedisExecutable#path()}. */
        public @NotNull Builder executable(@Nullable Path executable) {
            this.executable = executable;
            return this;
        }

        /**
         * A configuration file redis-server reads before its command-line arguments (which override it); null (the
         * default) for none. A Sentinel needs one it can rewrite: {@code sentinel monitor ...} and
         * {@code extraArgs("--sentinel")}.
         */
        public @NotNull Builder configFile(@Nullable Path configFile) {
            this.configFile = configFile;
            return this;
        }

        /**
         * More redis-server arguments, e.g. {@code "--maxmemory", "64mb"}; they come last, so they override ours.
         * Arguments that make {@code PING} fail without auth ({@code --requirepass}) keep {@link #start()} from
         * seeing the server ready.
         */
        public @NotNull Builder extraArgs(@NotNull String... args) {
            for (String arg : args) {
                extraArgs.add(Objects.requireNonNull(arg, "extraArgs must not contain null"));
            }
            return this;
        }

        /** How long {@link #start()} waits for the first {@code PONG}; default 10 s. */
        public @NotNull Builder startupTimeout(@NotNull Duration startupTimeout) {
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * Told, on a thread of its own, when a started server ends without {@link #stop()} (default: a warning in the
         * log). A supervisor restarts it from here: {@link #start()} brings it back on the same port and data dir.
         */
        public @NotNull Builder onUnexpectedExit(@NotNull Consumer<UnexpectedExit> listener) {
            this.onUnexpectedExit = Objects.requireNonNull(listener, "listener");
            return this;
        }

        @NotNull
        Builder freePortPicker(@NotNull FreePortPicker freePortPicker) {
            this.freePortPicker = freePortPicker;
            return this;
        }

        /** A server with these settings, not started yet. */
        public @NotNull RedisServerProcess build() {
            return new RedisServerProcess(this);
        }
    }
}
