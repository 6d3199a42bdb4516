package io.shadowmq.service.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.search.Filter;
import io.shadowmq.model.search.Projection;
import io.shadowmq.model.search.SearchQueryException;
import io.shadowmq.model.search.SearchSchema;
import io.shadowmq.model.search.ThingView;
import io.shadowmq.model.shadow.DocumentsPayload;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.registry.ThingRecord;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A search filter followed live ({@code GET /api/v1/search/things/events?owner=..&filter=..}): of the household's
 * change-feed events ({@link EventSelection.OfQuery}) the client hears {@code enter} when a thing starts matching
 * and {@code leave} when it stops, so it keeps the set of matching things without polling the search. It is the
 * {@link EventView} of an ordinary {@link EventStream}: the feed follower, the replay after {@code Last-Event-ID}, the
 * heartbeat and the slow-client rules are the event streams' own; the event ids are the feed ids.
 *
 * <p>A shadow update carries its previous and its current document: the filter is evaluated on both, and an event
 * goes out only when the answer changed, so an update is judged on its own (a resumed stream judges it exactly as
 * the first one did). A shadow delete is judged against the thing without a shadow, a deprovisioned thing leaves; for
 * these two the previous state is what this stream last saw of the thing, and when it saw nothing of it, the event
 * says the state after (a {@code leave} of a thing the client does not hold is nothing to it). Each event's data is
 * {@code {"thingId","version","timestamp",...projected fields}}, the fields as the search returns them; a deprovisioned
 * thing's {@code leave} is {@code {"thingId","version":0,"timestamp","deleted":true}}.
 *
 * <p>Presence is not followed: {@code connected} in the filter or the fields is refused ({@link #check}). A thing's
 * type is read from the registry the first time the filter or the fields need it, and kept for the stream. A thing no
 * longer registered when its update is judged (deprovisioned since: a replay) is passed over; its
 * {@code thing-deleted} event that follows says {@code leave}. When the registry cannot be read, the stream ends
 * ({@code onFailure}), and the client resumes from the last event it got.
 *
 * <p>Called by its stream one event at a time in feed order (under the stream's lock); the answers complete in that
 * order too, each after the one before.
 */
final class LiveQuery implements EventView {

    private static final Logger log = LoggerFactory.getLogger(LiveQuery.class);

    static final String ENTER = "enter";
    static final String LEAVE = "leave";
    private static final String CONNECTED = "connected";

    /** The fields of an event when the request names none: the search's default but {@code connected}. */
    static final Projection DEFAULT_FIELDS = Projection.parse("thingId,type,owner,version,state");

    private final Filter filter;
    private final Projection fields;
    private final boolean needsType;
    private final Function<ThingId, CompletionStage<Outcome<ThingRecord>>> registry;
    private final Runnable onFailure;
    /** Types read so far (only touched in the chain of answers, one at a time). */
    private final Map<ThingId, String> types = new HashMap<>();
    /** Whether each thing this stream judged matched after its last event. */
    private final Map<ThingId, Boolean> matching = new HashMap<>();
    /** The answer to the last event: the next one is worked out after it. */
    private CompletableFuture<Optional<byte[]>> last = CompletableFuture.completedFuture(Optional.empty());

    /**
     * @param registry  a thing's registration, for its type
     * @param onFailure ends the stream when the registry cannot be read
     */
    LiveQuery(
            @NotNull Filter filter,
            @NotNull Projection fields,
            @NotNull Function<ThingId, CompletionStage<Outcome<ThingRecord>>> registry,
            @NotNull Runnable onFailure) {
        this.filter = filter;
        this.fields = fields;
        this.needsType =
                filter.paths().contains(SearchSchema.TYPE) || fields.fields().contains(SearchSchema.TYPE);
        this.registry = registry;
        this.onFailure = onFailure;
    }

    /** The fields a request asks for ({@link Projection#parse}), {@link #DEFAULT_FIELDS} when it names none. */
    static @NotNull Projection fields(@Nullable String text) {
        return text == null || text.isBlank() ? DEFAULT_FIELDS : Projection.parse(text);
    }

    /**
     * Refuses what a live query cannot follow: {@code connected}, since presence changes are not judged against the
     * filter.
     *
     * @throws SearchQueryException (a 400) naming the parameter
     */
    static void check(@NotNull Filter filter, @NotNull Projection fields) {
        if (filter.needsPresence()) {
            throw new SearchQueryException("filter: " + CONNECTED
                    + " cannot be followed live (presence changes are not judged against the filter); "
                    + "search with GET /api/v1/search/things, or follow presence events on /api/v1/events");
        }
        if (fields.needsPresence()) {
            throw new SearchQueryException("fields: " + CONNECTED
                    + " is not shown in live query events; follow presence events on /api/v1/events");
        }
    }

    @Override
    public synchronized @NotNull CompletionStage<Optional<byte[]>> frame(
            @NotNull FeedEvent event, byte @NotNull [] frame) {
        CompletableFuture<Optional<byte[]>> answer = last.thenCompose(before -> typeOf(event))
                .thenApply(type -> judge(event, type))
                .exceptionally(error -> {
                    log.warn("live query: cannot judge {}, ending the stream: {}", event, error.toString());
                    onFailure.run();
                    return Optional.empty();
                });
        last = answer;
        return answer;
    }

    /** The thing's type ("" when neither filter nor fields need it); empty when the thing is no longer registered. */
    private CompletionStage<Optional<String>> typeOf(FeedEvent event) {
        ThingId thing = event.thing();
        if (!needsType) {
            return CompletableFuture.completedFuture(Optional.of(""));
        }
        String known = types.get(thing);
        if (known != null || event.kind() == FeedEventKind.THING_DELETED) {
            return CompletableFuture.completedFuture(Optional.ofNullable(known));
        }
        return registry.apply(thing).thenApply(found -> {
            if (found instanceof Outcome.Ok<ThingRecord> ok) {
                types.put(thing, ok.value().type());
                return Optional.of(ok.value().type());
            }
            Outcome.Rejected<ThingRecord> refused = (Outcome.Rejected<ThingRecord>) found;
            if (refused.rejection().code() == 404) {
                return Optional.<String>empty();
            }
            throw new IllegalStateException(
                    "reading thing " + thing + ": " + refused.rejection().message());
        });
    }

    /** The frame the event makes, if any. */
    private Optional<byte[]> judge(FeedEvent event, Optional<String> type) {
        ThingId thing = event.thing();
        try {
            switch (event.kind()) {
                case SHADOW_UPDATED -> {
                    if (type.isEmpty()) {
                        return Optional.empty(); // deprovisioned since: its thing-deleted event follows
                    }
                    DocumentsPayload change = DocumentsPayload.read(event.body());
                    boolean before = filter.matches(view(event, type.get(), change.previous()));
                    ThingView now = view(event, type.get(), change.current());
                    boolean after = filter.matches(now);
                    matching.put(thing, after);
                    return before == after
                            ? Optional.empty()
                            : Optional.of(
                                    frame(event, after, now, change.current().version(), change.timestamp()));
                }
                case SHADOW_DELETED -> {
                    if (type.isEmpty()) {
                        return Optional.empty();
                    }
                    ThingView now = view(event, type.get(), null);
                    boolean after = filter.matches(now);
                    Boolean before = matching.put(thing, after);
                    JsonNode body = event.body();
                    return before != null && before == after
                            ? Optional.empty()
                            : Optional.of(frame(
                                    event,
                                    after,
                                    now,
                                    body.path("version").asLong(),
                                    body.path("timestamp").asLong()));
                }
                case THING_DELETED -> {
                    types.remove(thing);
                    Boolean before = matching.remove(thing);
                    if (Boolean.FALSE.equals(before)) {
                        return Optional.empty();
                    }
                    ObjectNode data =
                            head(thing, 0, event.body().path("timestamp").asLong());
                    data.put("deleted", true);
                    return Optional.of(SseFrames.frame(event.id(), LEAVE, data));
                }
                default -> {
                    return Optional.empty();
                }
            }
        } catch (IllegalArgumentException | FeedEvent.MalformedFeedEntryException unreadable) {
            // Nothing this store writes: pass it over rather than end every resume of the stream on it.
            log.warn("live query: passing over an unreadable feed entry {}: {}", event, unreadable.getMessage());
            return Optional.empty();
        }
    }

    private static ThingView view(FeedEvent event, String type, @Nullable ShadowDocument document) {
        return new ThingView(event.thing().value(), type, event.owner().value(), false, document);
    }

    private byte[] frame(FeedEvent event, boolean entered, ThingView now, long version, long timestamp) {
        ObjectNode data = head(event.thing(), version, timestamp);
        data.setAll(fields.apply(now));
        // The event's own, also where the fields ask for them of a thing without a shadow.
        data.put("version", version);
        data.put("timestamp", timestamp);
        return SseFrames.frame(event.id(), entered ? ENTER : LEAVE, data);
    }

    private static ObjectNode head(ThingId thing, long version, long timestamp) {
        ObjectNode data = SafeJson.object();
        data.put("thingId", thing.value());
        data.put("version", version);
        data.put("timestamp", timestamp);
        return data;
    }
}
