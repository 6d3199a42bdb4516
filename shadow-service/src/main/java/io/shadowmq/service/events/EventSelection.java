package io.shadowmq.service.events;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import org.jetbrains.annotations.NotNull;

/**
 * Which change-feed events one SSE client gets: those of one thing, or of every thing of one household. Both live in
 * the household's feed partition, so one feed id resumes either.
 */
sealed interface EventSelection {

    /** The partition holding every event this selection can match. */
    @NotNull
    Owner household();

    boolean matches(@NotNull FeedEvent event);

    /** Whether an event ends this stream: a per-thing stream ends with its thing. */
    default boolean endsWith(@NotNull FeedEvent event) {
        return false;
    }

    record OfThing(@NotNull ThingId thing, @NotNull Owner household) implements EventSelection {
        @Override
        public boolean matches(@NotNull FeedEvent event) {
            return event.thing().equals(thing);
        }

        @Override
        public boolean endsWith(@NotNull FeedEvent event) {
            return matches(event) && event.kind() == io.shadowmq.store.feed.FeedEventKind.THING_DELETED;
        }
    }

    record OfHousehold(@NotNull Owner household) implements EventSelection {
        @Override
        public boolean matches(@NotNull FeedEvent event) {
            return event.owner().equals(household);
        }
    }
}
