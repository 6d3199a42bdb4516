package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves one hash slot of a {@link RedisCluster} from the master that serves it to another master, the way
 * {@code redis-cli --cluster reshard} does, in steps a test can interleave with its traffic:
 * {@link RedisCluster#beginSlotMigration} marks the slot {@code IMPORTING} on the target and {@code MIGRATING} on the
 * source; {@link #moveKeys(int)} moves some of its keys with {@code MIGRATE}; {@link #finish()} moves the rest and
 * gives the slot to the target on every master ({@code CLUSTER SETSLOT <slot> NODE}). Meanwhile the source answers
 * a command one of whose keys it no longer holds with {@code ASK} to the target, and the target refuses a multi-key
 * command (or script) some of whose keys it does not hold yet with {@code TRYAGAIN}; after it, the source answers
 * {@code MOVED}.
 *
 * <pre>{@code
 * SlotMigration migration = cluster.beginSlotMigration(slot, cluster.master(2));
 * while (migration.moveKeys(1) > 0) { sendSomeTraffic(); }
 * migration.finish();
 * }</pre>
 */
public final class SlotMigration {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final int MIGRATE_TIMEOUT_MILLIS = 2_000;
    private static final int FINISH_BATCH = 100;

    private static final Logger log = LoggerFactory.getLogger(SlotMigration.class);

    private final RedisCluster cluster;
    private final int slot;
    private final RedisServerProcess source;
    private final RedisServerProcess target;
    private final String targetId;
    private int moved;

    private SlotMigration(
            @NotNull RedisCluster cluster,
            int slot,
            @NotNull RedisServerProcess source,
            @NotNull RedisServerProcess target,
            @NotNull String targetId) {
        this.cluster = cluster;
        this.slot = slot;
        this.source = source;
        this.target = target;
        this.targetId = targetId;
    }

    static @NotNull SlotMigration begin(@NotNull RedisCluster cluster, int slot, @NotNull RedisServerProcess target)
            throws IOException {
        if (slot < 0 || slot >= RedisCluster.SLOTS) {
            throw new IllegalArgumentException("slot must be 0.." + (RedisCluster.SLOTS - 1) + ", was " + slot);
        }
        RedisServerProcess source = cluster.masterOfSlot(slot);
        if (source == target) {
            throw new IllegalArgumentException("slot " + slot + " is already served by " + target.uri());
        }
        String sourceId = cluster.nodeId(source);
        String targetId = cluster.nodeId(target);
        // Target first: once the source says MIGRATING and sends ASK, the target must already accept ASKING.
        RedisCluster.command(target, "CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING", sourceId);
        RedisCluster.command(source, "CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", targetId);
        log.info("slot {} migrating from {} to {}", slot, source.uri(), target.uri());
        return new SlotMigration(cluster, slot, source, target, targetId);
    }

    /**
     * Moves up to {@code maxKeys} of the slot's keys still on the source to the target.
     *
     * @return how many it moved; 0 once the source holds none of the slot's keys
     */
    public int moveKeys(int maxKeys) throws IOException {
        List<String> keys = RedisPing.arrayCommand(
                source.host(),
                source.port(),
                COMMAND_TIMEOUT,
                "CLUSTER",
                "GETKEYSINSLOT",
                String.valueOf(slot),
                String.valueOf(maxKeys));
        if (keys.isEmpty()) {
            return 0;
        }
        List<String> migrate = new ArrayList<>(List.of(
                "MIGRATE",
                target.host(),
                String.valueOf(target.port()),
                "",
                "0",
                String.valueOf(MIGRATE_TIMEOUT_MILLIS),
                "KEYS"));
        migrate.addAll(keys);
        RedisCluster.command(source, migrate.toArray(String[]::new));
        moved += keys.size();
        return keys.size();
    }

    /** Moves every key left and gives the slot to the target on every master; returns the keys moved in all. */
    public int finish() throws IOException {
        while (moveKeys(FINISH_BATCH) > 0) {
            // until the source has none left
        }
        // Target and source first (as redis-cli does), so that neither redirects to the other in a loop meanwhile.
        setNode(target);
        setNode(source);
        for (int m = 0; m < cluster.masterCount(); m++) {
            RedisServerProcess master = cluster.master(m);
            if (master != source && master != target && master.isRunning()) {
                setNode(master);
            }
        }
        log.info("slot {} now served by {} ({} keys moved)", slot, target.uri(), moved);
        return moved;
    }

    /** The slot being moved. */
    public int slot() {
        return slot;
    }

    private void setNode(@NotNull RedisServerProcess node) throws IOException {
        RedisCluster.command(node, "CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", targetId);
    }
}
