package io.shadowmq.store.platform;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.registry.SecretHasher;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The settings every broker and REST service of one installation must share, kept in Redis ({@link RedisKeys#platform()})
 * as the first node that reached this Redis wrote them; each later node compares its own with them before it serves.
 * The pepper is recorded as a check value (an HMAC under it of a fixed label), never itself: telling two peppers apart
 * needs no more. One key and one script call, so the check is as valid on a Redis Cluster as on one server.
 * <pre>{@code
 * record.check().thenAccept(outcome -> ...);   // ok(Agreed) | ok(Disagreed(FEED_PARTITIONS, "is 4 ...")) | 503
 * }</pre>
 * The record is never rewritten by a node: to change a shared setting on purpose (a new partition count), stop every
 * node, delete the key, and start them all with the new value.
 */
public final class PlatformRecord {

    static final String FIELD_PEPPER_CHECK = "pepperCheck";
    static final String FIELD_FEED_PARTITIONS = "feedPartitions";
    /** When the first node wrote the record (epoch ms): for the operator who reads it, not compared. */
    static final String FIELD_RECORDED_AT = "recordedAt";

    private final LuaScript script;
    private final StoreCall call;
    private final String pepperCheck;
    private final int feedPartitions;
    private final boolean clusterClient;
    private final Clock clock;

    /**
     * @param clusterClient whether this node connects to Redis as to a Cluster
     */
    public PlatformRecord(@NotNull RedissonClient redis, @NotNull StoreCall call, @NotNull SecretHasher hasher,
                          int feedPartitions, boolean clusterClient, @NotNull Clock clock) {
        this.script = LuaScript.load(redis, "platform-record");
        this.call = Objects.requireNonNull(call, "call");
        // Purpose and subject keep it apart from every secret's hash; secrets are 256 random bits, so a pepper
        // guessed against this value still opens no secret.
        this.pepperCheck = hasher.hash("platform", "pepper-check", "");
        this.feedPartitions = feedPartitions;
        this.clusterClient = clusterClient;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records this node's settings where the record has none yet, and compares. 503 when Redis does not answer
     * within the store timeout (the caller tries again).
     */
    public @NotNull CompletionStage<Outcome<SettingsVerdict>> check() {
        return call.run("platform record", script.run(List.of(RedisKeys.platform()),
                FIELD_RECORDED_AT, Long.toString(clock.millis()),
                FIELD_PEPPER_CHECK, pepperCheck,
                FIELD_FEED_PARTITIONS, Integer.toString(feedPartitions)), answer -> Outcome.ok(verdict(answer)));
    }

    private SettingsVerdict verdict(List<Object> answer) {
        long written = ((Number) answer.get(0)).longValue();
        String recordedPepperCheck = String.valueOf(answer.get(2));
        String recordedPartitions = String.valueOf(answer.get(3));
        boolean clusterServer = "1".equals(String.valueOf(answer.get(4)));
        if (clusterServer && !clusterClient) {
            return new SettingsVerdict.Disagreed(SharedSetting.REDIS_TOPOLOGY, "names one Redis server, but that "
                    + "server is a node of a Redis Cluster: connect with a Redisson cluster configuration listing the "
                    + "Cluster's nodes (see conf/examples/redis-cluster.yaml), as every other node must");
        }
        if (!recordedPepperCheck.equals(pepperCheck)) {
            return new SettingsVerdict.Disagreed(SharedSetting.PEPPER, "differs from the pepper of the running "
                    + "platform (Redis key " + RedisKeys.platform() + " holds a check value of the pepper the first "
                    + "node used; the pepper itself is never stored): set the same pepper on every broker and REST "
                    + "service, or every secret issued by one is refused by the other");
        }
        if (!recordedPartitions.equals(Integer.toString(feedPartitions))) {
            return new SettingsVerdict.Disagreed(SharedSetting.FEED_PARTITIONS, "is " + feedPartitions
                    + " on this node but " + recordedPartitions + " on the running platform (Redis key "
                    + RedisKeys.platform() + "): set " + recordedPartitions + " on every broker and REST service; to "
                    + "change it, stop them all, delete that key and start them with the new value");
        }
        return new SettingsVerdict.Agreed(written > 0);
    }
}
