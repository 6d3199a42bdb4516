package io.shadowmq.store;

import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.ThingId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.request;

/**
 * For failover tests: sends one update after another to one thing, each with its own clientToken, retrying a 503
 * with the same, and keeps when each was acknowledged and which version it made — to measure the outage and count
 * acknowledged updates a failover lost.
 */
final class FailoverWriter {

    /** Pause before a writer tries a refused update again. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    /** One acknowledged update: when, and which version it made. */
    record Ack(long atNanos, long version) {}

    private final ShadowStore store;
    private final ThingId thing;
    private final AtomicBoolean stop;
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private volatile int retries;

    FailoverWriter(ShadowStore store, ThingId thing, AtomicBoolean stop) {
        this.store = store;
        this.thing = thing;
        this.stop = stop;
    }

    ThingId thing() {
        return thing;
    }

    List<Ack> acks() {
        return acks;
    }

    /** Updates answered otherwise than accepted (503 mostly) and sent again. */
    int retries() {
        return retries;
    }

    /** Runs every writer on {@code threads} (one each); the future ends when all of them stopped. */
    static CompletableFuture<Void> startAll(List<FailoverWriter> writers, ExecutorService threads) {
        return CompletableFuture.allOf(writers.stream()
                .map(w -> CompletableFuture.runAsync(w::run, threads))
                .toArray(CompletableFuture[]::new));
    }

    /** Writes until {@code stop} is set. */
    void run() {
        for (int i = 1; !stop.get(); i++) {
            String body = "{\"state\":{\"reported\":{\"range\":" + (i % 2000) + "}},\"clientToken\":\"u-" + i + "\"}";
            while (!stop.get()) {
                UpdateOutcome outcome = await(store.shadows().update(thing, Requester.thing(thing), request(body)));
                if (outcome instanceof UpdateOutcome.Accepted accepted) {
                    acks.add(new Ack(System.nanoTime(), accepted.current().version()));
                    break;
                }
                retries++;
                Pacing.letRunFor(RETRY_PAUSE);
            }
        }
    }

    void awaitAcknowledgedAfter(long nanos, Duration atMost) {
        Pacing.awaitAtMost(atMost, () -> acks.stream().anyMatch(a -> a.atNanos() > nanos));
    }

    /** From the kill to the first acknowledgement after it. */
    long outageMillis(long killedAt) {
        return acks.stream()
                .filter(a -> a.atNanos() > killedAt)
                .findFirst()
                .map(a -> (a.atNanos() - killedAt) / 1_000_000)
                .orElse(Long.MAX_VALUE);
    }

    /** The version of the last acknowledged update, 0 if none. */
    long lastAcknowledgedVersion() {
        return acks.isEmpty() ? 0 : acks.get(acks.size() - 1).version();
    }

    /**
     * Acknowledged versions that a later acknowledgement made again: the promoted replica never had them, so
     * the versions were handed out a second time. One writer per thing, so versions go up by one per update.
     */
    int lostAcknowledged() {
        return acks.size() - survivingVersions().size();
    }

    /** The versions of acknowledged updates that were not lost. */
    List<Long> survivingVersions() {
        List<Long> surviving = new ArrayList<>();
        for (int i = 0; i < acks.size(); i++) {
            long version = acks.get(i).version();
            boolean overwritten = false;
            for (int j = i + 1; j < acks.size(); j++) {
                overwritten |= acks.get(j).version() <= version;
            }
            if (!overwritten) {
                surviving.add(version);
            }
        }
        return surviving;
    }
}
