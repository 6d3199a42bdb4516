package io.shadowmq.platform.up;

import io.shadowmq.redis.process.RedisServerProcess;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the Redis that {@code ./shadowmq up} started running: a server that dies is reported in one line and started
 * again on the same port and data dir (its append-only file brings back every acknowledged write), after a pause that
 * doubles with each fast failure up to {@link #MAX_BACKOFF}. A server that keeps dying young — {@link #GIVE_UP_AFTER}
 * failures in a row, each within {@link #STABLE_AFTER} of its start, or starts that fail — is given up on:
 * {@link #gaveUp()} completes with the reason, and {@code up} ends with exit 1 for its own supervisor to act.
 *
 * <pre>{@code
 * RedisSupervisor supervisor = new RedisSupervisor(clock, System.out::println);
 * RedisServerProcess redis = RedisServerProcess.builder().dataDir(dir).onUnexpectedExit(supervisor::died).build();
 * supervisor.watch(redis);  // before start(): a death right after it is already supervised
 * redis.start();
 * }</pre>
 */
public final class RedisSupervisor implements AutoCloseable {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** A server that ran this long before dying was healthy: the next failure starts counting from one again. */
    static final Duration STABLE_AFTER = Duration.ofSeconds(30);

    static final int GIVE_UP_AFTER = 5;

    private final Clock clock;
    private final Consumer<String> report;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "shadowmq-redis-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private final CompletableFuture<String> gaveUp = new CompletableFuture<>();
    // Set by watch() before the server starts, then touched only on the restarts thread.
    private volatile RedisServerProcess server;
    private volatile Instant startedAt;
    private int fastFailures;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> pendingRestart;

    public RedisSupervisor(@NotNull Clock clock, @NotNull Consumer<String> report) {
        this.clock = clock;
        this.report = report;
    }

    /** Supervises {@code server}, built with {@link #died} as its unexpected-exit listener; call before it starts. */
    public void watch(@NotNull RedisServerProcess server) {
        this.server = server;
        this.startedAt = clock.instant();
    }

    /** The unexpected-exit listener of the supervised server. */
    public void died(@NotNull RedisServerProcess.UnexpectedExit exit) {
        submit(() -> {
            Duration lived = Duration.between(startedAt, clock.instant());
            fastFailures = lived.compareTo(STABLE_AFTER) < 0 ? fastFailures + 1 : 1;
            retry(exit.describe() + " after " + seconds(lived));
        });
    }

    /** Completes, with a one-line reason, once Redis is given up on. */
    public @NotNull CompletableFuture<String> gaveUp() {
        return gaveUp;
    }

    /** Stops supervising; the server itself is stopped by its owner. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> pending = pendingRestart;
        if (pending != null) {
            pending.cancel(false);
        }
        restarts.shutdownNow();
    }

    private void retry(String what) {
        if (closed) {
            return;
        }
        if (fastFailures >= GIVE_UP_AFTER) {
            String reason = what + "; giving up after " + fastFailures + " failures in a row";
            report.accept("redis: " + reason);
            gaveUp.complete(reason);
            return;
        }
        Duration pause = backoff(fastFailures);
        report.accept("redis: " + what + "; restarting it on the same port and data dir in " + seconds(pause)
                + " (attempt " + fastFailures + " of " + GIVE_UP_AFTER + ")");
        try {
            pendingRestart = restarts.schedule(this::restart, pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // close() came first: the platform is stopping anyway.
        }
    }

    private void restart() {
        if (closed) {
            return;
        }
        try {
            server.start();
            startedAt = clock.instant();
            report.accept("redis: restarted on " + server.uri() + "; clients reconnect by themselves");
        } catch (IOException | RuntimeException e) {
            fastFailures++;
            retry("restart failed: " + LocalPlatform.firstLine(String.valueOf(e.getMessage())));
        }
    }

    /** 200 ms, 400 ms, 800 ms, ... at most {@link #MAX_BACKOFF}. */
    static Duration backoff(int failures) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(Math.max(failures - 1, 0), 16);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    private void submit(Runnable task) {
        try {
            restarts.execute(task);
        } catch (RejectedExecutionException closing) {
            // close() came first: the platform is stopping anyway.
        }
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
