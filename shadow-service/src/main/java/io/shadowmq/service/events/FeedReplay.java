package io.shadowmq.service.events;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.store.feed.ChangeFeed;
import io.shadowmq.store.feed.FeedEvent;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads back what a resuming SSE client missed: the partition's entries after its {@code Last-Event-ID}, batch by
 * batch, until the replay reaches what live delivery covers — the last entry the feed follower had delivered when the
 * stream registered, or the first event held back since — or the end of the partition.
 */
final class FeedReplay {

    private static final Logger log = LoggerFactory.getLogger(FeedReplay.class);

    static final int BATCH = 256;
    /** More than a partition holds at its default cap: a replay always ends, even while the partition grows. */
    static final int MAX_BATCHES = 1000;

    private FeedReplay() {}

    /**
     * Replays into {@code stream}; completes ok when caught up, rejected when the feed could not be read (the
     * caller ends the stream then: the client resumes again from the last event it got).
     *
     * @param liveFrom the last feed id live delivery had passed when the stream registered, or null if unknown
     */
    static @NotNull CompletionStage<Outcome<Boolean>> run(
            @NotNull ChangeFeed feed,
            @NotNull EventStream stream,
            int partition,
            @NotNull String afterId,
            @Nullable String liveFrom) {
        return next(feed, stream, partition, afterId, liveFrom, 1);
    }

    private static CompletionStage<Outcome<Boolean>> next(
            ChangeFeed feed, EventStream stream, int partition, String cursor, @Nullable String liveFrom, int batch) {
        if (stream.isClosed()) {
            return done(Outcome.ok(false));
        }
        return feed.readAfter(partition, cursor, BATCH).thenCompose(read -> {
            if (read instanceof Outcome.Rejected<List<FeedEvent>> failed) {
                return done(Outcome.rejected(failed.rejection()));
            }
            List<FeedEvent> events = read.orElseThrow();
            if (events.isEmpty()) {
                return done(Outcome.ok(true));
            }
            stream.onReplayed(events);
            String last = events.get(events.size() - 1).id();
            String heldBack = stream.firstHeldBackId();
            if (liveFrom != null && FeedIds.compare(last, liveFrom) >= 0
                    || heldBack != null && FeedIds.compare(last, heldBack) >= 0) {
                return done(Outcome.ok(true));
            }
            if (batch >= MAX_BATCHES) {
                log.warn("SSE replay of partition {} stopped after {} batches at {}", partition, batch, last);
                return done(Outcome.ok(true));
            }
            return next(feed, stream, partition, last, liveFrom, batch + 1);
        });
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
