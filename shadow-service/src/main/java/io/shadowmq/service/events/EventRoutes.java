package io.shadowmq.service.events;

import io.javalin.http.Context;
import io.shadowmq.model.search.Filter;
import io.shadowmq.model.search.Projection;
import io.shadowmq.model.search.SearchQuery;
import io.shadowmq.model.search.SearchQueryException;
import io.shadowmq.model.search.SearchSchema;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.auth.Authenticator;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Problem;
import io.shadowmq.service.http.ProblemType;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.search.SearchRoutes;
import io.shadowmq.service.things.HouseholdAccess;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.feed.ChangeFeed;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.registry.ThingRegistry;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Server-Sent Events: a thing's events ({@code GET /api/v1/things/{id}/events}), a household's
 * ({@code GET /api/v1/events?owner=alice}), and a search filter followed live in a household
 * ({@code GET /api/v1/search/things/events?owner=alice&filter=..}, {@link LiveQuery}). Everything that can fail is
 * checked before the stream starts, so those failures are ordinary problem answers (400, 401, 403, 404, 422, 429,
 * 503); after that the answer is a 200 stream. A key bound to a thing gets the shadow documents of the household's
 * other things pruned to what its thing may read ({@link EventView}); it may not follow a search.
 *
 * <pre>{@code
 * curl -N -H "Authorization: Bearer $TOKEN" -H "Last-Event-ID: 1732550000000-0" \
 *      http://localhost:8080/api/v1/things/car-1/events
 * }</pre>
 */
public final class EventRoutes {

    private final ThingAccess access;
    private final HouseholdAccess household;
    private final EventHub hub;
    private final Authenticator authenticator;
    private final Executor executor;
    private final int bufferEvents;
    private final Duration startTimeout;
    private final StreamSlots slots;
    private final String retryAfterSeconds;
    private final SearchSchema schema;
    private final ThingRegistry things;

    /**
     * @param executor     where responses are started and frames written (Jetty's pool), never a Redis thread
     * @param bufferEvents frames one client may have queued before it is dropped as too slow
     * @param startTimeout how long a new stream may wait for the feed follower to be positioned
     * @param slots        the caps on open streams, in all and per key
     * @param heartbeat    the heartbeat interval: a refused client is told to retry after it, since a slot held by a
     *                     client that went away is found and freed at the next heartbeat
     * @param schema       what the thing models make searchable, for live queries' filters
     * @param things       the registry, for the type of a thing a live query judges
     */
    public EventRoutes(
            @NotNull ThingAccess access,
            @NotNull HouseholdAccess household,
            @NotNull EventHub hub,
            @NotNull Authenticator authenticator,
            @NotNull Executor executor,
            int bufferEvents,
            @NotNull Duration startTimeout,
            @NotNull StreamSlots slots,
            @NotNull Duration heartbeat,
            @NotNull SearchSchema schema,
            @NotNull ThingRegistry things) {
        this.access = access;
        this.household = household;
        this.hub = hub;
        this.authenticator = authenticator;
        this.executor = executor;
        this.bufferEvents = bufferEvents;
        this.startTimeout = startTimeout;
        this.slots = slots;
        this.schema = schema;
        this.things = things;
        this.retryAfterSeconds = Long.toString(Math.max(1, (heartbeat.toMillis() + 999) / 1000));
    }

    public void register(@NotNull ApiRouter router) {
        router.stream(ApiPaths.THING_EVENTS, ApiScope.THINGS_READ, Accepts.NOTHING, this::thingEvents);
        router.stream(ApiPaths.EVENTS, ApiScope.THINGS_READ, Accepts.query("owner"), this::householdEvents);
        // Here rather than with the search route: a live query is an event stream, run by the streams' machinery.
        router.stream(
                ApiPaths.SEARCH_THING_EVENTS,
                ApiScope.THINGS_READ,
                Accepts.query("owner", "filter", "fields"),
                this::liveQuery);
    }

