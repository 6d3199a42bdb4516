package io.shadowmq.store.redis;

import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.redisson.connection.CRC16;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Every Redis key the store uses, named in one place. All keys of one thing share the hash tag {@code {thingId}},
 * so the scripts that touch several of them stay on one Redis Cluster slot. Ids are validated by {@link ThingId}
 * and {@link Owner}, so no key can be smuggled in through them.
 */
public final class RedisKeys {

    private static final String PREFIX = "smq:";
    private static final int CLUSTER_SLOTS = 16_384;

    private RedisKeys() {}

    /**
     * What every key of the search index starts with: one hash tag, so the index is one Cluster slot and a search is
     * one script (search-index.lua names the keys under it).
     */
    public static final String SEARCH_INDEX_PREFIX = PREFIX + "{ix}:";

    /** Hash: what the search index holds of each thing ({@code <version>|<entries JSON>}), by thing id. */
    public static @NotNull String searchRecords() {
        return SEARCH_INDEX_PREFIX + "rec";
    }

    /** Sorted set (scores 0): every thing in the search index. */
    public static @NotNull String searchIds() {
        return SEARCH_INDEX_PREFIX + "ids";
    }

    /**
     * Stream: the thing's reported history, one entry per update that changed a reported value (field {@code e}:
     * {@code ReportedHistory}'s stored form), trimmed by count and age.
     */
    public static @NotNull String history(@NotNull ThingId thing) {
        return PREFIX + "{" + thing.value() + "}:history";
    }

    /** Hash: {@code type}, {@code owner}, {@code createdAt}, {@code secretHash}. */
    public static @NotNull String thing(@NotNull ThingId thing) {
        return PREFIX + "{" + thing.value() + "}:thing";
    }

    /** Hash: {@code doc} (the stored document, absent after delete) and {@code version} (kept across delete). */
    public static @NotNull String shadow(@NotNull ThingId thing) {
        return PREFIX + "{" + thing.value() + "}:shadow";
    }

    /**
     * String with a TTL: the fingerprint and first result of {@code requester}'s update carrying this clientToken.
     * The requester never holds a second {@code :}, so no token can make two requesters' keys meet; the thing's hash
     * tag comes first, so the key shares the shadow's Cluster slot whatever the token holds.
     */
    public static @NotNull String clientToken(
            @NotNull ThingId thing, @NotNull Requester requester, @NotNull String clientToken) {
        return PREFIX + "{" + thing.value() + "}:request:" + requester.value() + ":" + clientToken;
    }

    /** String with a TTL: which process has the next guaranteed commit of this thing's shadow (see update.lua). */
    public static @NotNull String writerLease(@NotNull ThingId thing) {
        return PREFIX + "{" + thing.value() + "}:lease";
    }

    /**
     * Hash: {@code session} ({@code node/run/counter}), {@code node}, {@code connected}, {@code lastConnectedAt},
     * {@code lastDisconnectedAt}, and {@code reaped} ("1" while the session was ended by a reaper because its broker
     * run's lease expired, not by its own disconnect).
     */
    public static @NotNull String presence(@NotNull ThingId thing) {
        return PREFIX + "{" + thing.value() + "}:presence";
    }

    /** A SCAN pattern matching every {@link #presence} key. */
    public static @NotNull String presencePattern() {
        return PREFIX + "{*}:presence";
    }

    /** The thing whose {@link #presence} key this is; empty for any other key. */
    public static @NotNull Optional<ThingId> thingOfPresence(@NotNull String key) {
        String head = PREFIX + "{";
        String tail = "}:presence";
        if (!key.startsWith(head) || !key.endsWith(tail) || key.length() <= head.length() + tail.length()) {
            return Optional.empty();
        }
        String id = key.substring(head.length(), key.length() - tail.length());
        return ThingId.isValid(id) ? Optional.of(ThingId.of(id)) : Optional.empty();
    }

