package io.shadowmq.store.due;

import io.shadowmq.model.shadow.Outcome;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs what falls due in the {@link DueIndex}: every {@link #PERIOD} it claims the due members (with a
 * {@link #LEASE}), hands each to the {@link DueHandler} of its kind and settles it with the handler's answer. One per
 * process, started by {@code ShadowStore#startSweeper()} and stopped with the store; any number of processes sweep
 * the same Redis, the claim lease keeps each member to one of them at a time.
 *
 * <pre>{@code
 * store.sweeper().handle(DueMember.DESIRED, (member, now) -> repository.expireDesired(member.thing(), now));
 * store.startSweeper();
 * }</pre>
 *
 * <p>Failures (Redis down) are logged once per outage, never thrown; what was claimed and not settled is claimed
 * again after the lease.
 */
public final class Sweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    /** How often due members are claimed. */
    public static final Duration PERIOD = Duration.ofMillis(500);
    /** How long a claimed member is left to its claimer before another may claim it. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    /** The most members one sweep claims. */
    static final int BATCH = 200;

    private final DueIndex index;
    private final Clock clock;
    private final Map<String, DueHandler> handlers = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final Object lifecycle = new Object();
    private ScheduledExecutorService timer;
    private boolean closed;

    public Sweeper(@NotNull DueIndex index, @NotNull Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    /**
     * Registers the handler of the due members of {@code kind} ({@link DueMember#kind()}); a later registration for
     * the same kind replaces the earlier one. Members of a kind without a handler stay claimed for the lease, for a
     * process that has one.
     */
    public void handle(@NotNull String kind, @NotNull DueHandler handler) {
        if (!DueMember.KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("due member kind must match " + DueMember.KIND.pattern());
        }
        handlers.put(kind, handler);
    }

    /** Starts sweeping every {@link #PERIOD}; idempotent, and a no-op once closed. */
    public void start() {
        synchronized (lifecycle) {
            if (timer != null || closed) {
                return;
            }
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "shadowmq-sweeper");
                thread.setDaemon(true);
                return thread;
            });
            var unused = timer.scheduleWithFixedDelay(this::sweepQuietly, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Whether {@link #start()} was called and the sweeper is not closed. */
    public boolean isRunning() {
        synchronized (lifecycle) {
            return timer != null && !closed;
        }
    }

    private void sweepQuietly() {
        try {
            sweep().toCompletableFuture().get(LEASE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            trouble("sweep did not finish: " + e);
        }
    }

    /**
     * One sweep now: claims what is due at the clock's time, runs and settles it. Completes (normally) with how many
     * members were settled; a sweep already running makes this one a no-op answering 0. Tests call it after moving
     * their clock.
     */
    public @NotNull CompletionStage<Integer> sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(0);
        }
        long now = clock.millis();
        CompletionStage<Integer> swept;
        try {
            swept = index.claim(now, BATCH, LEASE).thenCompose(claimed -> {
                if (claimed instanceof Outcome.Rejected<List<DueClaim>> no) {
                    trouble("claim failed: " + no.rejection().message());
                    return CompletableFuture.completedFuture(0);
                }
                return runAll(claimed.orElseThrow(), now);
            });
        } catch (RuntimeException e) {
            swept = CompletableFuture.failedFuture(e);
        }
        return swept.handle((count, error) -> {
            sweeping.set(false);
            if (error != null) {
                trouble("sweep failed: " + error);
                return 0;
            }
            return count;
        });
    }

    private CompletionStage<Integer> runAll(List<DueClaim> claims, long now) {
        List<CompletableFuture<Boolean>> runs = new ArrayList<>(claims.size());
        for (DueClaim claim : claims) {
            runs.add(run(claim, now).toCompletableFuture());
        }
        return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            int settled = (int) runs.stream().filter(CompletableFuture::join).count();
            if (settled == claims.size() && failing.compareAndSet(true, false)) {
                log.info("due sweeper: Redis answers again, sweeping normally");
            }
            return settled;
        });
    }

    private CompletionStage<Boolean> run(DueClaim claim, long now) {
        DueHandler handler = handlers.get(claim.member().kind());
        if (handler == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletionStage<Outcome<Optional<Long>>> ran;
        try {
            ran = handler.due(claim.member(), now);
        } catch (RuntimeException bug) {
            log.error("due sweeper: handler of {} failed", claim.member(), bug);
            return CompletableFuture.completedFuture(false);
        }
        return ran.thenCompose(outcome -> {
                    if (outcome instanceof Outcome.Ok<Optional<Long>> ok) {
                        return index.settle(claim, ok.value().orElse(null)).thenApply(settled -> {
                            if (settled instanceof Outcome.Rejected<Boolean> no) {
                                trouble("settle failed: " + no.rejection().message());
                                return false;
                            }
                            return true;
                        });
                    }
                    trouble(claim.member() + ": "
                            + ((Outcome.Rejected<Optional<Long>>) outcome)
                                    .rejection()
                                    .message());
                    return CompletableFuture.completedFuture(false);
                })
                .exceptionally(error -> {
                    log.error("due sweeper: handler of {} failed", claim.member(), error);
                    return false;
                });
    }

    /** Logs the first failure of an outage; the rest stay quiet until a sweep succeeds again. */
    private void trouble(String what) {
        if (failing.compareAndSet(false, true)) {
            log.warn("due sweeper: {} (further failures are not logged until a sweep succeeds)", what);
        }
    }

    /** Stops sweeping; a sweep under way finishes on its own. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }
}
