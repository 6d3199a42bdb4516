package io.shadowmq.store.shadow;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedCoverage;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.NodeFeed;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * What this process knows of each thing's shadow: the base of its next update (a stale base only costs a retry), and
 * — while the change feed is followed and keeps up — the answer to reads. An entry is dropped as soon as the feed
 * announces a newer change of its thing ({@link #observe}), so what is left is never behind what the feed has
 * delivered; per thing the rank of the newest announced change is kept too, so a slow read cannot put back an older
 * one.
 */
final class ShadowMemory {

    static final long CACHED_SHADOWS = 100_000;
    static final Duration CACHE_IDLE_EXPIRY = Duration.ofMinutes(10);
    /** Far longer than any read may take (the store timeout): what guards a read that was slower than the feed. */
    static final Duration ANNOUNCED_MEMORY = Duration.ofMinutes(1);

    static final long ANNOUNCED_THINGS = 1_000_000;
    static final String KEEPER = "shadow-memory";

    private final Cache<ThingId, StoredShadow> known = Caffeine.newBuilder()
            .maximumSize(CACHED_SHADOWS)
            .expireAfterAccess(CACHE_IDLE_EXPIRY)
            .build();
    /** Per thing: the rank of the newest change the feed announced. */
    private final Cache<ThingId, Long> announced = Caffeine.newBuilder()
            .maximumSize(ANNOUNCED_THINGS)
            .expireAfterWrite(ANNOUNCED_MEMORY)
            .build();

    private final long memoryReadsForNanos;
    private final LongSupplier nanoClock;
    private volatile FeedCoverage coverage;
    /**
     * Where this process watches what it keeps (the REST service, which holds no devices): the things it remembers,
     * bounded like {@link #known}; a thing leaves the node's watch when it leaves this.
     */
    private volatile Cache<ThingId, Boolean> keptWatched;

    private volatile NodeFeed keeper;

    /**
     * @param memoryReadsFor how long after it was read or committed an entry may answer reads
     * @param nanoClock      monotonic time, the same clock as the feed coverage's
     */
    ShadowMemory(@NotNull Duration memoryReadsFor, @NotNull LongSupplier nanoClock) {
        this.memoryReadsForNanos = memoryReadsFor.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The store's monotonic time now. */
    long now() {
        return nanoClock.getAsLong();
    }

    /** Lets entries answer reads while {@code coverage} says this process is told of their thing's changes. */
    void coveredBy(@NotNull FeedCoverage coverage) {
        this.coverage = coverage;
    }

    /** Makes {@code node} watch every thing remembered here, for as long as it is remembered. */
    void watchedBy(@NotNull NodeFeed node) {
        keptWatched = Caffeine.newBuilder()
                .maximumSize(CACHED_SHADOWS)
                .expireAfterAccess(CACHE_IDLE_EXPIRY)
                .<ThingId, Boolean>evictionListener((thing, kept, cause) -> {
                    if (thing != null) {
                        node.release(KEEPER, thing);
                    }
                })
                .build();
        this.keeper = node;
    }

    /** Takes note of a change announced on the feed: what was known of that thing before it is dropped. */
    void observe(@NotNull FeedEvent event) {
        switch (event.kind()) {
            case SHADOW_UPDATED -> announce(event.thing(), StoredShadow.rank(event.version(), true));
            case SHADOW_DELETED -> announce(event.thing(), StoredShadow.rank(event.version(), false));
            // A deprovisioned thing's versions may start over if it is provisioned again: remember nothing of it.
            case THING_DELETED -> announce(event.thing(), Long.MAX_VALUE);
            default -> {}
        }
    }

    private void announce(ThingId thing, long rank) {
        announced.asMap().merge(thing, rank, Math::max);
        known.asMap().computeIfPresent(thing, (key, cached) -> cached.rank() >= rank ? cached : null);
    }

    /** What is known of the thing, to base an update on; null when nothing is. */
    @Nullable
    StoredShadow base(@NotNull ThingId thing) {
        return known.getIfPresent(thing);
    }

    /** Keeps what was read or committed, unless the feed already announced something newer of that thing. */
    void remember(@NotNull ThingId thing, @NotNull StoredShadow fresh) {
        keep(thing);
        known.asMap().compute(thing, (key, cached) -> {
            Long newest = announced.getIfPresent(key);
            if (newest != null && fresh.rank() < newest) {
                return cached;
            }
            return cached != null && cached.rank() > fresh.rank() ? cached : fresh;
        });
    }

    void forget(@NotNull ThingId thing) {
        known.invalidate(thing);
    }

    /** What may answer a read of the thing now: known, learned while the follow kept up, and not long ago. */
    @NotNull
    Optional<StoredShadow> answer(@NotNull ThingId thing) {
        Cache<ThingId, Boolean> watched = keptWatched;
        if (watched != null) {
            var unused = watched.getIfPresent(thing); // the read itself counts as use: it stays watched
        }
        StoredShadow inMemory = known.getIfPresent(thing);
        return inMemory != null && isCoherent(thing, inMemory) ? Optional.of(inMemory) : Optional.empty();
    }

    /**
     * Learned while the follow kept up, and not long ago: shadow deletes and deprovisioning announce after their
     * commit, so a writer dying in between leaves no feed entry, and this bounds how long that can go unseen.
     */
    private boolean isCoherent(ThingId thing, StoredShadow inMemory) {
        FeedCoverage covered = coverage;
        if (covered == null) {
            return false;
        }
        long since = covered.coveredSince(thing, inMemory.owner());
        return since != Long.MAX_VALUE
                && inMemory.observedAt() - since >= 0
                && nanoClock.getAsLong() - inMemory.observedAt() <= memoryReadsForNanos;
    }

    /** Where this process watches what it keeps: watches {@code thing}; completes once it is watched (or failed). */
    @NotNull
    CompletionStage<?> keep(@NotNull ThingId thing) {
        Cache<ThingId, Boolean> watched = keptWatched;
        NodeFeed node = keeper;
        if (watched == null || node == null) {
            return CompletableFuture.completedFuture(null);
        }
        watched.asMap().putIfAbsent(thing, Boolean.TRUE);
        return node.hold(KEEPER, thing);
    }
}
