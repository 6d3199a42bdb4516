package io.shadowmq.store;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedListener;
import org.jetbrains.annotations.NotNull;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For failover tests: a change-feed follower that keeps, per thing, the shadow versions it was told of — a version
 * announced twice (at-least-once delivery) counts once, as a device keeping the newest version sees it.
 */
final class FeedVersionsSeen implements FeedListener {

    private final Map<ThingId, Set<Long>> versions = new ConcurrentHashMap<>();
    private final AtomicInteger announcements = new AtomicInteger();

    @Override
    public void onEvent(@NotNull FeedEvent event) {
        if (event.kind() == FeedEventKind.SHADOW_UPDATED) {
            announcements.incrementAndGet();
            versions.computeIfAbsent(event.thing(), t -> ConcurrentHashMap.newKeySet())
                    .add(event.version());
        }
    }

    boolean saw(ThingId thing, long version) {
        return versions.getOrDefault(thing, Set.of()).contains(version);
    }

    /** Shadow updates announced, repeats included. */
    int announcements() {
        return announcements.get();
    }

    /** Distinct versions announced, of every thing. */
    int distinctVersions() {
        return versions.values().stream().mapToInt(Set::size).sum();
    }
}
