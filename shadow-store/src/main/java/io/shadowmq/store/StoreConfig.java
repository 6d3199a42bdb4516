package io.shadowmq.store;

import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.store.history.HistoryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How the store reaches Redis and the limits it enforces. Standalone, Sentinel and Cluster are configuration:
 * a single {@code redis://host:port} address (standalone), several comma-separated addresses (the seed nodes of a
 * Redis Cluster), or a Redisson YAML file for anything richer.
 *
 * <pre>{@code
 * StoreConfig config = StoreConfig.of("redis://127.0.0.1:6379", pepper).withTimeout(Duration.ofSeconds(2));
 * StoreConfig cluster = StoreConfig.of("redis://10.0.0.1:7000,redis://10.0.0.2:7000", pepper);
 * }</pre>
 *
 * @param redisAddress        {@code redis://} or {@code rediss://} address of a standalone server, or two or more
 *                            such addresses separated by commas: nodes of a Redis Cluster (any live one is enough
 *                            to find the rest); ignored when {@code redissonConfigFile} is set
 * @param redissonConfigFile  a Redisson YAML configuration (sentinel, cluster, TLS, passwords)
 * @param pepper              the server-side key of the HMAC that hashes thing secrets and API tokens
 * @param timeout             the bound of every store call; past it the caller gets 503
 * @param feedPartitions      how many change-feed streams; households are spread over them by owner
 * @param feedMaxLength       approximate cap of each feed stream (XADD MAXLEN ~)
 * @param idempotencyWindow   how long a clientToken's first result is replayed to a retry
 * @param limits              payload, state and depth limits of shadow documents
 * @param nettyThreads        Redisson's Netty event-loop threads; few are enough on small machines
 * @param memoryReadsFor      how long a shadow read or committed by this process may answer reads from memory
 *                            (ShadowRepository#get): bounds how long a change whose feed entry was lost (a shadow
 *                            deleted or a thing deprovisioned by a process that died before announcing it) can go
 *                            unseen
 * @param replicaAcks         0 (the default): a write is answered once its master has it, and a failover can lose
 *                            the last writes the replica had not yet received. N &gt; 0: every shadow update is
 *                            followed by {@code WAIT N} on the same connection, and accepted only once N replicas
 *                            have it; if fewer confirm within {@link #REPLICA_ACK_TIMEOUT} the caller gets 503 (the
 *                            update may have been applied: a retry with the same clientToken tells)
 * @param redisPassword       the password of the server or Cluster at {@code redisAddress}, or {@code null}; a
 *                            Redisson file carries its own. Never printed
 * @param maxUpdatesInFlight  shadow updates this process works on at once; one more is answered 503 at once (load
 *                            shed early) instead of queueing behind the others until it times out
 * @param history             how much reported history each thing keeps (points and age)
 * @param searchMaxScanThings a search whose filter has no indexed predicate is refused over more things than this
 * @param searchIndex         true (the default): shadow updates keep the search index. False: updates leave the index
 *                            alone (no entries computed, none written; provisioning and deletes still index), so
 *                            searches see things as they were before; only the benchmark turns it off, to measure what
 *                            indexing adds to an update
 */
public record StoreConfig(
        @Nullable String redisAddress,
        @Nullable Path redissonConfigFile,
        @NotNull Pepper pepper,
        @NotNull Duration timeout,
        int feedPartitions,
        long feedMaxLength,
        @NotNull Duration idempotencyWindow,
        @NotNull ShadowLimits limits,
        int nettyThreads,
        @NotNull Duration memoryReadsFor,
        int replicaAcks,
        @Nullable String redisPassword,
        int maxUpdatesInFlight,
        @NotNull HistoryPolicy history,
        int searchMaxScanThings,
        boolean searchIndex) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_FEED_PARTITIONS = 8;
    public static final long DEFAULT_FEED_MAX_LENGTH = 100_000;
    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofSeconds(60);
    public static final int DEFAULT_NETTY_THREADS = 4;
    public static final Duration DEFAULT_MEMORY_READS_FOR = Duration.ofSeconds(30);
    /** The most replicas {@code replicaAcks} may ask for. */
    public static final int MAX_REPLICA_ACKS = 16;
    /** How long a write waits for its replicas when {@code replicaAcks} asks for them. */
    public static final Duration REPLICA_ACK_TIMEOUT = Duration.ofMillis(500);

    public static final int DEFAULT_MAX_UPDATES_IN_FLIGHT = 256;
    public static final int DEFAULT_SEARCH_MAX_SCAN_THINGS = 10_000;

    public StoreConfig {
        if (redisAddress == null && redissonConfigFile == null) {
            throw new IllegalArgumentException("either a Redis address or a Redisson config file is required");
        }
        if (redisAddress != null) {
            for (String address : redisAddress.split(",", -1)) {
                if (!address.strip().matches("^rediss?://[^\\s]+")) {
                    throw new IllegalArgumentException("Redis address must look like redis://host:port, or list"
                            + " Cluster nodes as redis://host1:port1,redis://host2:port2; was '" + redisAddress + "'");
                }
            }
        }
        Objects.requireNonNull(pepper, "pepper");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (feedPartitions < 1 || feedPartitions > 1024) {
            throw new IllegalArgumentException("feedPartitions must be 1..1024, was " + feedPartitions);
        }
        if (feedMaxLength < 100) {
            throw new IllegalArgumentException("feedMaxLength must be at least 100, was " + feedMaxLength);
        }
        if (nettyThreads < 1) {
            throw new IllegalArgumentException("nettyThreads must be at least 1, was " + nettyThreads);
        }
        if (memoryReadsFor.isNegative()) {
            throw new IllegalArgumentException("memoryReadsFor must not be negative, was " + memoryReadsFor);
        }
        if (replicaAcks < 0 || replicaAcks > MAX_REPLICA_ACKS) {
            throw new IllegalArgumentException("replicaAcks must be 0.." + MAX_REPLICA_ACKS + ", was " + replicaAcks);
        }
        if (maxUpdatesInFlight < 1) {
            throw new IllegalArgumentException("maxUpdatesInFlight must be at least 1, was " + maxUpdatesInFlight);
        }
        Objects.requireNonNull(history, "history");
        if (searchMaxScanThings < 1) {
            throw new IllegalArgumentException("searchMaxScanThings must be at least 1, was " + searchMaxScanThings);
        }
    }

    public static @NotNull StoreConfig of(@NotNull String redisAddress, @NotNull Pepper pepper) {
        return defaults(redisAddress, null, pepper);
    }

    /** A Redis Cluster found through any of {@code nodeAddresses} ({@code redis://host:port} each). */
    public static @NotNull StoreConfig ofCluster(@NotNull List<String> nodeAddresses, @NotNull Pepper pepper) {
        if (nodeAddresses.size() < 2) {
            throw new IllegalArgumentException("a Redis Cluster needs at least two node addresses here (one alone"
                    + " means a standalone server; a Redisson YAML file can name a cluster by one), was "
                    + nodeAddresses);
        }
        return of(String.join(",", nodeAddresses), pepper);
    }

    /**
     * The Redis Cluster node addresses {@code redisAddress} lists, when it lists more than one; empty for a standalone
     * address and for a Redisson file (where the file says what it is).
     */
    public @NotNull List<String> clusterNodes() {
        if (redissonConfigFile != null || redisAddress == null || !redisAddress.contains(",")) {
            return List.of();
        }
        return Arrays.stream(redisAddress.split(",")).map(String::strip).toList();
    }

    public static @NotNull StoreConfig ofRedissonFile(@NotNull Path redissonConfigFile, @NotNull Pepper pepper) {
        return defaults(null, redissonConfigFile, pepper);
    }

    private static StoreConfig defaults(
            @Nullable String redisAddress, @Nullable Path redissonConfigFile, Pepper pepper) {
        return new StoreConfig(
                redisAddress,
                redissonConfigFile,
                pepper,
                DEFAULT_TIMEOUT,
                DEFAULT_FEED_PARTITIONS,
                DEFAULT_FEED_MAX_LENGTH,
                DEFAULT_IDEMPOTENCY_WINDOW,
                ShadowLimits.DEFAULT,
                DEFAULT_NETTY_THREADS,
                DEFAULT_MEMORY_READS_FOR,
                0,
                null,
                DEFAULT_MAX_UPDATES_IN_FLIGHT,
                HistoryPolicy.DEFAULT,
                DEFAULT_SEARCH_MAX_SCAN_THINGS,
                true);
    }

    public @NotNull StoreConfig withTimeout(@NotNull Duration value) {
        return edit(draft -> draft.timeout = value);
    }

    public @NotNull StoreConfig withFeed(int partitions, long maxLength) {
        return edit(draft -> {
            draft.feedPartitions = partitions;
            draft.feedMaxLength = maxLength;
        });
    }

    public @NotNull StoreConfig withIdempotencyWindow(@NotNull Duration value) {
        return edit(draft -> draft.idempotencyWindow = value);
    }

    public @NotNull StoreConfig withLimits(@NotNull ShadowLimits value) {
        return edit(draft -> draft.limits = value);
    }

    public @NotNull StoreConfig withNettyThreads(int value) {
        return edit(draft -> draft.nettyThreads = value);
    }

    public @NotNull StoreConfig withMemoryReadsFor(@NotNull Duration value) {
        return edit(draft -> draft.memoryReadsFor = value);
    }

    public @NotNull StoreConfig withReplicaAcks(int value) {
        return edit(draft -> draft.replicaAcks = value);
    }

    public @NotNull StoreConfig withMaxUpdatesInFlight(int value) {
        return edit(draft -> draft.maxUpdatesInFlight = value);
    }

    public @NotNull StoreConfig withHistory(@NotNull HistoryPolicy value) {
        return edit(draft -> draft.history = value);
    }

    public @NotNull StoreConfig withSearchMaxScanThings(int value) {
        return edit(draft -> draft.searchMaxScanThings = value);
    }

    /** Whether shadow updates keep the search index (see {@link #searchIndex()}); true by default. */
    public @NotNull StoreConfig withSearchIndex(boolean value) {
        return edit(draft -> draft.searchIndex = value);
    }

    /** The password of the Redis at {@link #redisAddress()}; {@code null} for none. */
    public @NotNull StoreConfig withRedisPassword(@Nullable String value) {
        return edit(draft -> draft.redisPassword = value);
    }

    /** A copy with what {@code change} sets on a draft of this one; the canonical constructor checks the result. */
    private StoreConfig edit(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.build();
    }

    /** The components of a config being copied with some of them changed. */
    private static final class Draft {
        private final String redisAddress;
        private final Path redissonConfigFile;
        private final Pepper pepper;
        Duration timeout;
        int feedPartitions;
        long feedMaxLength;
        Duration idempotencyWindow;
        ShadowLimits limits;
        int nettyThreads;
        Duration memoryReadsFor;
        int replicaAcks;
        String redisPassword;
        int maxUpdatesInFlight;
        HistoryPolicy history;
        int searchMaxScanThings;
        boolean searchIndex;

        Draft(StoreConfig from) {
            redisAddress = from.redisAddress;
            redissonConfigFile = from.redissonConfigFile;
            pepper = from.pepper;
            timeout = from.timeout;
            feedPartitions = from.feedPartitions;
            feedMaxLength = from.feedMaxLength;
            idempotencyWindow = from.idempotencyWindow;
            limits = from.limits;
            nettyThreads = from.nettyThreads;
            memoryReadsFor = from.memoryReadsFor;
            replicaAcks = from.replicaAcks;
            redisPassword = from.redisPassword;
            maxUpdatesInFlight = from.maxUpdatesInFlight;
            history = from.history;
            searchMaxScanThings = from.searchMaxScanThings;
            searchIndex = from.searchIndex;
        }

        StoreConfig build() {
            return new StoreConfig(
                    redisAddress,
                    redissonConfigFile,
                    pepper,
                    timeout,
                    feedPartitions,
                    feedMaxLength,
                    idempotencyWindow,
                    limits,
                    nettyThreads,
                    memoryReadsFor,
                    replicaAcks,
                    redisPassword,
                    maxUpdatesInFlight,
                    history,
                    searchMaxScanThings,
                    searchIndex);
        }
    }

    @Override
    public String toString() {
        // Never print the pepper or the password.
        return "StoreConfig[redis=" + (redissonConfigFile != null ? redissonConfigFile : redisAddress)
                + ", timeout=" + timeout + ", feedPartitions=" + feedPartitions + ", feedMaxLength=" + feedMaxLength
                + ", idempotencyWindow=" + idempotencyWindow + ", limits=" + limits + ", memoryReadsFor="
                + memoryReadsFor + ", replicaAcks=" + replicaAcks + ", maxUpdatesInFlight=" + maxUpdatesInFlight
                + ", history="
                + history + ", searchMaxScanThings=" + searchMaxScanThings + ", searchIndex=" + searchIndex + "]";
    }
}
