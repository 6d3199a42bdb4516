package io.shadowmq.store;

import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.redis.RedisKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode.InfoSection;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.api.redisnode.RedisSingle;
import org.redisson.client.codec.StringCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one thing costs in Redis, measured for the sizing table of docs/scaling.md: 2,500 households of a car, a
 * fridge, a speaker and a washer (10,000 things) are provisioned, each reports a realistic state with a clientToken
 * (as the SDK does) and connects once; {@code used_memory} is read between the phases and {@code MEMORY USAGE} per
 * key kind. Then every thing reports again, and {@code INFO commandstats} / {@code INFO stats} give Redis's command
 * time and network bytes per update. Prints its figures; run with
 * {@code ./mvnw -o verify -pl shadow-store -am -Dexcluded.test.groups= -Dtest=RedisFootprintSlowTest}.
 */
@Tag("slow")
class RedisFootprintSlowTest {

    private static final int HOUSEHOLDS = 2_500;
    private static final String[] TYPES = {"car", "fridge", "speaker", "washer"};
    private static final int IN_FLIGHT = 200;

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void tenThousandThingsFitInAFewKibibytesEachAndAnUpdateCostsTensOfMicrosecondsOfRedis() throws Exception {
        try (ShadowStore store = StoreFixture.connect(redis.uri())) {
            RedissonClient raw = Redisson.create(ShadowStore.redissonConfig(StoreFixture.config(redis.uri())));
            try {
                RedisSingle node = raw.getRedisNodes(RedisNodes.SINGLE);
                List<ThingId> things = new ArrayList<>();
                List<Owner> owners = new ArrayList<>();
                for (int household = 0; household < HOUSEHOLDS; household++) {
                    Owner owner = Owner.of("household-" + household);
                    for (String type : TYPES) {
                        things.add(ThingId.of(type + "-" + household));
                        owners.add(owner);
                    }
                }
                int n = things.size();
                long base = usedMemory(node);

                run(
                        n,
                        i -> store.things()
                                .provision(things.get(i), TYPES[i % 4], owners.get(i))
                                .toCompletableFuture());
                long afterProvision = usedMemory(node);

                run(n, i -> report(store, things.get(i), i, 1));
                long afterReport = usedMemory(node);

                long now = System.currentTimeMillis();
                run(
                        n,
                        i -> store.presence()
                                .connected(things.get(i), owners.get(i), "node-a/run-1/" + i, now)
                                .toCompletableFuture());
                long afterPresence = usedMemory(node);

                long feedEntries = 0;
                long feedBytes = 0;
                for (int p = 0; p < StoreConfig.DEFAULT_FEED_PARTITIONS; p++) {
                    String key = RedisKeys.feedPartition(p);
                    feedEntries += raw.getStream(key, StringCodec.INSTANCE).size();
                    feedBytes += memoryUsage(raw, key);
                }

                Map<String, String> statsBefore = node.getInstance().info(InfoSection.STATS);
                Map<String, String> commandsBefore = node.getInstance().info(InfoSection.COMMANDSTATS);
                run(n, i -> report(store, things.get(i), i, 2));
                Map<String, String> statsAfter = node.getInstance().info(InfoSection.STATS);
                Map<String, String> commandsAfter = node.getInstance().info(InfoSection.COMMANDSTATS);

                StringBuilder out =
                        new StringBuilder("\n=== Redis footprint, ").append(n).append(" things ===\n");
                out.append("per thing, used_memory delta: provision ")
                        .append((afterProvision - base) / n)
                        .append(" B, first report ")
                        .append((afterReport - afterProvision) / n)
                        .append(" B, presence ")
                        .append((afterPresence - afterReport) / n)
                        .append(" B, total ")
                        .append((afterPresence - base) / n)
                        .append(" B\n");
                for (String type : TYPES) {
                    ThingId sample = ThingId.of(type + "-7");
                    out.append(type)
                            .append(": thing ")
                            .append(memoryUsage(raw, RedisKeys.thing(sample)))
                            .append(" B, shadow ")
                            .append(memoryUsage(raw, RedisKeys.shadow(sample)))
                            .append(" B, presence ")
                            .append(memoryUsage(raw, RedisKeys.presence(sample)))
                            .append(" B, clientToken ")
                            .append(memoryUsage(
                                    raw,
                                    RedisKeys.clientToken(
                                            sample, Requester.thing(sample), "r2-" + things.indexOf(sample))))
                            .append(" B\n");
                }
                out.append("feed: ")
                        .append(feedEntries)
                        .append(" entries, ")
                        .append(feedBytes)
                        .append(" B, ")
                        .append(feedEntries == 0 ? 0 : feedBytes / feedEntries)
                        .append(" B per entry\n");
                out.append("all-things index ")
                        .append(memoryUsage(raw, RedisKeys.allThings()) / n)
                        .append(" B per thing, owner index ")
                        .append(memoryUsage(raw, RedisKeys.thingsOfOwner(Owner.of("household-7"))))
                        .append(" B per household\n");
                out.append("per update: net in ")
                        .append(delta(statsBefore, statsAfter, "total_net_input_bytes") / n)
                        .append(" B, net out ")
                        .append(delta(statsBefore, statsAfter, "total_net_output_bytes") / n)
                        .append(" B\n");
                // Commands a script runs are counted on their own as well as inside EVALSHA's time: the update's
                // Redis time is EVALSHA's (plus the separate XADD on a Cluster).
                long totalUsec = 0;
                for (String command : commandsAfter.keySet()) {
                    long calls =
                            field(commandsAfter.get(command), "calls") - field(commandsBefore.get(command), "calls");
                    long usec = field(commandsAfter.get(command), "usec") - field(commandsBefore.get(command), "usec");
                    if (command.endsWith("evalsha")) {
                        totalUsec += usec;
                    }
                    if (calls > 0) {
                        out.append("  ")
                                .append(command)
                                .append(": ")
                                .append(String.format("%.2f", (double) calls / n))
                                .append(" calls, ")
                                .append(String.format("%.1f", (double) usec / n))
                                .append(" us per update\n");
                    }
                }
                Map<String, String> memory = node.getInstance().info(InfoSection.MEMORY);
                out.append("used_memory ")
                        .append(memory.get("used_memory"))
                        .append(" B, used_memory_rss ")
                        .append(memory.get("used_memory_rss"))
                        .append(" B, fragmentation ")
                        .append(memory.get("mem_fragmentation_ratio"))
                        .append('\n');
                out.append("Redis command time per update (EVALSHA, its commands included): ")
                        .append(String.format("%.1f", (double) totalUsec / n))
                        .append(" us\n");
                // As on a Redis Cluster: the commit script, then the feed entry's own XADD (a second round trip).
                try (ShadowStore clusterShaped = ShadowStore.connectAnnouncingAfterCommit(
                        StoreFixture.config(redis.uri()), StoreFixture.MODELS)) {
                    Map<String, String> statsBeforeCluster = node.getInstance().info(InfoSection.STATS);
                    Map<String, String> commandsBeforeCluster =
                            node.getInstance().info(InfoSection.COMMANDSTATS);
                    run(n, i -> report(clusterShaped, things.get(i), i, 3));
                    Map<String, String> statsAfterCluster = node.getInstance().info(InfoSection.STATS);
                    Map<String, String> commandsAfterCluster =
                            node.getInstance().info(InfoSection.COMMANDSTATS);
                    long clusterUsec = 0;
                    for (String command : List.of("cmdstat_evalsha", "cmdstat_xadd")) {
                        clusterUsec += field(commandsAfterCluster.get(command), "usec")
                                - field(commandsBeforeCluster.get(command), "usec");
                    }
                    out.append("Cluster-shaped update (script, then XADD): ")
                            .append(String.format("%.1f", (double) clusterUsec / n))
                            .append(" us of Redis command time, net in ")
                            .append(delta(statsBeforeCluster, statsAfterCluster, "total_net_input_bytes") / n)
                            .append(" B, net out ")
                            .append(delta(statsBeforeCluster, statsAfterCluster, "total_net_output_bytes") / n)
                            .append(" B per update\n");
                }
                System.out.println(out);

                assertThat((afterPresence - base) / n).as("bytes per thing").isBetween(500L, 8_192L);
                assertThat(totalUsec / n).as("Redis microseconds per update").isLessThan(2_000L);
            } finally {
                raw.shutdown();
            }
        }
    }

