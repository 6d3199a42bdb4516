package io.shadowmq.platform.up;

import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Notices when a part of the platform that runs inside this JVM — the broker, the REST service — stops listening:
 * every {@link #INTERVAL} it opens (and at once closes) a TCP connection to each listener, and after
 * {@link #FAILURES_BEFORE_STOPPED} refusals in a row {@link #stopped()} completes with a one-line reason. Half a
 * platform must not go on looking alive: {@code up} then ends with exit 1 and its supervisor restarts it whole.
 *
 * <pre>{@code
 * ListenerWatch watch = ListenerWatch.start(Map.of("the broker", new InetSocketAddress("127.0.0.1", 1883)));
 * watch.stopped().thenAccept(reason -> ...);  // "the broker no longer accepts connections on 127.0.0.1:1883"
 * }</pre>
 */
public final class ListenerWatch implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final int FAILURES_BEFORE_STOPPED = 3;

    private final Map<String, InetSocketAddress> listeners;
    private final Map<String, Integer> failures = new LinkedHashMap<>();
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "shadowmq-listener-watch");
        thread.setDaemon(true);
        return thread;
    });

    private volatile ScheduledFuture<?> probing;

    private ListenerWatch(Map<String, InetSocketAddress> listeners) {
        this.listeners = Map.copyOf(listeners);
    }

    /** Starts watching {@code listeners}, each named for the reason line ("the broker", "the REST service"). */
    public static @NotNull ListenerWatch start(@NotNull Map<String, InetSocketAddress> listeners) {
        ListenerWatch watch = new ListenerWatch(listeners);
        watch.probing = watch.probes.scheduleWithFixedDelay(
                watch::probeAll, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    /** Completes with a one-line reason once a listener has refused connections {@link #FAILURES_BEFORE_STOPPED} times in a row. */
    public @NotNull CompletableFuture<String> stopped() {
        return stopped;
    }

    @Override
    public void close() {
        ScheduledFuture<?> started = probing;
        if (started != null) {
            started.cancel(false);
        }
        probes.shutdownNow();
    }

    private void probeAll() {
        listeners.forEach((name, address) -> {
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) CONNECT_TIMEOUT.toMillis());
                failures.remove(name);
            } catch (IOException refused) {
                int inARow = failures.merge(name, 1, Integer::sum);
                if (inARow >= FAILURES_BEFORE_STOPPED) {
                    stopped.complete(name + " no longer accepts connections on " + address.getHostString() + ":"
                            + address.getPort() + " (" + refused.getMessage() + ")");
                }
            }
        });
    }
}
