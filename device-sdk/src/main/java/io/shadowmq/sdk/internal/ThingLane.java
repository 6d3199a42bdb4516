package io.shadowmq.sdk.internal;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Everything the session knows about one set of topics of a thing it talks to (its shadow, or its actions and command
 * states as an invoker, or its commands as the thing itself): whether they are subscribed on the current connection,
 * the requests waiting for that, and the pacer its updates go through. Guarded by the session's lock.
 */
final class ThingLane {

    final @NotNull ThingId thing;
    /** The own thing's shadow lane: its subscription is what "connected" means. */
    final boolean own;

    final @NotNull List<String> filters;
    final @NotNull UpdatePacer pacer;
    /** Updates waiting for the subscription or the pacer, in order; reports of the own thing wait in the ReportBuffer. */
    final Deque<PendingRequest> updates = new ArrayDeque<>();
    /** gets and deletes waiting for the subscription; they are not paced. */
    final Deque<PendingRequest> reads = new ArrayDeque<>();

    /** Active on the current connection: requests may go out. */
    boolean subscribed;

    boolean subscribing;
    boolean flushScheduled;

    ThingLane(@NotNull ThingId thing, boolean own, @NotNull List<String> filters, @NotNull UpdatePacer pacer) {
        this.thing = thing;
        this.own = own;
        this.filters = List.copyOf(filters);
        this.pacer = pacer;
    }
}