    private CompletionStage<Reply> thingEvents(Context ctx, Caller caller) {
        Outcome<String> resume = lastEventId(ctx.header("Last-Event-ID"));
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        resume,
                        lastId -> Replies.then(
                                access.find(caller, id),
                                // Asked before the stream starts: a key bound to another thing then has its access
                                // to this one cached, and the subscription is its one audited read.
                                thing -> Replies.then(
                                        household.of(caller, id),
                                        rights -> Replies.then(followerReady(thing.owner()), ready -> {
                                            household.audit(caller, id, AuditEntry.READ, List.of(), 200);
                                            return stream(
                                                    ctx, caller, new EventSelection.OfThing(id, thing.owner()), lastId);
                                        })))));
    }

    private CompletionStage<Reply> householdEvents(Context ctx, Caller caller) {
        return householdStream(
                ctx,
                household(ctx.queryParam("owner"), caller, false),
                (owner, lastId) -> stream(ctx, caller, new EventSelection.OfHousehold(owner), lastId));
    }

    /**
     * A search filter followed live in one household ({@link LiveQuery}). Filter and fields are read as the search
     * reads them, with its messages; {@code connected} is refused. The household is the {@code owner} parameter, which
     * a key limited to one household may leave out: a live query follows one household's feed partition, whose ids
     * resume it.
     */
    private CompletionStage<Reply> liveQuery(Context ctx, Caller caller) {
        if (caller.thing() != null) {
            return Replies.done(SearchRoutes.thingKeyRefused());
        }
        Filter filter;
        Projection fields;
        try {
            filter = SearchQuery.parseFilter(schema, ctx.queryParam("filter"));
            fields = LiveQuery.fields(ctx.queryParam("fields"));
            LiveQuery.check(filter, fields);
        } catch (SearchQueryException e) {
            return Replies.done(Problem.malformed(e.getMessage()).toReply());
        }
        return householdStream(
                ctx,
                household(ctx.queryParam("owner"), caller, true),
                (owner, lastId) -> stream(
                        ctx,
                        caller,
                        new EventSelection.OfQuery(owner),
                        lastId,
                        connection -> new LiveQuery(filter, fields, things::find, connection::close)));
    }

    /** A stream of one household's partition, once the resume point is read and the partition's follower ready. */
    private CompletionStage<Reply> householdStream(
            Context ctx, Outcome<Owner> household, BiFunction<Owner, String, CompletionStage<Reply>> stream) {
        Outcome<String> resume = lastEventId(ctx.header("Last-Event-ID"));
        return Replies.then(
                household,
                owner -> Replies.then(
                        resume, lastId -> Replies.then(followerReady(owner), ready -> stream.apply(owner, lastId))));
    }

    /**
     * The household a stream asks for: {@code owner}, which must be one the caller sees (404 as for one that does not
     * exist otherwise); when {@code soleByDefault}, a caller limited to one household may leave it out.
     */
    private static Outcome<Owner> household(@Nullable String owner, Caller caller, boolean soleByDefault) {
        if (owner == null || owner.isBlank()) {
            if (soleByDefault && !caller.seesEveryOwner() && caller.owners().size() == 1) {
                return Outcome.ok(Owner.of(caller.owners().iterator().next()));
            }
            return Outcome.rejected(Rejection.malformed(
                    soleByDefault
                            ? "owner: required, the household whose things to follow (a live query follows one household)"
                            : "owner: required, the household whose events to stream"));
        }
        if (!ThingId.isValid(owner)) {
            return Outcome.rejected(Rejection.malformed("owner: invalid owner '" + ThingId.printable(owner) + "'"));
        }
        Owner household = Owner.of(owner);
        if (!caller.sees(household)) {
            // As for things: a household the key does not see answers like one that does not exist.
            return Outcome.rejected(new Rejection(ProblemType.NOT_FOUND.status(), "no household " + household));
        }
        return Outcome.ok(household);
    }

    private CompletionStage<Reply> stream(Context ctx, Caller caller, EventSelection selection, String lastId) {
        return stream(ctx, caller, selection, lastId, connection -> EventView.of(caller, household));
    }

    /** A stream whose events the client sees through {@code view}, made once the connection is open. */
    private CompletionStage<Reply> stream(
            Context ctx,
            Caller caller,
            EventSelection selection,
            String lastId,
            Function<SseConnection, EventView> view) {
        Outcome<StreamSlots.Slot> acquired = slots.acquire(caller.id());
        if (acquired instanceof Outcome.Rejected<StreamSlots.Slot> refused) {
            return Replies.done(
                    Problem.of(ProblemType.RATE_LIMITED, refused.rejection().message())
                            .withHeader("Retry-After", retryAfterSeconds)
                            .toReply());
        }
        StreamSlots.Slot slot = acquired.orElseThrow();
        String authorization = ctx.header("Authorization");
        // A new stream starts after what its partition held before the client sees it open.
        CompletionStage<Optional<String>> startsAfter = lastId.isEmpty()
                ? hub.newestId(selection.household())
                : CompletableFuture.completedFuture(Optional.empty());
        CompletableFuture<Reply> streamed = startsAfter
                .toCompletableFuture()
                .thenComposeAsync(
                        newest -> {
                            SseConnection connection;
                            try {
                                connection = SseConnection.open(
                                        ctx.req().getAsyncContext(),
                                        ctx.res(),
                                        executor,
                                        bufferEvents,
                                        hub::droppedSlowClient);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            hub.subscribe(
                                    selection,
                                    connection,
                                    bufferEvents,
                                    lastId.isEmpty() ? null : lastId,
                                    newest.orElse(null),
                                    caller.admin() ? null : stillAllowed(authorization),
                                    view.apply(connection));
                            return connection.closed().thenApply(closed -> Reply.STREAMED);
                        },
                        executor);
        // However the stream ends, or fails to start, its slot is free again.
        return streamed.whenComplete((reply, error) -> slot.release());
    }

    /** Asked at each heartbeat: a revoked key's stream ends; a store outage alone does not end it. */
    private Supplier<CompletionStage<Boolean>> stillAllowed(@Nullable String authorization) {
        return () -> authenticator
                .authenticate(authorization)
                .thenApply(result -> result.caller() != null
                        || result.refusal() == null
                        || result.refusal().code() != 401);
    }

    /**
     * The follower of the household's partition must be positioned before a stream starts, or the first live events
     * could be missed.
     */
    private CompletionStage<Outcome<Boolean>> followerReady(Owner household) {
        return hub.ready(household)
                .toCompletableFuture()
                .copy()
                .orTimeout(startTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ready, error) -> error == null
                        ? Outcome.ok(true)
                        : Outcome.rejected(Rejection.storeUnavailable(
                                error instanceof TimeoutException
                                        ? "the change feed is not reachable, retry shortly"
                                        : "the change feed failed: " + error)));
    }

    /** The resume point: empty when absent, 400 when it is not a feed id this service could have sent. */
    private static Outcome<String> lastEventId(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return Outcome.ok("");
        }
        if (!ChangeFeed.isValidId(header.strip())) {
            return Outcome.rejected(Rejection.malformed(
                    "Last-Event-ID: not an event id of this stream: '" + ThingId.printable(header) + "'"));
        }
        return Outcome.ok(header.strip());
    }
}
