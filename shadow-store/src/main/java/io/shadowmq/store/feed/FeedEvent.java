package io.shadowmq.store.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.DocumentsPayload;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.StoredJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Objects;

/**
 * One entry of the change feed.
 *
 * <p>The body is kept as the JSON text the feed holds and parsed only when someone asks for it: most followers
 * pass most entries on without looking inside (a broker publishes an {@code update/documents} payload as it is; the
 * REST service looks only at entries an SSE client asked for). Whether an update gave its thing something new to do
 * travels as a field of its own ({@link #newDelta()}), so deciding on a delta needs no parsing either.
 *
 * <pre>{@code
 * if (event.kind() == FeedEventKind.SHADOW_UPDATED && event.newDelta()) publishDelta(DocumentsPayload.read(event.body()));
 * }</pre>
 */
public final class FeedEvent {

    private final String id;
    private final int partition;
    private final FeedEventKind kind;
    private final ThingId thing;
    private final Owner owner;
    private final long version;
    private final String rawBody;
    private final Boolean newDelta;
    private volatile ObjectNode body;

    /**
     * @param id        the Redis stream id within its partition ({@code 1732550000000-0}); SSE uses it as the event
     *                  id, since all events of one household are in one partition
     * @param partition the feed partition (chosen by owner)
     * @param kind      what happened
     * @param thing     the thing it happened to
     * @param owner     the thing's household
     * @param version   the shadow version after the change (0 where versions do not apply)
     * @param rawBody   the event's JSON body as stored, described on {@link FeedEventKind}
     * @param newDelta  for {@link FeedEventKind#SHADOW_UPDATED}: whether the thing got something new to do, as the
     *                  writer decided; {@code null} when the entry does not say (then the body decides)
     */
    public FeedEvent(
            @NotNull String id,
            int partition,
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull String rawBody,
            @Nullable Boolean newDelta) {
        this.id = Objects.requireNonNull(id);
        this.partition = partition;
        this.kind = Objects.requireNonNull(kind);
        this.thing = Objects.requireNonNull(thing);
        this.owner = Objects.requireNonNull(owner);
        this.version = version;
        this.rawBody = Objects.requireNonNull(rawBody);
        this.newDelta = newDelta;
    }

    /** An event whose body is already parsed (tests, and anything built in memory). */
    public FeedEvent(
            @NotNull String id,
            int partition,
            @NotNull FeedEventKind kind,
            @NotNull ThingId thing,
            @NotNull Owner owner,
            long version,
            @NotNull ObjectNode body) {
        this(id, partition, kind, thing, owner, version, SafeJson.writeString(body), null);
        this.body = body;
    }

    /**
     * The event of {@code change}, committed by this process as entry {@code id} of {@code partition} (empty where the
     * entry is appended after the commit, on a Redis Cluster), built from what the committer holds (nothing is read
     * back).
     */
    public static @NotNull FeedEvent committedHere(@NotNull FeedChange change, @NotNull String id, int partition) {
        return new FeedEvent(
                id,
                partition,
                change.kind(),
                change.thing(),
                change.owner(),
                change.version(),
                change.body(),
                change.newDelta());
    }

    public @NotNull String id() {
        return id;
    }

    public int partition() {
        return partition;
    }

    public @NotNull FeedEventKind kind() {
        return kind;
    }

    public @NotNull ThingId thing() {
        return thing;
    }

    public @NotNull Owner owner() {
        return owner;
    }

    public long version() {
        return version;
    }

    /** The body as the feed holds it: JSON text, never parsed by this call. */
    public @NotNull String rawBody() {
        return rawBody;
    }

    /**
     * The body, parsed on first use.
     *
     * @throws MalformedFeedEntryException when the stored text is not a JSON object (nothing this store writes)
     */
    public @NotNull ObjectNode body() {
        ObjectNode parsed = body;
        if (parsed == null) {
            JsonNode read;
            try {
                read = StoredJson.read(rawBody);
            } catch (IllegalStateException e) {
                throw new MalformedFeedEntryException(this, e.getMessage());
            }
            if (!(read instanceof ObjectNode object)) {
                throw new MalformedFeedEntryException(this, "body is not a JSON object");
            }
            parsed = object;
            body = parsed;
        }
        return parsed;
    }

    /**
     * For a shadow update: whether the thing has something new to do ({@link DocumentsPayload#deltaChanged()}).
     * Read from the entry when the writer said so, else from the body. {@code false} for other kinds.
     */
    public boolean newDelta() {
        if (kind != FeedEventKind.SHADOW_UPDATED) {
            return false;
        }
        if (newDelta != null) {
            return newDelta;
        }
        try {
            return DocumentsPayload.read(body()).deltaChanged();
        } catch (IllegalArgumentException e) {
            throw new MalformedFeedEntryException(this, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "FeedEvent[" + id + " " + kind.wireName() + " " + thing + " v" + version + "]";
    }

    /** A feed entry whose body cannot be read: something other than this store wrote to the feed. */
    public static final class MalformedFeedEntryException extends RuntimeException {
        MalformedFeedEntryException(FeedEvent event, String why) {
            super("unreadable body of feed entry " + event.id + " (partition " + event.partition + ", thing "
                    + event.thing + "): " + why);
        }
    }
}
