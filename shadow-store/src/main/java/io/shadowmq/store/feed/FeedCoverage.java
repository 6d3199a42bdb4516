package io.shadowmq.store.feed;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

/**
 * Since when this process is told of every change of a thing: what lets it answer that thing's reads from memory.
 * A broker node is told of the things it watches ({@link NodeFeed}); the REST service of the households whose
 * partitions it follows; a follow of the whole feed of everything.
 */
@FunctionalInterface
public interface FeedCoverage {

    /**
     * The time on the store's monotonic clock ({@code StoreCall.nanoClock()}) since which every change of
     * {@code thing} (of household {@code owner}) reaches this process's follow, or {@link Long#MAX_VALUE} when they
     * do not (now).
     */
    long coveredSince(@NotNull ThingId thing, @NotNull Owner owner);
}
