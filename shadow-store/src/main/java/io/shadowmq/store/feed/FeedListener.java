package io.shadowmq.store.feed;

import org.jetbrains.annotations.NotNull;

/**
 * Receives change-feed events. Called on a Redis I/O thread, one partition's events in order: an implementation
 * must not block (hand slow work to an executor).
 */
@FunctionalInterface
public interface FeedListener {
    void onEvent(@NotNull FeedEvent event);
}
