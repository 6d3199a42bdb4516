package io.shadowmq.store.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A committed change as the change feed's write side takes it: what a {@link FeedWriter} appends to the thing's
 * partition and a {@link FeedRouter} routes to the inboxes of the nodes watching the thing. It becomes one stream entry,
 * which followers read back as a {@link FeedEvent}.
 *
 * @param kind     what changed
 * @param thing    the thing that changed
 * @param owner    its owner, which names the household partition the entry goes to
 * @param version  the thing's shadow version after the change (0 where the change has none: presence, credentials)
 * @param body     the event's body as JSON text
 * @param newDelta as on {@link FeedEvent#newDelta()}: whether a shadow update gave its thing a new delta; null where
 *                 the change carries no such flag and followers decide from the body
 */
public record FeedChange(
        @NotNull FeedEventKind kind,
        @NotNull ThingId thing,
        @NotNull Owner owner,
        long version,
        @NotNull String body,
        @Nullable Boolean newDelta) {

    /** A change without a delta flag (presence, deletions, credential changes), its body already JSON text. */
    public static @NotNull FeedChange of(
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull String body) {
        return new FeedChange(kind, thing, owner, version, body, null);
    }

    /** A change without a delta flag whose body is written as JSON text here. */
    public static @NotNull FeedChange of(
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull ObjectNode body) {
        return of(kind, thing, owner, version, SafeJson.writeString(body));
    }

    /**
     * A committed shadow update ({@link FeedEventKind#SHADOW_UPDATED}): its documents as JSON text and whether it gave
     * the thing a new delta.
     */
    public static @NotNull FeedChange shadowUpdated(
            @NotNull ThingId thing, @NotNull Owner owner, long version, @NotNull String documents, boolean newDelta) {
        return new FeedChange(FeedEventKind.SHADOW_UPDATED, thing, owner, version, documents, newDelta);
    }
}
