package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.shadow.ShadowTopic.Operation;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Update pacing: what waits to go out, per thing ({@link ThingLane}), and when it may. Reads go out as soon as their
 * thing's topics are subscribed; updates as fast as the thing's {@link UpdatePacer} allows; the own thing's reports
 * wait in the {@link ReportBuffer}, coalescing, and a batch is taken from it only when it can be sent. Guarded by the
 * session's lock.
 *
 * <pre>{@code
 * synchronized (lock) { outbox.lane(thing).reads.addLast(get); outbox.flush(outbox.lane(thing), effects); }
 * }</pre>
 */
final class Outbox {

    private final Object lock;
    private final ThingId own;
    private final double updatesPerSecond;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService scheduler;
    private final Map<ThingId, ThingLane> lanes = new HashMap<>();
    /** Per thing invoked: its action answers and command states; made on the first invocation. */
    private final Map<ThingId, ThingLane> invokerLanes = new HashMap<>();
    /** Per thing asked: its summary answers; made on the first summary request. */
    private final Map<ThingId, ThingLane> summaryLanes = new HashMap<>();
    /** The own commands, once a handler is registered. */
    private @Nullable ThingLane commandLane;

    private final ReportBuffer reports;
    /** Set once, right after construction: the two refer to each other (sending, and retrying a 429 here). */
    private Requests requests;

    Outbox(
            @NotNull Object lock,
            @NotNull ThingId own,
            double updatesPerSecond,
            int offlineBufferBytes,
            @NotNull LongSupplier nanoClock,
            @NotNull ScheduledExecutorService scheduler) {
        this.lock = lock;
        this.own = own;
        this.updatesPerSecond = updatesPerSecond;
        this.nanoClock = nanoClock;
        this.scheduler = scheduler;
        this.reports = new ReportBuffer(offlineBufferBytes);
        lanes.put(own, newLane(own));
    }

    void sendThrough(@NotNull Requests requests) {
        this.requests = requests;
    }

    @NotNull
    ThingLane ownLane() {
        return lanes.get(own);
    }

    /** The lane of a thing, made on first use. */
    @NotNull
    ThingLane lane(@NotNull ThingId thing) {
        return lanes.computeIfAbsent(thing, this::newLane);
    }

    /** The lane of a thing's action answers and command states, made on first use. */
    @NotNull
    ThingLane invokerLane(@NotNull ThingId thing) {
        return answerLane(invokerLanes, thing, ShadowTopics::invokerFilters);
    }

    /** The lane of a thing's summary answers, made on first use. */
    @NotNull
    ThingLane summaryLane(@NotNull ThingId thing) {
        return answerLane(summaryLanes, thing, ShadowTopics::summaryFilters);
    }

    /** The lane of {@code thing} in {@code byThing}, made on first use with the {@code filters} of its answers. */
    private ThingLane answerLane(
            Map<ThingId, ThingLane> byThing, ThingId thing, Function<ThingId, List<String>> filters) {
        return byThing.computeIfAbsent(
                thing, id -> new ThingLane(id, false, filters.apply(id), new UpdatePacer(updatesPerSecond, nanoClock)));
    }

    /** The lane of the own commands, made on first use. */
    @NotNull
    ThingLane commandLane() {
        if (commandLane == null) {
            commandLane = new ThingLane(
                    own, false, ShadowTopics.commandFilters(own), new UpdatePacer(updatesPerSecond, nanoClock));
        }
        return commandLane;
    }

    /** True for the lane of the own commands. */
    boolean isCommandLane(@NotNull ThingLane lane) {
        return lane == commandLane;
    }

    /** Every lane: shadows first (the own one among them), then invocations, summaries, then the own commands. */
    @NotNull
    Collection<ThingLane> lanes() {
        List<ThingLane> all = new ArrayList<>(lanes.values());
        all.addAll(invokerLanes.values());
        all.addAll(summaryLanes.values());
        if (commandLane != null) {
            all.add(commandLane);
        }
        return all;
    }

    @NotNull
    ReportBuffer reports() {
        return reports;
    }

