package io.shadowmq.service.events;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import org.jetbrains.annotations.NotNull;

/**
 * Which change-feed events one SSE client gets: those of one thing, or of every thing of one household, or what a
 * live query of one household looks at. All live in the household's feed partition, so one feed id resumes any.
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

    /**
     * What a live query ({@link LiveQuery}) of one household looks at: the events that can make a thing start or stop
     * matching its filter (shadow updated or deleted, thing deleted). Which of them the client hears, as {@code enter}
     * or {@code leave}, the query's view decides.
     */
    record OfQuery(@NotNull Owner household) implements EventSelection {
        @Override
        public boolean matches(@NotNull FeedEvent event) {
            return event.owner().equals(household)
                    && switch (event.kind()) {
                        case SHADOW_UPDATED, SHADOW_DELETED, THING_DELETED -> true;
                        default -> false;
                    };
        }
    }
}
