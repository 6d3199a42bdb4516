package io.shadowmq.store.feed;

import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletionStage;

/** A running follow of the change feed; closing it stops the readers. */
public interface FeedSubscription extends AutoCloseable {

    /** Completes once every partition's reader has its starting position: events appended after it are seen. */
    @NotNull
    CompletionStage<Void> ready();

    /**
     * Since when (on the store's monotonic clock, {@code StoreCall.nanoClock()}) this follow has been keeping up with
     * the feed without a break, or {@link Long#MAX_VALUE} when it is not keeping up now. Keeping up: positioned, not
     * closed, and every partition's reader got an answer that emptied its backlog within the last
     * {@link ChangeFeed#LIVE_WITHIN} (an idle blocking read answers every {@link ChangeFeed#BLOCK_FOR}). A failed read
     * breaks it (Redis down or unreachable): it starts again at the next answer. Every change committed after that
     * moment reaches this follow's listener.
     */
    long liveSince();

    @Override
    void close();
}
