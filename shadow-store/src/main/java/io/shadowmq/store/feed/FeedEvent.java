package io.shadowmq.store.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

/**
 * One entry of the change feed.
 *
 * @param id        the Redis stream id within its partition ({@code 1732550000000-0}); SSE uses it as the event id,
 *                  since all events of one household are in one partition
 * @param partition the feed partition (chosen by owner)
 * @param kind      what happened
 * @param thing     the thing it happened to
 * @param owner     the thing's household
 * @param version   the shadow version after the change (0 where versions do not apply)
 * @param body      the event's JSON body, as described on {@link FeedEventKind}
 */
public record FeedEvent(@NotNull String id, int partition, @NotNull FeedEventKind kind, @NotNull ThingId thing,
                        @NotNull Owner owner, long version, @NotNull ObjectNode body) {
}
