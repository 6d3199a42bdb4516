package io.shadowmq.service.events;

import io.shadowmq.store.feed.FeedEvent;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One SSE client's view of the change feed: the events of its selection, each once, in feed order, from where it
 * resumed.
 *
 * <p>Resuming ({@code Last-Event-ID}) races replay against live delivery. The stream is registered for live events
 * <em>before</em> the replay reads the feed, so nothing appended meanwhile can fall between the two; live events are
 * held back until the replay is done, and every event at or before the last one sent is dropped. So the client gets
 * the missed events, then the live ones, without gap or duplicate.
 */
final class EventStream {

    private final EventSelection selection;
    private final SseConnection connection;
    private final int capacity;
    private final @Nullable Supplier<CompletionStage<Boolean>> stillAllowed;
    private final EventView view;
    private @Nullable String lastSentId;
    private @Nullable List<Held> heldBack;
    /** The last frame on its way through the view; later frames go out after it, in feed order. */
    private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);

    // Only queued and read back here, never compared or printed, and a frame holds no secret: the array is fine.
    @SuppressWarnings("ArrayRecordComponent")
    private record Held(FeedEvent event, byte[] frame) {}

    /**
     * @param resumeAfter  the client's {@code Last-Event-ID}; events up to it are not sent, and live ones are held
     *                     back until {@link #replayDone()}
     * @param stillAllowed asked at each heartbeat whether the caller's key still works (revocation); null for the admin
     */
    EventStream(
            @NotNull EventSelection selection,
            @NotNull SseConnection connection,
            int capacity,
            @Nullable String resumeAfter,
            @Nullable Supplier<CompletionStage<Boolean>> stillAllowed) {
        this(selection, connection, capacity, resumeAfter, null, stillAllowed);
    }

    /**
     * @param startsAfter for a new stream (no {@code resumeAfter}): the newest entry of its partition before the
     *                    client saw the stream open; a live event up to it (committed before, and maybe still on its
     *                    way through the partition's follow) is not sent. Null: whatever comes
     */
    EventStream(
            @NotNull EventSelection selection,
            @NotNull SseConnection connection,
            int capacity,
            @Nullable String resumeAfter,
            @Nullable String startsAfter,
            @Nullable Supplier<CompletionStage<Boolean>> stillAllowed) {
        this(selection, connection, capacity, resumeAfter, startsAfter, stillAllowed, EventView.ALL);
    }

    /** @param view what the client may see of each event ({@link EventView#ALL} but for keys bound to a thing) */
    EventStream(
            @NotNull EventSelection selection,
            @NotNull SseConnection connection,
            int capacity,
            @Nullable String resumeAfter,
            @Nullable String startsAfter,
            @Nullable Supplier<CompletionStage<Boolean>> stillAllowed,
            @NotNull EventView view) {
        this.view = view;
        this.selection = selection;
        this.connection = connection;
        this.capacity = capacity;
        this.stillAllowed = stillAllowed;
        this.lastSentId = resumeAfter != null ? resumeAfter : startsAfter;
        this.heldBack = resumeAfter == null ? null : new ArrayList<>();
    }

    @NotNull
    EventSelection selection() {
        return selection;
    }

    /** A live event from the feed, with its frame (computed once for every stream it goes to). */
    synchronized void onLive(@NotNull FeedEvent event, byte @NotNull [] frame) {
        if (!selection.matches(event)) {
            return;
        }
        if (heldBack != null) {
            if (heldBack.size() >= capacity) {
                connection.close(); // it could not even catch up before falling behind: too slow
                return;
            }
            heldBack.add(new Held(event, frame));
            return;
        }
        send(event, frame);
    }

    /** A batch read back from the feed, oldest first. */
    synchronized void onReplayed(@NotNull List<FeedEvent> events) {
        for (FeedEvent event : events) {
            if (selection.matches(event)) {
                Optional<byte[]> frame = SseFrames.event(event);
                frame.ifPresent(bytes -> send(event, bytes));
            }
        }
    }

    /** The replay has caught up: the held-back live events follow, then live ones directly. */
    synchronized void replayDone() {
        List<Held> held = heldBack;
        heldBack = null;
        if (held != null) {
            held.forEach(h -> send(h.event(), h.frame()));
        }
    }

    /** The id of the first live event held back, where the replay may stop; null if none (yet). */
    synchronized @Nullable String firstHeldBackId() {
        return heldBack == null || heldBack.isEmpty()
                ? null
                : heldBack.get(0).event().id();
    }

    /** Keeps idle connections open through proxies, finds clients that left, and ends streams of revoked keys. */
    void heartbeat() {
        connection.sendIfIdle(SseFrames.HEARTBEAT);
        if (stillAllowed != null) {
            stillAllowed.get().thenAccept(allowed -> {
                if (!allowed) {
                    connection.close();
                }
            });
        }
    }

    void close() {
        connection.close();
    }

    boolean isClosed() {
        return connection.isClosed();
    }

    @NotNull
    CompletableFuture<Void> closed() {
        return connection.closed();
    }

    private void send(FeedEvent event, byte[] frame) {
        if (lastSentId != null && FeedIds.compare(event.id(), lastSentId) <= 0) {
            return; // already sent (replay and live overlap), or before the resume point
        }
        lastSentId = event.id();
        CompletableFuture<Optional<byte[]>> shown = view.frame(event, frame).toCompletableFuture();
        if (sending.isDone() && shown.isDone()) {
            // The usual case: nothing to wait for (no view, or the caller's access is cached).
            deliver(event, shown.join());
            return;
        }
        sending = sending.thenCombine(shown, (previous, bytes) -> bytes).thenAccept(bytes -> deliver(event, bytes));
    }

    private void deliver(FeedEvent event, Optional<byte[]> frame) {
        frame.ifPresent(connection::send);
        if (selection.endsWith(event)) {
            connection.closeAfterDrain();
        }
    }
}