    private static CompletableFuture<?> report(ShadowStore store, ThingId thing, int index, int round) {
        String type = thing.value().substring(0, thing.value().indexOf('-'));
        String state = switch (type) {
            case "car" -> """
                    {"range": %d, "fuel": {"level": %d.5},
                     "doors": {"frontLeft": {"isOpen": false, "isLocked": true}, "frontRight": {"isOpen": false, "isLocked": true},
                               "rearLeft": {"isOpen": false, "isLocked": true}, "rearRight": {"isOpen": false, "isLocked": true},
                               "trunk": {"isOpen": false, "isLocked": true}},
                     "windows": {"frontLeft": {"isOpen": false}, "frontRight": {"isOpen": false},
                                 "rearLeft": {"isOpen": false}, "rearRight": {"isOpen": false}},
                     "cabin": {"temperature": 4.%d, "heater": {"isOn": false, "targetTemperature": 21}},
                     "location": {"latitude": 48.13743, "longitude": 11.57549}}""".formatted(400 + round, 60 + round, round);
            case "fridge" -> """
                    {"temperature": 4.%d, "targetTemperature": 4, "door": {"isOpen": false}, "superCool": {"isOn": false}}""".formatted(round);
            case "speaker" -> """
                    {"volume": %d, "isMuted": false}""".formatted(30 + round);
            default -> """
                    {"state": "running", "program": "cotton", "remainingMinutes": %d}""".formatted(90 - round);
        };
        String json = "{\"state\": {\"reported\": " + state + "}, \"clientToken\": \"r" + round + "-" + index + "\"}";
        return store.shadows()
                .update(thing, Requester.thing(thing), StoreFixture.request(json))
                .toCompletableFuture()
                .thenAccept(outcome -> {
                    if (!(outcome instanceof UpdateOutcome.Accepted)) {
                        throw new AssertionError(thing + ": " + outcome);
                    }
                });
    }

