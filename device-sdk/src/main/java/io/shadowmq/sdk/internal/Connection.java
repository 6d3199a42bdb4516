package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowTopic.Operation;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.ConnectionListener;
import io.shadowmq.sdk.ShadowClosedException;
import io.shadowmq.sdk.ShadowConnectException;
import io.shadowmq.sdk.ShadowRejectedException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connection and resubscribe lifecycle: after every (re)connect, subscribe the own thing's topics first and then
 * those of every household thing used so far; once the own ones are subscribed, read the shadow (its delta is what the
 * device missed while offline), tell the listeners and send what waited. A disconnect puts the requests in flight
 * back in line. What cannot be done on a live connection right now (a subscription the broker could not take, the
 * shadow not readable while the store is unavailable) is tried again, by one rule: {@link #retrySoon}. Guarded by the
 * session's lock.
 *
 * <pre>{@code
 * synchronized (lock) { connection.dispatch(lane, effects); } // subscribes first when needed
 * }</pre>
 */
final class Connection {

    private static final System.Logger log = System.getLogger(Connection.class.getName());

    /** What could not be done on a live connection (subscribe, read the shadow) is tried again this often. */
    static final Duration SYNC_RETRY = Duration.ofSeconds(1);

    private final Object lock;
    private final ThingId own;
    private final MqttTransport transport;
    private final ScheduledExecutorService scheduler;
    private final Outbox outbox;
    private final Requests requests;
    private final LocalShadow shadow;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();

    // Guarded by lock.
    private boolean started;
    private boolean closed;
    private boolean connected;
    /** Counts connections, so that answers to subscriptions of an earlier connection are recognised. */
    private long connection;

    Connection(
            @NotNull Object lock,
            @NotNull ThingId own,
            @NotNull MqttTransport transport,
            @NotNull ScheduledExecutorService scheduler,
            @NotNull Outbox outbox,
            @NotNull Requests requests,
            @NotNull LocalShadow shadow) {
        this.lock = lock;
        this.own = own;
        this.transport = transport;
        this.scheduler = scheduler;
        this.outbox = outbox;
        this.requests = requests;
        this.shadow = shadow;
    }

    void addListener(@NotNull ConnectionListener listener) {
        listeners.add(listener);
    }

    /** Starts the transport on the first call; every call gets the outcome of the first connect. */
    @NotNull
    CompletableFuture<Void> start(@NotNull MqttTransport.Events events) {
        boolean start;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new ShadowClosedException());
            }
            start = !started;
            started = true;
        }
        if (start) {
            transport.start(events);
        }
        return firstConnect.copy();
    }

    /** Under the lock. */
    boolean isClosed() {
        return closed;
    }

    /** Under the lock: connected, and the own thing's topics subscribed. */
    boolean isUp() {
        return connected && outbox.ownLane().subscribed;
    }

    /** Under the lock: connected (the own shadow topics may not be subscribed yet). */
    boolean isConnected() {
        return connected && !closed;
    }

    /** Sends what waits for this thing, or subscribes its topics first. Under the lock. */
    void dispatch(@NotNull ThingLane lane, @NotNull Effects effects) {
        if (lane.subscribed) {
            outbox.flush(lane, effects);
        } else {
            subscribe(lane, effects);
        }
    }

    void connected() {
        Effects effects = new Effects();
        synchronized (lock) {
            if (closed) {
                return;
            }
            connected = true;
            connection++;
            // The own thing first: its answers and deltas must be subscribed before anything is asked.
            subscribe(outbox.ownLane(), effects);
            for (ThingLane lane : outbox.lanes()) {
                if (!lane.own) {
                    subscribe(lane, effects);
                }
            }
        }
        effects.run();
    }

    void disconnected(@NotNull Throwable cause) {
        Effects effects = new Effects();
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (connected) {
                connected = false;
                for (ThingLane lane : outbox.lanes()) {
                    lane.subscribed = false;
                    lane.subscribing = false;
                }
                outbox.requeueFirst(requests.interrupted());
                log.log(
                        System.Logger.Level.INFO,
                        "thing {0}: connection lost ({1}); reports wait in the buffer",
                        own,
                        ShadowSession.describe(cause));
            }
        }
        listeners.forEach(listener -> effects.add(() -> listener.onDisconnected(cause)));
        effects.run();
    }

    /** The broker refused the first connect for good. */
    void refused(@NotNull ShadowConnectException refusal) {
        log.log(System.Logger.Level.WARNING, "thing {0}: {1}", own, refusal.getMessage());
        firstConnect.completeExceptionally(refusal);
    }

    /** Closed: nothing more happens on the connection. Under the lock. */
    void close() {
        closed = true;
        connected = false;
    }

    /** After the lock is released on close. */
    void closed() {
        firstConnect.completeExceptionally(new ShadowClosedException());
    }

    private void subscribe(ThingLane lane, Effects effects) {
        if (!connected || lane.subscribed || lane.subscribing) {
            return;
        }
        lane.subscribing = true;
        long onConnection = connection;
        effects.add(() -> Async.whenComplete(
                transport.subscribe(lane.filters),
                "subscribe",
                (done, error) -> subscribed(lane, onConnection, error)));
    }

    private void subscribed(ThingLane lane, long onConnection, @Nullable Throwable failure) {
        Throwable error = failure == null ? null : ShadowSession.unwrap(failure);
        Effects effects = new Effects();
        synchronized (lock) {
            if (!on(onConnection)) {
                return;
            }
            lane.subscribing = false;
            if (error instanceof ShadowRejectedException) {
                // Not this thing's household: every request to it would be refused too.
                outbox.drain(lane).forEach(request -> effects.add(() -> request.answer.completeExceptionally(error)));
                if (lane.own) {
                    effects.add(() -> firstConnect.completeExceptionally(new ShadowConnectException("thing "
                            + lane.thing + " may not subscribe to its own shadow topics: " + error.getMessage())));
                } else if (outbox.isCommandLane(lane)) {
                    log.log(
                            System.Logger.Level.WARNING,
                            "thing {0}: the broker refused its command topics ({1}); no commands will arrive",
                            own,
                            error.getMessage());
                }
            } else if (error != null) {
                // Usually the connection went away (the next connect subscribes again); if it is still up, the
                // broker could not take the subscription right now.
                retrySoon(onConnection, retry -> subscribe(lane, retry), effects);
            } else {
                lane.subscribed = true;
                if (lane.own) {
                    synchronize(effects);
                    listeners.forEach(listener -> effects.add(listener::onConnected));
                    effects.add(() -> firstConnect.complete(null));
                }
                outbox.flush(lane, effects);
            }
        }
        effects.run();
    }

    /**
     * After every (re)connect: read the shadow, and hand the device the delta it missed while offline. The broker also
     * pushes a pending delta on subscribe; the {@link DeltaGate} lets only one of the two through.
     */
    private void synchronize(Effects effects) {
        PendingRequest get = requests.read(own, Operation.GET, true);
        long onConnection = connection;
        Async.whenComplete(
                get.answer, "synchronizing", (answer, error) -> synchronizeAnswered(answer, error, onConnection));
        requests.send(get, effects);
    }

    private void synchronizeAnswered(@Nullable JsonNode answer, @Nullable Throwable error, long onConnection) {
        Effects effects = new Effects();
        synchronized (lock) {
            if (!on(onConnection)
                    || error instanceof ShadowRejectedException rejected && rejected.code() == Rejection.NO_SHADOW) {
                return;
            }
            if (error != null) {
                log.log(
                        System.Logger.Level.INFO,
                        "thing {0}: could not read the shadow after connecting ({1}); " + "trying again",
                        own,
                        ShadowSession.describe(error));
                retrySoon(onConnection, this::synchronize, effects);
            } else {
                shadow.synchronizedTo(answer, effects);
            }
        }
        effects.run();
    }

    /**
     * The one retry rule of the connection: try {@code attempt} again after {@link #SYNC_RETRY}, under the lock, if
     * it is still the same live connection (a new one starts over anyway).
     */
    private void retrySoon(long onConnection, Consumer<Effects> attempt, Effects effects) {
        effects.add(() -> Async.later(
                scheduler,
                "retry",
                () -> {
                    Effects retry = new Effects();
                    synchronized (lock) {
                        if (on(onConnection)) {
                            attempt.accept(retry);
                        }
                    }
                    retry.run();
                },
                SYNC_RETRY.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    /** Still the given connection, up and not closed. Under the lock. */
    private boolean on(long onConnection) {
        return !closed && onConnection == connection && connected;
    }
}
