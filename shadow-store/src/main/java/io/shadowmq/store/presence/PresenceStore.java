package io.shadowmq.store.presence;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedChange;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedRouter;
import io.shadowmq.store.feed.FeedWriter;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Connected/disconnected state per thing. Each connection is a session with an id chosen by the caller, unique per
 * connection: {@code node/run/counter} (the broker node, the node's current run, a counter within it). A disconnect
 * only counts if its session is still the current one, so a thing that reconnected to another node before the old
 * session's disconnect was seen stays "connected". Within one run the counter orders sessions, so writes that land
 * out of order (a connect delayed or retried past its own disconnect, or past a later session's) never leave a
 * thing shown connected after its last session ended; and a node that starts again ends what its earlier runs left
 * connected ({@link #endEarlierRun}). Each session's run holds a liveness lease ({@link BrokerLeases}); when a run
 * dies without recording its disconnects, a reaper ends the sessions it left ({@link #endRun}), and a run that comes
 * back shows the ones it still holds connected again ({@link #reasserted}).
 * <pre>{@code
 * presence.connected(car, alice, "node-a/run-1/17", now);
 * presence.disconnected(car, alice, "node-a/run-1/17", later);
 * }</pre>
 */
public final class PresenceStore {

    private static final int SCAN_BATCH = 500;

    private final RedissonClient redis;
    private final StoreCall call;
    private final FeedWriter feed;
    private final FeedRouter router;
    private final Map<PresenceCall.Kind, LuaScript> scripts = new EnumMap<>(PresenceCall.Kind.class);
    private final BrokerLeases leases;

    public PresenceStore(
            @NotNull RedissonClient redis,
            @NotNull StoreCall call,
            @NotNull FeedWriter feed,
            @NotNull FeedRouter router,
            @NotNull BrokerLeases leases) {
        this.redis = redis;
        this.call = call;
        this.feed = feed;
        this.router = router;
        this.leases = leases;
        for (PresenceCall.Kind kind : PresenceCall.Kind.values()) {
            scripts.put(
                    kind,
                    kind.ordersSessions()
                            ? LuaScript.load(redis, kind.script, "presence-sessions")
                            : LuaScript.load(redis, kind.script));
        }
    }

    /**
     * Records a new session of the thing and announces it on the change feed; answers false (and announces nothing)
     * when the session already ended or a later session of its run was recorded. A session {@code node/run/counter}
     * first tags the thing as held by its run ({@link BrokerLeases#tag}), so that should the run die, a reaper finds
     * it ({@link #endRun}).
     */
    public @NotNull CompletionStage<Outcome<Boolean>> connected(
            @NotNull ThingId thing, @NotNull Owner owner, @NotNull String session, long nowMillis) {
        return taggedThen(
                thing,
                session,
                () -> record(
                        PresenceCall.Kind.CONNECTED,
                        "presence connected",
                        true,
                        thing,
                        owner,
                        List.of(session),
                        nowMillis));
    }

    /**
     * Shows {@code session} connected again after a reaper ended it ({@link #endRun}) while its broker was alive
     * but had lost its lease (paused past it); answers false, changing nothing, for a session that ended by
     * itself or was followed by another. The thing is tagged again too: the reaper may have dropped the run's tags.
     */
    public @NotNull CompletionStage<Outcome<Boolean>> reasserted(
            @NotNull ThingId thing, @NotNull Owner owner, @NotNull String session, long nowMillis) {
        return taggedThen(
                thing,
                session,
                () -> record(
                        PresenceCall.Kind.REASSERTED,
                        "presence reasserted",
                        true,
                        thing,
                        owner,
                        List.of(session),
                        nowMillis));
    }

    /**
     * Ends the thing's session if the broker run whose sessions start with {@code runPrefix}
     * ({@code "node-a/run-1/"}) recorded it and it is still shown connected: the run is over (its lease expired, or
     * it stopped). A thing that reconnected elsewhere is kept, so this is safe to repeat and to run concurrently.
     * Answers true when the thing was shown connected and no longer is.
     */
    public @NotNull CompletionStage<Outcome<Boolean>> endRun(
            @NotNull ThingId thing, @NotNull Owner owner, @NotNull String runPrefix, long nowMillis) {
        return record(
                PresenceCall.Kind.RUN_ENDED, "presence run ended", false, thing, owner, List.of(runPrefix), nowMillis);
    }

    private CompletionStage<Outcome<Boolean>> taggedThen(
            ThingId thing, String session, Supplier<CompletionStage<Outcome<Boolean>>> write) {
        Optional<String> run = BrokerLeases.runOf(session);
        if (run.isEmpty()) {
            return write.get();
        }
        return leases.tag(run.get(), thing)
                .thenCompose(tagged -> tagged instanceof Outcome.Rejected<Boolean>
                        ? CompletableFuture.completedFuture(tagged)
                        : write.get());
    }

    /** Ends a session; answers false (and announces nothing) when a newer session already took over. */
    public @NotNull CompletionStage<Outcome<Boolean>> disconnected(
            @NotNull ThingId thing, @NotNull Owner owner, @NotNull String session, long nowMillis) {
        return record(
                PresenceCall.Kind.DISCONNECTED,
                "presence disconnected",
                false,
                thing,
                owner,
                List.of(session),
                nowMillis);
    }

    /**
     * Ends the thing's session if {@code node} recorded it in a run other than the one whose sessions start with
     * {@code runPrefix} (e.g. {@code "node-a/run-2/"}): that node went away without recording the disconnect.
     * Answers true when the thing was shown connected and no longer is.
     */
    public @NotNull CompletionStage<Outcome<Boolean>> endEarlierRun(
            @NotNull ThingId thing,
            @NotNull Owner owner,
            @NotNull String node,
            @NotNull String runPrefix,
            long nowMillis) {
        return record(
                PresenceCall.Kind.NODE_RESTARTED,
                "presence node restarted",
                false,
                thing,
                owner,
                List.of(node, runPrefix),
                nowMillis);
    }

    /**
     * The ids of every thing with a presence record, read with SCAN in batches on the calling thread (blocking: for
     * a start-up sweep on a thread of its own, never on a broker or event-loop thread).
     */
    public @NotNull Stream<ThingId> thingsWithPresence() {
        return redis.getKeys()
                .getKeysStreamByPattern(RedisKeys.presencePattern(), SCAN_BATCH)
                .map(RedisKeys::thingOfPresence)
                .flatMap(Optional::stream);
    }

    /**
     * The session the thing's presence record names: the last one recorded connected (kept after it disconnected),
     * empty if none was. A broker holding a connection of the thing under another session holds one that a newer
     * connection, here or on another node, took over.
     */
    public @NotNull CompletionStage<Outcome<Optional<String>>> currentSession(@NotNull ThingId thing) {
        return call.run(
                "presence session",
                redis.<String, String>getMap(RedisKeys.presence(thing), StringCodec.INSTANCE)
                        .getAsync("session"),
                session -> Outcome.ok(Optional.ofNullable(session)));
    }

    public @NotNull CompletionStage<Outcome<PresenceStatus>> status(@NotNull ThingId thing) {
        return call.run(
                "presence status",
                redis.<String, String>getMap(RedisKeys.presence(thing), StringCodec.INSTANCE)
                        .readAllMapAsync(),
                fields -> Outcome.ok(toStatus(fields)));
    }

    /**
     * Runs a presence script with {@code leadingArgs} and the time, which announces the change itself where it can
     * ({@link FeedWriter#inScript}); true when it changed what the thing is shown as.
     */
    private CompletionStage<Outcome<Boolean>> record(
            PresenceCall.Kind kind,
            String what,
            boolean connected,
            ThingId thing,
            Owner owner,
            List<String> leadingArgs,
            long nowMillis) {
        String body = SafeJson.writeString(
                SafeJson.object().put("connected", connected).put("timestamp", nowMillis));
        FeedChange change = FeedChange.of(FeedEventKind.PRESENCE, thing, owner, 0, body);
        PresenceCall presenceCall = new PresenceCall(kind, thing, leadingArgs, nowMillis, feed.inScript(change));
        return call.run(what, scripts.get(kind).call(presenceCall), Outcome::ok)
                .thenCompose(done -> done instanceof Outcome.Ok<Boolean> ok && ok.value()
                        ? feed.appendAfterCommit(change)
                                .thenCompose(appended -> router.routeToWatchers(change))
                                .thenApply(routed -> done)
                        : CompletableFuture.completedFuture(done));
    }

    private static PresenceStatus toStatus(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return PresenceStatus.NEVER_SEEN;
        }
        return new PresenceStatus(
                "1".equals(fields.get("connected")),
                millis(fields.get("lastConnectedAt")),
                millis(fields.get("lastDisconnectedAt")));
    }

    private static Long millis(String value) {
        return value == null ? null : Long.parseLong(value);
    }
}
