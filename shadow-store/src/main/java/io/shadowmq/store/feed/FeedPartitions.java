package io.shadowmq.store.feed;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.store.redis.RedisKeys;
import org.jetbrains.annotations.NotNull;

/**
 * Which partition of the change feed holds a household's events: all of them go to one partition, chosen by owner,
 * so they are totally ordered and one stream id resumes a per-thing or per-household stream exactly. Each partition
 * is a Redis Stream with its own hash tag, so a Redis Cluster spreads them.
 *
 * @param count how many partitions the feed has
 */
record FeedPartitions(int count) {

    /** The partition of this household. String.hashCode is fixed by the JLS, so all processes agree. */
    int of(@NotNull Owner owner) {
        return Math.floorMod(owner.value().hashCode(), count);
    }

    /** The stream key of the household's partition. */
    @NotNull
    String keyOf(@NotNull Owner owner) {
        return RedisKeys.feedPartition(of(owner));
    }
}
