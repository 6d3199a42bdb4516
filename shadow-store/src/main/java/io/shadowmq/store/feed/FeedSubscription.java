package io.shadowmq.store.feed;

import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletionStage;

/** A running follow of the change feed; closing it stops the readers. */
public interface FeedSubscription extends AutoCloseable {

    /** Completes once every partition's reader has its starting position: events appended after it are seen. */
    @NotNull CompletionStage<Void> ready();

    @Override
    void close();
}
