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

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
        return call.run("presence connected", connectedScript.run(List.of(RedisKeys.presence(thing)), session,
                Long.toString(nowMillis)), reply -> Outcome.ok(true))
                .thenCompose(done -> announce(done, true, thing, owner, nowMillis));
    }

    /** Ends a session; answers false (and announces nothing) when a newer session already took over. */
    public @NotNull CompletionStage<Outcome<Boolean>> disconnected(@NotNull ThingId thing, @NotNull Owner owner,
                                                                  @NotNull String session, long nowMillis) {
        return call.run("presence disconnected", disconnectedScript.run(List.of(RedisKeys.presence(thing)), session,
                Long.toString(nowMillis)), reply -> Outcome.ok(reply.get(0).toString().equals("disconnected")))
                .thenCompose(done -> announce(done, false, thing, owner, nowMillis));
    }

    public @NotNull CompletionStage<Outcome<PresenceStatus>> status(@NotNull ThingId thing) {
        return call.run("presence status",
                redis.<String, String>getMap(RedisKeys.presence(thing), StringCodec.INSTANCE).readAllMapAsync(),
                fields -> Outcome.ok(toStatus(fields)));
    }

    private CompletionStage<Outcome<Boolean>> announce(Outcome<Boolean> done, boolean connected, ThingId thing,
                                                       Owner owner, long nowMillis) {
        if (!(done instanceof Outcome.Ok<Boolean> ok) || !ok.value()) {
            return CompletableFuture.completedFuture(done);
        }
        return feed.append(FeedEventKind.PRESENCE, thing, owner, 0,
                        SafeJson.object().put("connected", connected).put("timestamp", nowMillis))
                .thenApply(appended -> done);
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
