package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends every redis-server this JVM started and did not stop, when the JVM exits: a test run that forgets
 * {@code close()}, fails half-way or is interrupted with Ctrl-C must not leave servers holding ports behind.
 * (Nothing can help when the JVM itself is killed with SIGKILL.)
 *
 * <pre>{@code ChildProcessReaper.watch(process); ... ChildProcessReaper.forget(process);}</pre>
 */
final class ChildProcessReaper {

    /** How long the exiting JVM waits for redis to flush its append-only file after SIGTERM. */
    private static final long GRACE_MILLIS = 2_000;

    /** How long the exiting JVM waits for an orderly stop (see {@link #reapAfter}) before it ends what is left. */
    private static final long ORDERLY_STOP_SECONDS = 30;

    private static final Set<Process> running = ConcurrentHashMap.newKeySet();
    private static final Set<CompletableFuture<?>> orderlyStops = ConcurrentHashMap.newKeySet();
    private static volatile boolean reaping;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcessReaper::reapAll, "redis-server-reaper"));
    }

    private ChildProcessReaper() {}

    static void watch(@NotNull Process process) {
        running.add(process);
    }

    static void forget(@NotNull Process process) {
        running.remove(process);
    }

    /**
     * At exit, first waits (up to {@value #ORDERLY_STOP_SECONDS} s) for {@code orderlyStop}: JVM shutdown hooks run
     * all at once, so without this the servers would be ended while an orderly shutdown hook still needs them (a broker
     * marking its things disconnected in Redis, say). The caller must complete it on every way out.
     */
    static void reapAfter(@NotNull CompletableFuture<?> orderlyStop) {
        orderlyStops.add(orderlyStop);
    }

    /** True once the JVM is exiting and the servers are being ended: their exits are expected, not deaths. */
    static boolean isReaping() {
        return reaping;
    }

    private static void reapAll() {
        reaping = true;
        try {
            CompletableFuture.allOf(orderlyStops.toArray(CompletableFuture[]::new))
                    .get(ORDERLY_STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // An orderly stop that failed or hangs: end the servers anyway, the JVM is going.
        }
        // SIGTERM first: redis shuts down cleanly on it, so a persistent server loses nothing.
        running.forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        for (Process process : running) {
            try {
                process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (process.isAlive()) {
                killForcibly(process);
            }
        }
    }

    /** SIGKILL the process and whatever it started (a wrapper script named by SHADOWMQ_REDIS_SERVER, say). */
    static void killForcibly(@NotNull Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
