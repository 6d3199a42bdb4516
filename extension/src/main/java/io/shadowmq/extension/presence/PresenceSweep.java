package io.shadowmq.extension.presence;

import io.shadowmq.extension.auth.OwnerLookup;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.presence.PresenceStatus;
import io.shadowmq.store.presence.PresenceStore;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * At start, ends the presence sessions this broker node's earlier runs left open: a broker that stopped or died
 * with devices connected could not record their disconnects, and nobody else would. Runs on a thread of its own
 * (SCAN over the presence keys, then one script per thing, a batch at a time), never on a broker thread; if Redis
 * cannot be reached it tries again every {@link #RETRY} until it has gone through once or the extension stops.
 */
public final class PresenceSweep implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PresenceSweep.class);
    static final Duration RETRY = Duration.ofSeconds(10);
    private static final int BATCH = 256;

    private final PresenceStore presence;
    private final OwnerLookup owners;
    private final BrokerNode node;
    private final Clock clock;
    private final Function<ThingId, CompletableFuture<Boolean>> connectedHere;
    private volatile ScheduledFuture<?> retry;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread sweeper = new Thread(runnable, "shadowmq-presence-sweep");
        sweeper.setDaemon(true);
        return sweeper;
    });

    /**
     * @param connectedHere whether a thing is connected to this broker now ({@code ClientService.isClientConnected}):
     *                      after the extension alone restarted (disabled and enabled again), devices of its earlier
     *                      run may still be connected, and stay shown so
     */
    public PresenceSweep(
            @NotNull PresenceStore presence,
            @NotNull OwnerLookup owners,
            @NotNull BrokerNode node,
            @NotNull Clock clock,
            @NotNull Function<ThingId, CompletableFuture<Boolean>> connectedHere) {
        this.presence = presence;
        this.owners = owners;
        this.node = node;
        this.clock = clock;
        this.connectedHere = connectedHere;
    }

    /** Starts the sweep in the background. */
    public void start() {
        thread.execute(this::sweepOrRetry);
    }

    private void sweepOrRetry() {
        try {
            int ended = sweep();
            log.info(
                    "presence: {} thing(s) left connected by earlier runs of node {} marked disconnected",
                    ended,
                    node.id());
        } catch (RuntimeException e) {
            if (thread.isShutdown()) {
                return;
            }
            log.warn(
                    "presence: could not end the sessions of earlier runs of node {} ({}); trying again in {} s",
                    node.id(),
                    e.getMessage(),
                    RETRY.toSeconds());
            retry = thread.schedule(this::sweepOrRetry, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private int sweep() {
        AtomicInteger ended = new AtomicInteger();
        long now = clock.millis();
        try (Stream<ThingId> things = presence.thingsWithPresence()) {
            Iterator<ThingId> each = things.iterator();
            List<CompletableFuture<Void>> batch = new ArrayList<>(BATCH);
            while (each.hasNext() && !thread.isShutdown()) {
                batch.add(end(each.next(), now, ended));
                if (batch.size() == BATCH || !each.hasNext()) {
                    // Our own thread: waiting here holds no broker thread, and bounds what is in flight.
                    CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new))
                            .join();
                    batch.clear();
                }
            }
        }
        return ended.get();
    }

    private CompletableFuture<Void> end(ThingId thing, long now, AtomicInteger ended) {
        // Only things shown connected and not connected here now are candidates (the script decides, atomically);
        // a thing deleted meanwhile has no owner any more, and its presence went with it.
        return presence.status(thing)
                .toCompletableFuture()
                .thenCompose(status -> status instanceof Outcome.Ok<PresenceStatus> ok
                                && !ok.value().connected()
                        ? CompletableFuture.completedFuture(true)
                        : connectedHere.apply(thing))
                .thenCompose(skip ->
                        skip ? CompletableFuture.completedFuture(Optional.<Owner>empty()) : owners.ownerOf(thing))
                .thenCompose(owner -> owner.isEmpty()
                        ? CompletableFuture.completedFuture(Outcome.ok(false))
                        : presence.endEarlierRun(thing, owner.get(), node.id(), node.runPrefix(), now)
                                .toCompletableFuture())
                .thenAccept(outcome -> {
                    if (outcome instanceof Outcome.Ok<Boolean> ok && ok.value()) {
                        ended.incrementAndGet();
                    } else if (outcome instanceof Outcome.Rejected<Boolean> failed) {
                        throw new IllegalStateException(failed.rejection().message());
                    }
                });
    }

    @Override
    public void close() {
        ScheduledFuture<?> pending = retry;
        if (pending != null) {
            pending.cancel(false);
        }
        thread.shutdownNow();
    }
}