    /**
     * Set: every broker run ({@code node/run}) that took a liveness lease and was not yet reaped or stopped. One
     * small key for the whole platform (a few members per broker process), read by every reaper.
     */
    public static @NotNull String brokerRuns() {
        return PREFIX + "brokers";
    }

    /**
     * String with a TTL: the liveness lease of a broker run ({@code node/run}), renewed while it lives. The run is its
     * own hash tag, so its lease, its things and its reaping claim share one Cluster slot (and runs spread over the
     * Cluster); the run is validated by the caller ({@code BrokerLeases}).
     */
    public static @NotNull String brokerLease(@NotNull String run) {
        return PREFIX + "broker:{" + run + "}:lease";
    }

    /**
     * Set: the things a broker run recorded connected (tagged before the presence record names the run), for the
     * reaper to correct when the run dies.
     */
    public static @NotNull String brokerThings(@NotNull String run) {
        return PREFIX + "broker:{" + run + "}:things";
    }

    /** String with a TTL: which reaper is ending a dead broker run's sessions, so others leave it to it. */
    public static @NotNull String brokerReaping(@NotNull String run) {
        return PREFIX + "broker:{" + run + "}:reaping";
    }

    /** Sorted set (all scores 0, ordered by id) of every provisioned thing. */
    public static @NotNull String allThings() {
        return PREFIX + "things";
    }

    public static @NotNull String thingsOfOwner(@NotNull Owner owner) {
        return PREFIX + "owner:{" + owner.value() + "}:things";
    }

    public static @NotNull String thingsOfType(@NotNull String type) {
        return PREFIX + "type:{" + type + "}:things";
    }

    /** Hash: {@code name}, {@code scopes}, {@code owners}, {@code tokenHash}, {@code createdAt}. */
    public static @NotNull String apiKey(@NotNull String keyId) {
        return PREFIX + "apikey:{" + keyId + "}";
    }

    /**
     * Set: the broker nodes that need this thing's changes (a session or a subscription of theirs concerns it). The
     * writer of a change reads it in the commit's slot and appends the change to each of those nodes' inboxes.
     */
    public static @NotNull String watchers(@NotNull ThingId thing) {
        return PREFIX + "{" + thing.value() + "}:watchers";
    }

    /**
     * Stream with a TTL its node keeps renewing: the changes of the things the node watches. Each inbox has its own
     * hash tag, so a Cluster spreads them; the node id is checked by the caller ({@code NodeFeed.NODE_ID}).
     */
    public static @NotNull String nodeInbox(@NotNull String node) {
        return INBOX_PREFIX + node + "}";
    }

    /** What {@link #nodeInbox} names start with (the update script appends to inboxes by node id). */
    public static final String INBOX_PREFIX = PREFIX + "inbox:{";

    /**
     * Stream: every change each node must hear whatever it watches (secret rotated, thing deleted, grants changed),
     * read by every broker node and service. Its name predates grants: it first carried credential changes only.
     */
    public static @NotNull String everyNodeFeed() {
        return PREFIX + "feed:{credentials}";
    }

    /**
     * Hash: the settings every node of one installation must share, as the first node wrote them
     * ({@code pepperCheck}, {@code feedPartitions}, {@code recordedAt}). One key, so one Cluster slot.
     */
    public static @NotNull String platform() {
        return PREFIX + "platform";
    }

    /**
     * The Redis Cluster hash slot of {@code key}: CRC16 of its hash tag (the text between the first {@code {} and
     * the next {@code }}, if not empty), else of the whole key, modulo 16384.
     */
    public static int slot(@NotNull String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        return CRC16.crc16(key.getBytes(StandardCharsets.UTF_8)) % CLUSTER_SLOTS;
    }

