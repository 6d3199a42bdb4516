package io.shadowmq.store.presence;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.registry.ThingRecord;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Ends the presence sessions of broker runs that died without saying goodbye: every {@code interval}, looks for
 * listed runs whose lease expired ({@link BrokerLeases}), claims each (one reaper at a time per run) and marks
 * disconnected every thing the run tagged that is still shown connected under one of its sessions - a thing that
 * reconnected elsewhere is left alone ({@link PresenceStore#endRun}). Runs in every broker and every REST service:
 * whoever notices first. The things' {@code lastDisconnectedAt} is the time the reaper noticed, at most the lease
 * TTL plus {@code interval} (plus the reaping itself) after the broker's last renewal.
 *
 * <p>A broker's own reaper also ends its own node's earlier runs at once, lease or not (that node was restarted: its
 * earlier run is over), and, when the broker stops cleanly, its own run ({@link #endOwnRun}).
 * Works on a thread of its own (SCAN, then one script per thing, a batch at a time), never on a broker or HTTP
 * thread.
 * <pre>{@code
 * LeaseReaper reaper = new LeaseReaper(store.leases(), store.presence(), store.things(), clock,
 *         Duration.ofSeconds(5), "3f2a9c1e/b07d44a2");   // null own run in a REST service
 * reaper.start();
 * }</pre>
 */
public final class LeaseReaper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int BATCH = 256;
    /** How long a claim keeps other reapers off a run; extended before each batch, so only a dead reaper's lapses. */
    static final Duration CLAIM_TTL = Duration.ofSeconds(30);

    private final BrokerLeases leases;
    private final PresenceStore presence;
    private final ThingRegistry things;
    private final Clock clock;
    private final Duration interval;
    private volatile ScheduledFuture<?> passes;
    private final @Nullable String ownRun;
    private final String reaperId = UUID.randomUUID().toString();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread reaper = new Thread(runnable, "shadowmq-lease-reaper");
        reaper.setDaemon(true);
        return reaper;
    });

    /**
     * @param ownRun the broker run this reaper lives in ({@code node/run}), never reaped while it runs; null in a
     *               process that is no broker
     */
    public LeaseReaper(
            @NotNull BrokerLeases leases,
            @NotNull PresenceStore presence,
            @NotNull ThingRegistry things,
            @NotNull Clock clock,
            @NotNull Duration interval,
            @Nullable String ownRun) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the reaper's interval must be positive, was " + interval);
        }
        this.leases = leases;
        this.presence = presence;
        this.things = things;
        this.clock = clock;
        this.interval = interval;
        this.ownRun = ownRun;
    }

    /** Looks for dead runs now and every interval, in the background. */
    public void start() {
        passes = thread.scheduleWithFixedDelay(this::reapQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reapQuietly() {
        try {
            reapDeadRuns();
        } catch (RuntimeException e) {
            if (!thread.isShutdown()) {
                log.warn(
                        "presence: could not look for dead broker runs ({}); trying again in {} ms",
                        e.getMessage(),
                        interval.toMillis());
            }
        }
    }

    /**
     * One pass, on the calling thread (blocking): ends the sessions of every listed run whose lease expired, and of
     * this node's earlier runs. Answers how many things were marked disconnected.
     */
    public int reapDeadRuns() {
        int ended = 0;
        for (String run : value(leases.runs())) {
            if (thread.isShutdown()) {
                break;
            }
            if (run.equals(ownRun)) {
                continue;
            }
            boolean earlierRunOfThisNode = ownRun != null && nodeOf(run).equals(nodeOf(ownRun));
            int count = endRun(run, earlierRunOfThisNode);
            if (count >= 0) {
                log.info(
                        "presence: broker run {} {}; {} thing(s) it left connected marked disconnected",
                        run,
                        earlierRunOfThisNode ? "is an earlier run of this node" : "lost its lease",
                        count);
                ended += count;
            }
        }
        return ended;
    }

    /**
     * A clean stop of this broker: marks disconnected what its own run still shows connected, and releases its
     * lease, on the reaper's thread; the answer completes with how many things were marked.
     */
    public @NotNull CompletableFuture<Integer> endOwnRun() {
        if (ownRun == null) {
            return CompletableFuture.completedFuture(0);
        }
        return CompletableFuture.supplyAsync(() -> Math.max(0, endRun(ownRun, true)), thread);
    }

    /**
     * Ends {@code run}'s sessions if this reaper can claim it; answers how many things were marked disconnected, or
     * -1 when the run is alive or another reaper has it.
     */
    int endRun(String run, boolean over) {
        if (value(leases.claim(run, reaperId, CLAIM_TTL, over)) != BrokerLeases.Claim.CLAIMED) {
            return -1;
        }
        long noticedAt = clock.millis();
        String prefix = run + "/";
        AtomicInteger ended = new AtomicInteger();
        try (Stream<ThingId> tagged = leases.thingsOf(run)) {
            Iterator<ThingId> each = tagged.iterator();
            List<CompletableFuture<Void>> batch = new ArrayList<>(BATCH);
            while (each.hasNext()) {
                batch.add(end(each.next(), prefix, noticedAt, ended));
                if (batch.size() == BATCH || !each.hasNext()) {
                    // Our own thread: waiting here holds no broker thread, and bounds what is in flight.
                    CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new))
                            .join();
                    batch.clear();
                    if (each.hasNext()
                            && value(leases.claim(run, reaperId, CLAIM_TTL, over)) != BrokerLeases.Claim.CLAIMED) {
                        // The run took its lease again (it was only paused): it shows what it still holds itself.
                        value(leases.forget(run, reaperId, over));
                        return ended.get();
                    }
                }
            }
        }
        value(leases.forget(run, reaperId, over));
        return ended.get();
    }

    private CompletableFuture<Void> end(ThingId thing, String prefix, long noticedAt, AtomicInteger ended) {
        return things.find(thing)
                .toCompletableFuture()
                .thenCompose(found -> {
                    if (found instanceof Outcome.Ok<ThingRecord> record) {
                        return presence.endRun(thing, record.value().owner(), prefix, noticedAt);
                    }
                    Rejection rejection = ((Outcome.Rejected<ThingRecord>) found).rejection();
                    // A thing deleted meanwhile took its presence with it.
                    return CompletableFuture.completedFuture(
                            rejection.code() == Rejection.NO_SHADOW
                                    ? Outcome.ok(false)
                                    : Outcome.<Boolean>rejected(rejection));
                })
                .thenAccept(outcome -> {
                    if (outcome instanceof Outcome.Ok<Boolean> ok && ok.value()) {
                        ended.incrementAndGet();
                    } else if (outcome instanceof Outcome.Rejected<Boolean> failed) {
                        throw new IllegalStateException(failed.rejection().message());
                    }
                });
    }

    private static <T> T value(CompletionStage<Outcome<T>> call) {
        Outcome<T> outcome = call.toCompletableFuture().join();
        if (outcome instanceof Outcome.Rejected<T> failed) {
            throw new IllegalStateException(failed.rejection().message());
        }
        return ((Outcome.Ok<T>) outcome).value();
    }

    private static String nodeOf(String run) {
        return run.substring(0, run.indexOf('/'));
    }

    @Override
    public void close() {
        ScheduledFuture<?> started = passes;
        if (started != null) {
            started.cancel(false);
        }
        thread.shutdownNow();
    }
}
