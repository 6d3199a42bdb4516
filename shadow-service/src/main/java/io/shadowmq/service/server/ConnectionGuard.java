package io.shadowmq.service.server;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bounds what one client can hold of the HTTP server: at most {@code maxPerAddress} open connections from one source
 * address (more are closed as soon as they are accepted), and a request head (request line and headers) must arrive
 * within {@code headerTimeout} of its first byte, or the connection is closed. Jetty parses heads without a thread,
 * so a slow head holds only its connection; without the deadline a client sending a byte every few seconds would
 * hold it forever (the idle timeout never fires), and enough of them exhaust the connections.
 *
 * <p>Registered on the connector as a {@link Connection.Listener}; its {@link #requestTracker()} handler marks when a
 * connection is inside a request (heads are complete there; the body and the answer have their own bounds). An idle
 * keep-alive connection, on which no byte of a next request has arrived, is left to the idle timeout.
 *
 * <pre>{@code
 * ConnectionGuard guard = new ConnectionGuard(256, Duration.ofSeconds(10));
 * connector.addBean(guard);
 * server.insertHandler(guard.requestTracker());
 * }</pre>
 */
public final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    /** How often connections are checked for a late head: the deadline is kept to within this. */
    private static final Duration MAX_SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final int maxPerAddress;
    private final Duration headerTimeout;
    private final LongSupplier nanoClock;
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<Connection, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lateHeads = new AtomicLong();
    private ScheduledExecutorService sweeper;
    private ScheduledFuture<?> sweeps;

    /** One open connection: where it comes from and how far its current request head has come. */
    private static final class Tracked {
        final Connection connection;
        final @Nullable InetAddress address;
        volatile boolean inRequest;
        /** Bytes received up to the end of the last request: more than this means a next head has begun. */
        volatile long bytesAtRest;
        /** When a head was first seen begun, by the sweeper's clock; 0 while none is. */
        long headSeenNanos; // only touched by the sweeper and (reset) by the request tracker

        Tracked(Connection connection, @Nullable InetAddress address) {
            this.connection = connection;
            this.address = address;
        }
    }

    /**
     * @param maxPerAddress open connections one source address may have; 0 for no limit
     * @param headerTimeout how long a request head may take once its first byte arrived
     */
    public ConnectionGuard(int maxPerAddress, @NotNull Duration headerTimeout) {
        this(maxPerAddress, headerTimeout, System::nanoTime);
    }

    /** @param nanoClock monotonic time in nanoseconds, for the head deadline ({@link System#nanoTime()} but in tests) */
    public ConnectionGuard(int maxPerAddress, @NotNull Duration headerTimeout, @NotNull LongSupplier nanoClock) {
        this.maxPerAddress = maxPerAddress;
        this.headerTimeout = headerTimeout;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address =
                maxPerAddress > 0 ? address(connection.getEndPoint().getRemoteSocketAddress()) : null;
        Tracked tracked = new Tracked(connection, address);
        open.put(connection, tracked);
        if (address == null) {
            return;
        }
        int count = perAddress.merge(address, 1, Integer::sum);
        if (count > maxPerAddress) {
            if (refused.getAndIncrement() % 1000 == 0) {
                log.warn(
                        "{} has {} connections open, more than http.maxConnectionsPerAddress={}: closing the new "
                                + "ones ({} refused so far)",
                        address.getHostAddress(),
                        count - 1,
                        maxPerAddress,
                        refused.get());
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Tracked tracked = open.remove(connection);
        if (tracked != null && tracked.address != null) {
            perAddress.computeIfPresent(tracked.address, (address, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Connections closed because their address already had {@code maxPerAddress} open. */
    public long refusedConnections() {
        return refused.get();
    }

    /** Connections closed because a request head did not arrive within the header timeout. */
    public long lateHeads() {
        return lateHeads.get();
    }

    /** The handler that tells this guard when a connection is inside a request; first in the chain. */
    public @NotNull Handler.Singleton requestTracker() {
        return new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Tracked tracked = open.get(request.getConnectionMetaData().getConnection());
                if (tracked != null) {
                    tracked.inRequest = true;
                    Request.addCompletionListener(request, failure -> {
                        tracked.bytesAtRest = tracked.connection.getBytesIn();
                        tracked.inRequest = false;
                    });
                }
                return super.handle(request, response, callback);
            }
        };
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "http-head-deadline");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.min(MAX_SWEEP_INTERVAL.toMillis(), Math.max(10, headerTimeout.toMillis() / 4));
        sweeps = sweeper.scheduleWithFixedDelay(this::closeLateHeads, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeps.cancel(false);
        sweeper.shutdownNow();
    }

    private void closeLateHeads() {
        try {
            long now = nanoClock.getAsLong();
            for (Tracked tracked : open.values()) {
                if (tracked.inRequest || tracked.connection.getBytesIn() <= tracked.bytesAtRest) {
                    tracked.headSeenNanos = 0;
                } else if (tracked.headSeenNanos == 0) {
                    tracked.headSeenNanos = now;
                } else if (now - tracked.headSeenNanos > headerTimeout.toNanos()) {
                    lateHeads.incrementAndGet();
                    tracked.connection.getEndPoint().close();
                }
            }
        } catch (RuntimeException bug) {
            // A failing sweep must not cancel the schedule.
            log.error("checking request heads failed", bug);
        }
    }

    private static @Nullable InetAddress address(@Nullable SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