    /** Runs {@code call} for 0..n-1 with at most {@link #IN_FLIGHT} at once, and waits for all. */
    private static void run(int n, IntFunction<CompletableFuture<?>> call) throws InterruptedException {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<?>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            slots.acquire();
            all.add(call.apply(i).whenComplete((ignored, error) -> slots.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    private static long usedMemory(RedisSingle node) {
        return Long.parseLong(node.getInstance().info(InfoSection.MEMORY).get("used_memory"));
    }

    private static long memoryUsage(RedissonClient raw, String key) {
        Object bytes = raw.getScript(StringCodec.INSTANCE)
                .eval(
                        org.redisson.api.RScript.Mode.READ_ONLY,
                        "return redis.call('MEMORY', 'USAGE', KEYS[1], 'SAMPLES', '0')",
                        org.redisson.api.RScript.ReturnType.LONG,
                        List.of(key));
        return bytes == null ? 0 : (Long) bytes;
    }

    private static long delta(Map<String, String> before, Map<String, String> after, String field) {
        return Long.parseLong(after.get(field)) - Long.parseLong(before.get(field));
    }

    /** A field of a commandstats value such as {@code calls=3,usec=12,usec_per_call=4.00,...}; 0 when absent. */
    private static long field(String stats, String name) {
        if (stats == null) {
            return 0;
        }
        for (String part : stats.split(",")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        return 0;
    }
}