    /**
     * Checks that one script call's keys share a slot, as a Redis Cluster demands of a script.
     *
     * @throws IllegalArgumentException naming the script and each key's slot otherwise
     */
    static void requireOneSlot(@NotNull String script, @NotNull List<?> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("script " + script + " is given no key: a Redis Cluster could not"
                    + " route it; pass every key it touches in KEYS");
        }
        int first = slot(keys.get(0).toString());
        for (Object key : keys) {
            if (slot(key.toString()) != first) {
                throw new IllegalArgumentException("script " + script + " is given keys in different Redis Cluster"
                        + " slots, which a cluster refuses (CROSSSLOT): "
                        + keys.stream()
                                .map(k -> k + " (slot " + slot(k.toString()) + ")")
                                .toList());
            }
        }
    }

    /** Stream: one change-feed partition. Partitions have their own hash tags, so a cluster spreads them. */
    public static @NotNull String feedPartition(int partition) {
        return PREFIX + "feed:{" + partition + "}";
    }

    /**
     * Sorted set: one partition of the due index (members {@code kind|thing[|detail]}, scored by when they are due,
     * epoch ms). Partitions have their own hash tags, so a Cluster spreads them.
     */
    public static @NotNull String due(int partition) {
        return PREFIX + "due:{" + partition + "}";
    }

    /** Hash: one command's fields (action, input, status, timestamps, progress, output, reason, rev). */
    public static @NotNull String command(@NotNull ThingId thing, @NotNull String commandId) {
        return PREFIX + "{" + thing.value() + "}:cmd:" + commandId;
    }

    /** What the {@link #command} keys of a thing start with (its scripts name commands by id). */
    public static @NotNull String commandPrefix(@NotNull ThingId thing) {
        return PREFIX + "{" + thing.value() + "}:cmd:";
    }

    /** List: the ids of a thing's commands that are not final, oldest first (the queue and what is in flight). */
    public static @NotNull String openCommands(@NotNull ThingId thing) {
        return PREFIX + "{" + thing.value() + "}:cmds:open";
    }

    /** Sorted set: the ids of all a thing's kept commands, scored by creation (epoch ms), for listing. */
    public static @NotNull String allCommands(@NotNull ThingId thing) {
        return PREFIX + "{" + thing.value() + "}:cmds:all";
    }

    /**
     * String with a TTL: the fingerprint of the invocation that used an idempotency key, and its command id. The
     * thing's hash tag comes first, so the key shares its slot whatever the key holds.
     */
    public static @NotNull String commandIdempotency(@NotNull ThingId thing, @NotNull String idempotencyKey) {
        return PREFIX + "{" + thing.value() + "}:cmds:idem:" + idempotencyKey;
    }

    /**
     * Hash: {@code def} (the schedule's JSON), {@code type} (its target's model) and {@code after} (epoch ms: every
     * occurrence up to it has been handled). The schedule id is the hash tag, shared with its {@link #scheduleRuns}.
     */
    public static @NotNull String schedule(@NotNull String scheduleId) {
        return PREFIX + "sched:{" + scheduleId + "}";
    }

    /** List, newest first, bounded: the recorded runs of a schedule (JSON each). */
    public static @NotNull String scheduleRuns(@NotNull String scheduleId) {
        return PREFIX + "sched:{" + scheduleId + "}:runs";
    }

    /**
     * Hash: the grants of a household, field = grant id, value = the grant's JSON ({@code GrantJson}). The owner is
     * the hash tag, shared with its {@link #audit} trail and other household keys.
     */
    public static @NotNull String grants(@NotNull Owner owner) {
        return PREFIX + "owner:{" + owner.value() + "}:grants";
    }

    /**
     * Stream: the audit trail of a household, newest last, trimmed to about {@code AuditLog.MAX_ENTRIES} and its
     * retention; fields {@code at}, {@code actor}, {@code target}, {@code operation}, {@code paths} (JSON array),
     * {@code code}.
     */
    public static @NotNull String audit(@NotNull Owner owner) {
        return PREFIX + "owner:{" + owner.value() + "}:audit";
    }

    /** Set: the schedule ids of a household. */
    public static @NotNull String schedulesOfOwner(@NotNull Owner owner) {
        return PREFIX + "owner:{" + owner.value() + "}:schedules";
    }
}
