package io.shadowmq.store.shadow;

import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the shadow updates one process works on at once, and refuses the one past the bound at once with 503
 * {@code store busy}: load is shed early and cheaply instead of queueing in front of Redis. Without it an overload,
 * or a cold start straight into a high rate, queued requests until each waited out the store timeout, did all its work
 * anyway for an answer nobody waited for, and the platform stayed slow after the load had dropped (metastable). A
 * device answered 503 retries; its later updates are not held up behind work that can no longer help.
 */
final class UpdateAdmission {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder shed = new LongAdder();

    UpdateAdmission(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /** Takes a place, or answers false (and counts the refusal) when all {@code limit} places are taken. */
    boolean tryEnter() {
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                shed.increment();
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place taken by {@link #tryEnter}. */
    void exit() {
        inFlight.decrementAndGet();
    }

    /** The answer to an update refused by {@link #tryEnter}. */
    @NotNull
    Rejection refusal() {
        return Rejection.storeBusy(limit + " updates in flight in this process, retry shortly");
    }

    int inFlight() {
        return inFlight.get();
    }

    long shed() {
        return shed.sum();
    }
}