    /**
     * Sends what may go out for this thing now, when its topics are subscribed: reads at once, updates as fast as its
     * pacer allows.
     */
    void flush(@NotNull ThingLane lane, @NotNull Effects effects) {
        if (!lane.subscribed) {
            return;
        }
        while (!lane.reads.isEmpty()) {
            requests.send(lane.reads.pollFirst(), effects);
        }
        while (!lane.updates.isEmpty() || (lane.own && !reports.isEmpty())) {
            if (!lane.pacer.tryAcquire()) {
                scheduleFlush(lane, lane.pacer.nanosUntilNextPermit());
                return;
            }
            requests.send(lane.updates.isEmpty() ? reportRequest() : lane.updates.pollFirst(), effects);
        }
    }

    /** Others used up this thing's rate: its updates pause, and this one goes first when they resume. */
    void rateLimited(@NotNull PendingRequest request) {
        ThingLane lane = lanes.get(request.thing);
        lane.pacer.pause(Requests.RATE_LIMITED_PAUSE);
        lane.updates.addFirst(request);
        scheduleFlush(lane, lane.pacer.nanosUntilNextPermit());
    }

    /** Requests interrupted by a disconnect, in the order sent: they go out again first. */
    void requeueFirst(@NotNull List<PendingRequest> interrupted) {
        for (int i = interrupted.size() - 1; i >= 0; i--) {
            PendingRequest request = interrupted.get(i);
            ThingLane lane = request.operation != null
                    ? lanes.get(request.thing)
                    : ShadowTopics.isSummary(request.topic) ? summaryLane(request.thing) : invokerLane(request.thing);
            (request.operation == Operation.UPDATE ? lane.updates : lane.reads).addFirst(request);
        }
    }

    /** Takes the requests waiting for this thing, to fail them (its topics were refused). */
    @NotNull
    List<PendingRequest> drain(@NotNull ThingLane lane) {
        List<PendingRequest> waiting = new ArrayList<>(lane.updates);
        waiting.addAll(lane.reads);
        lane.updates.clear();
        lane.reads.clear();
        return waiting;
    }

    /** The client closed: the futures of everything waiting, reports included, to fail. */
    @NotNull
    List<CompletableFuture<?>> abandon() {
        List<CompletableFuture<?>> abandoned = new ArrayList<>();
        for (ThingLane lane : lanes()) {
            drain(lane).forEach(request -> abandoned.add(request.answer));
        }
        abandoned.addAll(reports.clear());
        return abandoned;
    }

    private PendingRequest reportRequest() {
        ReportBuffer.Batch batch = reports.poll().orElseThrow();
        PendingRequest request = update(own, Section.REPORTED, batch.patch(), requests.nextToken());
        // Read in a stage of its own: an answer that cannot be read fails the waiters instead of leaving them waiting.
        Async.whenComplete(request.answer.thenApply(ShadowSession::updateAccepted), "report", (accepted, error) -> {
            if (error != null) {
                Throwable cause = ShadowSession.unwrap(error);
                batch.waiters().forEach(waiter -> waiter.completeExceptionally(cause));
            } else {
                batch.waiters().forEach(waiter -> waiter.complete(accepted));
            }
        });
        return request;
    }

    /** An update of one section with this client token (the one its payload was checked with). */
    static @NotNull PendingRequest update(
            @NotNull ThingId thing, @NotNull Section section, @NotNull ObjectNode patch, @NotNull String token) {
        return update(thing, RequestValidator.payload(section, patch, token), token);
    }

    /** An update with this payload, already checked, carrying {@code token}. */
    static @NotNull PendingRequest update(@NotNull ThingId thing, byte @NotNull [] payload, @NotNull String token) {
        return new PendingRequest(
                thing, Operation.UPDATE, ShadowTopics.request(thing, Operation.UPDATE), token, payload, false);
    }

    private void scheduleFlush(ThingLane lane, long delayNanos) {
        if (lane.flushScheduled) {
            return;
        }
        lane.flushScheduled = true;
        Async.later(
                scheduler,
                "paced flush",
                () -> {
                    Effects effects = new Effects();
                    synchronized (lock) {
                        lane.flushScheduled = false;
                        flush(lane, effects);
                    }
                    effects.run();
                },
                Math.max(1, delayNanos),
                TimeUnit.NANOSECONDS);
    }

    private ThingLane newLane(ThingId thing) {
        boolean isOwn = thing.equals(own);
        return new ThingLane(
                thing,
                isOwn,
                isOwn ? List.of(ShadowTopics.ownFilter(thing)) : ShadowTopics.householdFilters(thing),
                new UpdatePacer(updatesPerSecond, nanoClock));
    }
}
