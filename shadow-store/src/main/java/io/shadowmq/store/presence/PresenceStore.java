package io.shadowmq.store.presence;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.ChangeFeed;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Connected/disconnected state per thing. Each connection is a session with an id chosen by the caller (unique per
 * connection, e.g. broker node + counter); a disconnect only counts if its session is still the current one, so a
 * thing that reconnected to another node before the old session's disconnect was seen stays "connected".
 */
public final class PresenceStore {

    private final RedissonClient redis;
    private final StoreCall call;
    private final ChangeFeed feed;
    private final LuaScript connectedScript;
    private final LuaScript disconnectedScript;

    public PresenceStore(@NotNull RedissonClient redis, @NotNull StoreCall call, @NotNull ChangeFeed feed) {
        this.redis = redis;
        this.call = call;
        this.feed = feed;
        this.connectedScript = LuaScript.load(redis, "presence-connected");
        this.disconnectedScript = LuaScript.load(redis, "presence-disconnected");
    }

    /** Records a new session of the thing and announces it on the change feed. */
    public @NotNull CompletionStage<Outcome<Boolean>> connected(@NotNull ThingId thing, @NotNull Owner owner,
                                                               @NotNull String session, long nowMillis) {
        return record(connectedScript, "presence connected", true, thing, owner, session, nowMillis,
                reply -> true);
    }

    /** Ends a session; answers false (and announces nothing) when a newer session already took over. */
    public @NotNull CompletionStage<Outcome<Boolean>> disconnected(@NotNull ThingId thing, @NotNull Owner owner,
                                                                  @NotNull String session, long nowMillis) {
        return record(disconnectedScript, "presence disconnected", false, thing, owner, session, nowMillis,
                reply -> reply.get(0).toString().equals("disconnected"));
    }

    public @NotNull CompletionStage<Outcome<PresenceStatus>> status(@NotNull ThingId thing) {
        return call.run("presence status",
                redis.<String, String>getMap(RedisKeys.presence(thing), StringCodec.INSTANCE).readAllMapAsync(),
                fields -> Outcome.ok(toStatus(fields)));
    }

    /** Runs a presence script, which announces the change itself where it can ({@link ChangeFeed#addTo}). */
    private CompletionStage<Outcome<Boolean>> record(LuaScript script, String what, boolean connected, ThingId thing,
                                                     Owner owner, String session, long nowMillis,
                                                     Predicate<List<Object>> changed) {
        String body = SafeJson.writeString(SafeJson.object().put("connected", connected).put("timestamp", nowMillis));
        List<Object> keys = new ArrayList<>(2);
        keys.add(RedisKeys.presence(thing));
        List<Object> args = new ArrayList<>(16);
        args.add(session);
        args.add(Long.toString(nowMillis));
        feed.addTo(keys, args, FeedEventKind.PRESENCE, thing, owner, 0, body, null);
        return call.run(what, script.run(keys, args.toArray()), reply -> Outcome.ok(changed.test(reply)))
                .thenCompose(done -> done instanceof Outcome.Ok<Boolean> ok && ok.value()
                        ? feed.appendAfterCommit(FeedEventKind.PRESENCE, thing, owner, 0, body, null).thenApply(appended -> done)
                        : CompletableFuture.completedFuture(done));
    }

    private static PresenceStatus toStatus(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return PresenceStatus.NEVER_SEEN;
        }
        return new PresenceStatus("1".equals(fields.get("connected")), millis(fields.get("lastConnectedAt")),
                millis(fields.get("lastDisconnectedAt")));
    }

    private static Long millis(String value) {
        return value == null ? null : Long.parseLong(value);
    }
}
