package io.shadowmq.service.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.shadowmq.model.access.Access;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.auth.Caller;
import io.shadowmq.service.http.Accepts;
import io.shadowmq.service.http.ApiPaths;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.PageLimit;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.things.HouseholdAccess;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.history.HistoryBucket;
import io.shadowmq.store.history.HistoryPoint;
import io.shadowmq.store.history.HistoryQuery;
import io.shadowmq.store.history.HistoryStore;
import io.shadowmq.store.history.PropertyHistory;
import io.shadowmq.store.registry.ThingRecord;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A property's recent history: {@code GET /api/v1/things/{id}/history?path=state.reported.range&from=&to=&limit=
 * &every=60s} (docs/rest.md), the values an accepted update gave it with their timestamps and versions, oldest first;
 * with {@code every} downsampled to buckets. The console's charts read it. Who may read it is decided as for the
 * shadow: a thing the caller does not see is 404, and a key bound to a thing gets the history of what its thing may
 * read of the household's other things (403 naming the path otherwise, recorded in the household's audit trail).
 *
 * <pre>{@code
 * new HistoryRoutes(store.history(), access, household).register(router);
 * }</pre>
 */
public final class HistoryRoutes {

    public static final String PATH = "path";
    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String LIMIT = "limit";
    public static final String EVERY = "every";

    private final HistoryStore history;
    private final ThingAccess access;
    private final HouseholdAccess household;

    public HistoryRoutes(
            @NotNull HistoryStore history, @NotNull ThingAccess access, @NotNull HouseholdAccess household) {
        this.history = history;
        this.access = access;
        this.household = household;
    }

    public void register(@NotNull ApiRouter router) {
        router.get(
                ApiPaths.THING_HISTORY, ApiScope.THINGS_READ, Accepts.query(PATH, FROM, TO, LIMIT, EVERY), this::get);
    }

    private CompletionStage<Reply> get(Context ctx, Caller caller) {
        String every = blankToNull(ctx.queryParam(EVERY));
        return Replies.then(
                ThingAccess.parseId(ctx.pathParam("id")),
                id -> Replies.then(
                        query(ctx, every),
                        query -> Replies.then(
                                access.find(caller, id),
                                thing -> Replies.then(
                                        checked(thing, query),
                                        known -> Replies.then(
                                                household.of(caller, id),
                                                rights -> read(caller, thing, query, every, rights))))));
    }

    /** The query parameters, checked: 400 naming the first bad one. */
    private static Outcome<HistoryQuery> query(Context ctx, @Nullable String every) {
        String path = blankToNull(ctx.queryParam(PATH));
        if (path == null) {
            return Outcome.rejected(Rejection.malformed(
                    "path: required, the reported value to read, e.g. state.reported.cabin.temperature"));
        }
        Outcome<Optional<Long>> from = millis(FROM, ctx.queryParam(FROM));
        Outcome<Optional<Long>> to = millis(TO, ctx.queryParam(TO));
        Outcome<Optional<Integer>> limit = PageLimit.parse(
                        ctx.queryParam(LIMIT), HistoryQuery.DEFAULT_LIMIT, HistoryQuery.MAX_LIMIT)
                .map(Optional::of);
        Outcome<Optional<Duration>> width = every == null
                ? Outcome.ok(Optional.empty())
                : HistoryQuery.parseEvery(every).map(Optional::of);
        for (Outcome<?> parameter : List.of(from, to, limit, width)) {
            if (parameter instanceof Outcome.Rejected<?> bad) {
                return Outcome.rejected(bad.rejection());
            }
        }
        return HistoryQuery.of(path, value(from), value(to), value(limit), value(width));
    }

    private Outcome<ThingRecord> checked(ThingRecord thing, HistoryQuery query) {
        Optional<Rejection> unknown = history.checkPath(thing.type(), query);
        return unknown.isPresent() ? Outcome.rejected(unknown.get()) : Outcome.ok(thing);
    }

    private CompletionStage<Reply> read(
            Caller caller, ThingRecord thing, HistoryQuery query, @Nullable String every, Access rights) {
        ThingId id = thing.thingId();
        if (!rights.mayRead(query.leaf())) {
            return household.refuse(
                    caller,
                    id,
                    AuditEntry.READ,
                    query.path(),
                    Access.refuseRead(HouseholdAccess.member(caller), query.path(), id.value()));
        }
        return history.read(thing, query).thenApply(outcome -> {
            Reply reply = Replies.map(outcome, found -> Reply.ok(toJson(found, every)));
            household.audit(caller, id, AuditEntry.READ, List.of(query.path()), reply.status());
            return reply;
        });
    }

    /** {@code {"thingId","path","points":[...]}}, or with a bucket width {@code {"thingId","path","every","buckets"}}. */
    static @NotNull ObjectNode toJson(@NotNull PropertyHistory found, @Nullable String every) {
        ObjectNode body = SafeJson.object();
        body.put("thingId", found.thing().value());
        body.put("path", found.path());
        if (found.every() == null) {
            ArrayNode points = body.putArray("points");
            for (HistoryPoint point : found.points()) {
                points.addObject()
                        .put("timestamp", point.timestamp())
                        .put("version", point.version())
                        .set("value", point.value());
            }
            return body;
        }
        body.put("every", every);
        ArrayNode buckets = body.putArray("buckets");
        for (HistoryBucket bucket : found.buckets()) {
            ObjectNode out = buckets.addObject().put("from", bucket.from());
            if (bucket.avg() != null) {
                out.set("min", bucket.min());
                out.set("max", bucket.max());
                out.put("avg", bucket.avg());
            }
            out.set("last", bucket.last());
            out.put("count", bucket.count());
        }
        return body;
    }

    private static Outcome<Optional<Long>> millis(String name, @Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return Outcome.ok(Optional.empty());
        }
        try {
            return Outcome.ok(Optional.of(Long.parseLong(raw.strip())));
        } catch (NumberFormatException e) {
            return Outcome.rejected(
                    Rejection.malformed(name + ": must be epoch milliseconds, was '" + ThingId.printable(raw) + "'"));
        }
    }

    private static <T> @Nullable T value(Outcome<Optional<T>> parsed) {
        return ((Outcome.Ok<Optional<T>>) parsed).value().orElse(null);
    }

    private static @Nullable String blankToNull(@Nullable String raw) {
        return raw == null || raw.isBlank() ? null : raw.strip();
    }
}
