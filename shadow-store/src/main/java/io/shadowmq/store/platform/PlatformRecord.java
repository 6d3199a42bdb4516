package io.shadowmq.store.platform;

import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.registry.SecretHasher;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/**
 * The settings every broker and REST service of one installation must share, kept in Redis ({@link RedisKeys#platform()})
 * as the first node that reached this Redis wrote them; each later node compares its own with them before it serves.
 * The pepper is recorded as a check value (an HMAC under it of a fixed label), never itself: telling two peppers apart
 * needs no more. Thing models are compared too, but only warned about: rolling out new models means some nodes load
 * the new ones before others, so the record keeps what the latest node to start loaded. One key and one script call, so the check is as valid on a Redis Cluster as on one server.
 * <pre>{@code
 * record.check().thenAccept(outcome -> ...);   // ok(Agreed) | ok(Disagreed(FEED_PARTITIONS, "is 4 ...")) | 503
 * }</pre>
 * The record is never rewritten by a node: to change a shared setting on purpose (a new partition count), stop every
 * node, delete the key, and start them all with the new value.
 */
public final class PlatformRecord {

    private final LuaScript script;
    private final StoreCall call;
    private final String pepperCheck;
    private final int feedPartitions;
    private final boolean clusterClient;
    private final String thingModels;
    private final Clock clock;

    /**
     * @param clusterClient whether this node connects to Redis as to a Cluster
     * @param models        the thing models this node loaded
     */
    public PlatformRecord(
            @NotNull RedissonClient redis,
            @NotNull StoreCall call,
            @NotNull SecretHasher hasher,
            int feedPartitions,
            boolean clusterClient,
            @NotNull ThingModels models,
            @NotNull Clock clock) {
        this.script = LuaScript.load(redis, "platform-record");
        this.call = Objects.requireNonNull(call, "call");
        // Purpose and subject keep it apart from every secret's hash; secrets are 256 random bits, so a pepper
        // guessed against this value still opens no secret.
        this.pepperCheck = hasher.hash("platform", "pepper-check", "");
        this.feedPartitions = feedPartitions;
        this.clusterClient = clusterClient;
        this.thingModels = fingerprint(models);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records this node's settings where the record has none yet, and compares. 503 when Redis does not answer
     * within the store timeout (the caller tries again).
     */
    public @NotNull CompletionStage<Outcome<SettingsVerdict>> check() {
        return call.run(
                "platform record",
                script.call(new PlatformRecordCall(clock.millis(), pepperCheck, feedPartitions, thingModels)),
                recorded -> Outcome.ok(verdict(recorded)));
    }

    private SettingsVerdict verdict(PlatformRecordCall.Recorded recorded) {
        long written = recorded.written();
        String recordedPepperCheck = recorded.pepperCheck();
        String recordedPartitions = recorded.feedPartitions();
        String previousModels = recorded.previousModels();
        boolean clusterServer = recorded.clusterServer();
        if (clusterServer && !clusterClient) {
            return new SettingsVerdict.Disagreed(
                    SharedSetting.REDIS_TOPOLOGY,
                    "names one Redis server, but that "
                            + "server is a node of a Redis Cluster: connect with a Redisson cluster configuration listing the "
                            + "Cluster's nodes (see conf/examples/redis-cluster.yaml), as every other node must");
        }
        if (!recordedPepperCheck.equals(pepperCheck)) {
            return new SettingsVerdict.Disagreed(
                    SharedSetting.PEPPER,
                    "differs from the pepper of the running "
                            + "platform (Redis key " + RedisKeys.platform()
                            + " holds a check value of the pepper the first "
                            + "node used; the pepper itself is never stored): set the same pepper on every broker and REST "
                            + "service, or every secret issued by one is refused by the other");
        }
        if (!recordedPartitions.equals(Integer.toString(feedPartitions))) {
            return new SettingsVerdict.Disagreed(
                    SharedSetting.FEED_PARTITIONS,
                    "is " + feedPartitions
                            + " on this node but " + recordedPartitions + " on the running platform (Redis key "
                            + RedisKeys.platform() + "): set " + recordedPartitions
                            + " on every broker and REST service; to "
                            + "change it, stop them all, delete that key and start them with the new value");
        }
        List<String> differing = previousModels != null ? differingTypes(thingModels, previousModels) : List.of();
        return new SettingsVerdict.Agreed(
                written > 0,
                differing.isEmpty()
                        ? List.of()
                        : List.of("thing models "
                                + String.join(", ", differing)
                                + " differ from those of the node that started before this one: every "
                                + "broker and REST service must load the same models, or an update one accepts another refuses (422); "
                                + "finish rolling them out"));
    }

    /** {@code car=<12 hex digits of SHA-256 of the model>,fridge=...}, by type. */
    static @NotNull String fingerprint(@NotNull ThingModels models) {
        Map<String, String> byType = new TreeMap<>();
        models.models()
                .forEach((type, model) ->
                        byType.put(type, sha256(model.raw().toString()).substring(0, 12)));
        StringJoiner joined = new StringJoiner(",");
        byType.forEach((type, hash) -> joined.add(type + "=" + hash));
        return joined.toString();
    }

    /** The types whose models differ between two fingerprints, or that only one of them has. */
    static @NotNull List<String> differingTypes(@NotNull String mine, @NotNull String theirs) {
        Map<String, String> a = parse(mine);
        Map<String, String> b = parse(theirs);
        Set<String> types = new TreeSet<>(a.keySet());
        types.addAll(b.keySet());
        return types.stream()
                .filter(type -> !Objects.equals(a.get(type), b.get(type)))
                .toList();
    }

    private static Map<String, String> parse(String fingerprint) {
        Map<String, String> byType = new TreeMap<>();
        for (String entry : fingerprint.split(",")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                byType.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return byType;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
