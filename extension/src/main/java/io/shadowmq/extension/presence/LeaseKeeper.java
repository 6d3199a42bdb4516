package io.shadowmq.extension.presence;

import io.shadowmq.extension.config.PresenceLease;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.store.presence.BrokerLeases;
import io.shadowmq.store.presence.LeaseReaper;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * Keeps this broker run's liveness lease ({@link BrokerLeases}) and runs this broker's {@link LeaseReaper}, so that
 * presence survives the death of any broker: renews the lease every {@link PresenceLease#renewEvery()} from a thread
 * of its own (the renewal is one asynchronous, time-bounded store call; no broker thread ever waits for it).
 *
 * <p>A renewal that finds the lease lost - this broker was paused or cut off from Redis past the lease, and reapers
 * may have marked its things disconnected - shows the sessions still open here connected again
 * ({@link PresenceListener#reassertOpenSessions}); so does the renewal after it, since a reaper still at work
 * during the first may have ended more. A clean stop ({@link #close}) marks this run's things disconnected itself and
 * releases the lease, so nobody waits for it to expire.
 * <pre>{@code
 * LeaseKeeper keeper = new LeaseKeeper(store.leases(), reaper, node, config.presenceLease(), clock,
 *         presence::reassertOpenSessions);
 * keeper.start();   // at extension start
 * keeper.close();   // at extension stop
 * }</pre>
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    /** How long a clean stop waits for its things to be marked disconnected before the store is closed. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final BrokerLeases leases;
    private final LeaseReaper reaper;
    private final String run;
    private final PresenceLease settings;
    private final Clock clock;
    private final LongFunction<CompletionStage<Integer>> reassert;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private volatile boolean held;
    private volatile boolean lostLastTime;
    private volatile boolean failing;
    private volatile ScheduledFuture<?> renewals;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread keeper = new Thread(runnable, "shadowmq-lease-keeper");
        keeper.setDaemon(true);
        return keeper;
    });

    public LeaseKeeper(
            @NotNull BrokerLeases leases,
            @NotNull LeaseReaper reaper,
            @NotNull BrokerNode node,
            @NotNull PresenceLease settings,
            @NotNull Clock clock,
            @NotNull LongFunction<CompletionStage<Integer>> reassert) {
        this.leases = leases;
        this.reaper = reaper;
        this.run = node.runId();
        this.settings = settings;
        this.clock = clock;
        this.reassert = reassert;
    }

    /** Takes the lease now, renews it from now on, and starts the reaper. */
    public void start() {
        renewals = thread.scheduleWithFixedDelay(
                this::renewQuietly, 0, settings.renewEvery().toMillis(), TimeUnit.MILLISECONDS);
        reaper.start();
    }

    /**
     * A periodic task that throws is never run again, silently: a renewal that failed before it was even sent (the
     * store refusing the call) must not end renewing for good, or other brokers would take this one for dead.
     */
    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            renewing.set(false);
            log.warn(
                    "presence: renewing the lease of broker run {} failed; trying again in {} s",
                    run,
                    settings.renewEvery().toSeconds(),
                    e);
        }
    }

    private void renew() {
        if (!renewing.compareAndSet(false, true)) {
            return; // the last renewal is still on its way (bounded by the store timeout)
        }
        long now = clock.millis();
        leases.renew(run, settings.ttl(), now).whenComplete((outcome, error) -> {
            renewing.set(false);
            if (outcome instanceof Outcome.Ok<BrokerLeases.Renewal> ok) {
                renewed(ok.value(), now);
            } else if (!failing) {
                failing = true;
                log.warn(
                        "presence: could not renew the lease of broker run {} ({}); other brokers take this broker "
                                + "for dead if it is not renewed within {} s",
                        run,
                        outcome instanceof Outcome.Rejected<BrokerLeases.Renewal> failed
                                ? failed.rejection().message()
                                : error,
                        settings.ttl().toSeconds());
            }
        });
    }

    private void renewed(BrokerLeases.Renewal renewal, long now) {
        if (failing) {
            failing = false;
            log.info("presence: lease of broker run {} renewed again", run);
        }
        if (!held) {
            held = true; // the first renewal takes the lease: nothing was lost
            return;
        }
        boolean lost = renewal.lost();
        if (lost && !lostLastTime) {
            log.info(
                    "presence: broker run {} had lost its lease ({}); showing its open sessions connected again",
                    run,
                    renewal == BrokerLeases.Renewal.REAPING ? "a reaper is ending its sessions" : "it expired");
        }
        if (lost || lostLastTime) {
            reassert.apply(now).thenAccept(shown -> {
                if (shown > 0) {
                    log.info("presence: {} session(s) of broker run {} shown connected again", shown, run);
                }
            });
        }
        lostLastTime = lost;
    }

    /**
     * A clean stop: renews no more, marks what this run still shows connected disconnected and releases the lease
     * (waiting at most {@link #STOP_WAIT}: HiveMQ stops the extension on a thread of its own, and the store closes
     * next), then stops the reaper.
     */
    @Override
    public void close() {
        ScheduledFuture<?> started = renewals;
        if (started != null) {
            started.cancel(false);
        }
        thread.shutdownNow();
        try {
            int ended = reaper.endOwnRun().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            log.info(
                    "presence: broker run {} stopped: lease released, {} thing(s) it held marked disconnected",
                    run,
                    ended);
        } catch (TimeoutException | ExecutionException e) {
            log.warn(
                    "presence: broker run {} stopped without marking its things disconnected ({}); other brokers "
                            + "do once its lease expires in {} s",
                    run,
                    e.getMessage(),
                    settings.ttl().toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reaper.close();
        }
    }
}
