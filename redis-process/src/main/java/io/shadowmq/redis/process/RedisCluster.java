package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real Redis Cluster on loopback: {@code masters} {@code redis-server --cluster-enabled yes} child processes
 * sharing the 16384 slots evenly, each with {@code replicasPerMaster} replicas. No redis-cli is needed: the cluster
 * is formed over RESP, as redis-cli would do it — {@code CLUSTER ADDSLOTSRANGE} (or {@code ADDSLOTS} on Redis 6),
 * {@code CLUSTER SET-CONFIG-EPOCH}, {@code CLUSTER MEET}, {@code CLUSTER REPLICATE} — and {@link Builder#start()}
 * returns only once every node says {@code cluster_state:ok}, every node shows the same slot map, and every replica's
 * replication link is up.
 *
 * <p>Each node runs in a directory of its own ({@code node-0}, {@code node-1}, ... under the data dir, or under a
 * temporary directory deleted by {@link #close()}), where it keeps its {@code nodes.conf}. So a node that was
 * {@link #kill killed} comes back into the same cluster, on the same port, with {@code node.start()}; and a cluster
 * started again on a data dir that already holds a formed cluster comes back on its old ports instead of being
 * formed anew.
 *
 * <p>{@link #master(int)} and {@link #replicasOf(int)} name the nodes by the role they were started in; after a
 * failover the roles have changed, and {@link #masterOf(String)} tells who serves a key now.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.builder().masters(3).replicasPerMaster(1)
 *         .nodeTimeout(Duration.ofSeconds(2)).start()) {
 *     connectTo(cluster.nodeUris());            // [redis://127.0.0.1:41234, redis://127.0.0.1:41235, ...]
 *     cluster.kill(cluster.master(0));          // SIGKILL; its replica takes over after the node timeout
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {

    /** The number of hash slots of every Redis Cluster. */
    public static final int SLOTS = 16_384;
    /** How long {@link Builder#start()} waits for the cluster to settle unless told otherwise. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /** {@code cluster-node-timeout} unless told otherwise: how long a master may be unreachable before failover. */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(5);

    /** A node's cluster bus listens on its port + 10000, so client ports stay at or below this. */
    static final int HIGHEST_CLIENT_PORT = 65_535 - 10_000;

    private static final int PORT_PICK_ATTEMPTS = 100;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final long POLL_INTERVAL_MILLIS = 50;

    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);

    private final List<RedisServerProcess> masters;
    private final List<List<RedisServerProcess>> replicas;
    private final @Nullable Path temporaryDir;

    private RedisCluster(
            @NotNull List<RedisServerProcess> masters,
            @NotNull List<List<RedisServerProcess>> replicas,
            @Nullable Path temporaryDir) {
        this.masters = List.copyOf(masters);
        this.replicas = replicas.stream().map(List::copyOf).toList();
        this.temporaryDir = temporaryDir;
    }

    /** A builder with the defaults: 3 masters, no replicas, nothing kept on disk, node timeout 5 s. */
    public static @NotNull Builder builder() {
        return new Builder();
    }

    /** Every node, masters first (in order), then the replicas of master 0, of master 1, ... */
    public @NotNull List<RedisServerProcess> nodes() {
        List<RedisServerProcess> all = new ArrayList<>(masters);
        replicas.forEach(all::addAll);
        return List.copyOf(all);
    }

    /** {@code redis://127.0.0.1:PORT} of every node, in the order of {@link #nodes()}: a client's seed list. */
    public @NotNull List<String> nodeUris() {
        return nodes().stream().map(RedisServerProcess::uri).toList();
    }

    /** The number of masters the cluster was started with. */
    public int masterCount() {
        return masters.size();
    }

    /** The node started as master {@code index} (0-based), serving the {@code index}-th share of the slots. */
    public @NotNull RedisServerProcess master(int index) {
        return masters.get(Objects.checkIndex(index, masters.size()));
    }

    /** The nodes started as masters, in slot order. */
    public @NotNull List<RedisServerProcess> masters() {
        return masters;
    }

    /** The nodes started as replicas of master {@code index}; empty without replicas. */
    public @NotNull List<RedisServerProcess> replicasOf(int index) {
        return replicas.get(Objects.checkIndex(index, masters.size()));
    }

    /** The first slot and the last slot (inclusive) given to master {@code index} at formation. */
    public static int @NotNull [] slotRange(int index, int masterCount) {
        return new int[] {index * SLOTS / masterCount, (index + 1) * SLOTS / masterCount - 1};
    }

    /**
     * The node that serves {@code slot} now, as the first live node that answers sees it (after a failover,
     * possibly a former replica).
     *
     * @throws IOException if no live node answers or none claims the slot
     */
    public @NotNull RedisServerProcess masterOfSlot(int slot) throws IOException {
        ClusterNodesView view = anyLiveView();
        for (ClusterNodesView.Node node : view.nodes()) {
            if (node.isMaster() && !node.isTroubled() && serves(node.slots(), slot)) {
                return byPort(node.port());
            }
        }
        throw new IOException("no live master serves slot " + slot + " in " + view.slotMap());
    }

    /** The node that serves {@code key} now; see {@link #masterOfSlot(int)} and {@link ClusterSlot#of(String)}. */
    public @NotNull RedisServerProcess masterOf(@NotNull String key) throws IOException {
        return masterOfSlot(ClusterSlot.of(key));
    }

    /** The cluster node id of {@code node} ({@code CLUSTER MYID}). */
    public @NotNull String nodeId(@NotNull RedisServerProcess node) throws IOException {
        return command(node, "CLUSTER", "MYID").orElseThrow(() -> new IOException("CLUSTER MYID gave no id"));
    }

    /**
     * Starts moving {@code slot} from the master that serves it to {@code target} (another master); see
     * {@link SlotMigration} for the steps.
     *
     * @throws IllegalArgumentException if {@code target} already serves the slot or is no node of this cluster
     */
    public @NotNull SlotMigration beginSlotMigration(int slot, @NotNull RedisServerProcess target) throws IOException {
        requireMember(target);
        return SlotMigration.begin(this, slot, target);
    }

    /**
     * Kills {@code node} with SIGKILL, by its PID, and waits until it is gone: no goodbye, no save, like a crash.
     * {@code node.start()} brings it back into the cluster later (as a replica if it was replaced meanwhile).
     */
    public void kill(@NotNull RedisServerProcess node) {
        requireMember(node);
        node.kill();
    }

    /**
     * Waits until every running node says {@code cluster_state:ok}, agrees on the slot map, sees no live node
     * failing and sees every slot served by a running node: e.g. after a killed master's replica has been promoted, or a killed node has come back.
     *
     * @throws IOException if that does not happen within {@code timeout}; the message shows each node's view
     */
    public void awaitSettled(@NotNull Duration timeout) throws IOException {
        awaitUntil("cluster settled (cluster_state:ok and one slot map on every running node)", timeout, this::settled);
    }

    /** Stops every node (by PID if it does not shut down in time) and deletes the temporary directory, if any. */
    @Override
    public void close() {
        nodes().forEach(RedisServerProcess::stop);
        deleteTemporaryDir(temporaryDir);
    }

    @Override
    public String toString() {
        return "RedisCluster" + nodeUris();
    }

    private boolean settled() throws IOException {
        String agreed = null;
        for (RedisServerProcess node : nodes()) {
            if (!node.isRunning()) {
                continue;
            }
            String info = command(node, "CLUSTER", "INFO").orElse("");
            if (!info.contains("cluster_state:ok")) {
                return false;
            }
            ClusterNodesView view =
                    ClusterNodesView.parse(command(node, "CLUSTER", "NODES").orElse(""));
            if (!liveNodesUntroubled(view)) {
                return false;
            }
            String map = view.slotMap();
            if (agreed == null) {
                agreed = map;
            } else if (!agreed.equals(map)) {
                return false;
            }
        }
        return agreed != null;
    }

    /**
     * Nodes that are running are seen as healthy, and every slot is served by a running node. A node killed on
     * purpose may stay marked failing; until its replica took over its slots, the cluster has not settled.
     */
    private boolean liveNodesUntroubled(@NotNull ClusterNodesView view) {
        for (ClusterNodesView.Node node : view.nodes()) {
            boolean running = isRunning(node.port());
            if (node.isTroubled() && running || node.isMaster() && !node.slots().isEmpty() && !running) {
                return false;
            }
        }
        return true;
    }

    private boolean isRunning(int port) {
        return nodes().stream().anyMatch(n -> n.isRunning() && n.port() == port);
    }

    private @NotNull ClusterNodesView anyLiveView() throws IOException {
        IOException last = null;
        for (RedisServerProcess node : nodes()) {
            if (node.isRunning()) {
                try {
                    return ClusterNodesView.parse(
                            command(node, "CLUSTER", "NODES").orElse(""));
                } catch (IOException e) {
                    last = e;
                }
            }
        }
        throw last != null ? last : new IOException("no node of " + this + " is running");
    }

    private @NotNull RedisServerProcess byPort(int port) throws IOException {
        return nodes().stream()
                .filter(n -> n.port() == port)
                .findFirst()
                .orElseThrow(() -> new IOException("port " + port + " is no node of " + this));
    }

    private void requireMember(@NotNull RedisServerProcess node) {
        if (nodes().stream().noneMatch(n -> n == node)) {
            throw new IllegalArgumentException(node + " is no node of " + this);
        }
    }

    private static boolean serves(@NotNull List<String> ranges, int slot) {
        for (String range : ranges) {
            int dash = range.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
            if (slot >= first && slot <= last) {
                return true;
            }
        }
        return false;
    }

    static @NotNull Optional<String> command(@NotNull RedisServerProcess node, @NotNull String... args)
            throws IOException {
        return RedisPing.command(node.host(), node.port(), COMMAND_TIMEOUT, args);
    }

    private static void awaitUntil(@NotNull String what, @NotNull Duration timeout, @NotNull Check check)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException lastError = null;
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IOException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("Redis cluster not ready within " + timeout.toMillis() + " ms: waited for " + what
                        + (lastError == null ? "" : "; last error: " + lastError.getMessage()));
            }
            try {
                Thread.sleep(POLL_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + what);
            }
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws IOException;
    }

    private static void deleteTemporaryDir(@Nullable Path dir) {
        if (dir != null) {
            RedisServerProcess.deleteRecursively(dir);
        }
    }

    /**
     * A free loopback port whose cluster bus port (+10000) is free and valid too: an ephemeral port above
     * {@value #HIGHEST_CLIENT_PORT} would give the bus no port at all.
     */
    static int pickClusterPort(@NotNull String bind) throws IOException {
        InetAddress address = InetAddress.getByName(bind);
        for (int attempt = 0; attempt < PORT_PICK_ATTEMPTS; attempt++) {
            int port = RedisServerProcess.pickFreePort(bind);
            if (port > HIGHEST_CLIENT_PORT) {
                continue;
            }
            try (ServerSocket bus = new ServerSocket(port + 10_000, 1, address)) {
                return port;
            } catch (IOException busTaken) {
                // try another
            }
        }
        throw new IOException(
                "found no free port pair (port, port + 10000) on " + bind + " in " + PORT_PICK_ATTEMPTS + " attempts");
    }

    /**
     * Settings for a {@link RedisCluster}; every one is optional.
     *
     * <pre>{@code RedisCluster cluster = RedisCluster.builder().masters(3).replicasPerMaster(1).start();}</pre>
     */
    public static final class Builder {
        private int masters = 3;
        private int replicasPerMaster = 0;
        private @Nullable Path dataDir;
        private boolean appendOnly = false;
        private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private @Nullable Path executable;
        private final List<String> extraArgs = new ArrayList<>();

        private Builder() {}

        /** How many masters share the slots; default 3, at least 1. */
        public @NotNull Builder masters(int masters) {
            if (masters < 1 || masters > SLOTS) {
                throw new IllegalArgumentException("masters must be 1.." + SLOTS + ", was " + masters);
            }
            this.masters = masters;
            return this;
        }

        /** How many replicas each master gets; default 0. */
        public @NotNull Builder replicasPerMaster(int replicasPerMaster) {
            if (replicasPerMaster < 0) {
                throw new IllegalArgumentException("replicasPerMaster must be 0 or more, was " + replicasPerMaster);
            }
            this.replicasPerMaster = replicasPerMaster;
            return this;
        }

        /**
         * Where the nodes keep their files ({@code node-0}, {@code node-1}, ... inside it; created if missing);
         * null (the default) uses a temporary directory that {@link #close()} deletes.
         */
        public @NotNull Builder dataDir(@Nullable Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Whether each node writes an append-only file ({@code appendfsync everysec}); default false. */
        public @NotNull Builder appendOnly(boolean appendOnly) {
            this.appendOnly = appendOnly;
            return this;
        }

        /**
         * {@code cluster-node-timeout}: how long a node may be unreachable before it is marked failing and, if a
         * master, replaced by its replica; default 5 s. Tests of failover use 1–2 s.
         */
        public @NotNull Builder nodeTimeout(@NotNull Duration nodeTimeout) {
            if (nodeTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("nodeTimeout must be at least 100 ms, was " + nodeTimeout);
            }
            this.nodeTimeout = nodeTimeout;
            return this;
        }

        /** How long {@link #start()} waits for the cluster to settle; default 30 s. */
        public @NotNull Builder startupTimeout(@NotNull Duration startupTimeout) {
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** The redis-server binary to run; null (the default) asks {@link RedisExecutable#path()}. */
        public @NotNull Builder executable(@Nullable Path executable) {
            this.executable = executable;
            return this;
        }

        /** More redis-server arguments for every node; they come last, so they override ours. */
        public @NotNull Builder extraArgs(@NotNull String... args) {
            for (String arg : args) {
                extraArgs.add(Objects.requireNonNull(arg, "extraArgs must not contain null"));
            }
            return this;
        }

        /**
         * Starts every node, forms the cluster (unless the data dir already holds a formed one, which is then only
         * started again) and waits until it has settled.
         *
         * @throws IOException if a node could not start or the cluster did not settle in time; nothing is left
         *                     running then
         */
        public @NotNull RedisCluster start() throws IOException {
            Path temporary = dataDir == null ? Files.createTempDirectory("shadowmq-redis-cluster-") : null;
            Path root = dataDir != null ? dataDir.toAbsolutePath() : temporary;
            int total = masters * (1 + replicasPerMaster);
            List<Optional<Integer>> formerPorts = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                formerPorts.add(ClusterNodesView.ownPortInNodesConf(root.resolve("node-" + i)));
            }
            long formed = formerPorts.stream().filter(Optional::isPresent).count();
            if (formed != 0 && formed != total) {
                deleteTemporaryDir(temporary);
                throw new IOException(root + " holds a cluster of " + formed + " nodes, not " + total
                        + " (masters " + masters + " with " + replicasPerMaster + " replicas each)."
                        + " Start it with its old shape, or remove its node-* directories to form a new cluster.");
            }

            List<RedisServerProcess> masterNodes = new ArrayList<>();
            List<List<RedisServerProcess>> replicaNodes = new ArrayList<>();
            RedisCluster cluster = null;
            try {
                int index = 0;
                for (int m = 0; m < masters; m++) {
                    masterNodes.add(node(root, index, formerPorts.get(index++)));
                }
                for (int m = 0; m < masters; m++) {
                    List<RedisServerProcess> mine = new ArrayList<>();
                    for (int r = 0; r < replicasPerMaster; r++) {
                        mine.add(node(root, index, formerPorts.get(index++)));
                    }
                    replicaNodes.add(mine);
                }
                RedisCluster starting = new RedisCluster(masterNodes, replicaNodes, temporary);
                cluster = starting;
                for (RedisServerProcess node : starting.nodes()) {
                    node.start();
                }
                if (formed == 0) {
                    form(starting);
                }
                starting.awaitSettled(startupTimeout);
                awaitUntil("every replica's replication link up", startupTimeout, () -> replicasInSync(starting));
                log.info(
                        "Redis cluster of {} masters with {} replicas each is ready: {}",
                        masters,
                        replicasPerMaster,
                        starting.nodeUris());
                return starting;
            } catch (IOException | RuntimeException e) {
                if (cluster != null) {
                    cluster.close();
                } else {
                    masterNodes.forEach(RedisServerProcess::stop);
                    replicaNodes.forEach(list -> list.forEach(RedisServerProcess::stop));
                    deleteTemporaryDir(temporary);
                }
                throw e;
            }
        }

        private @NotNull RedisServerProcess node(@NotNull Path root, int index, @NotNull Optional<Integer> port)
                throws IOException {
            RedisServerProcess.Builder builder = RedisServerProcess.builder()
                    .dataDir(root.resolve("node-" + index))
                    .executable(executable)
                    .freePortPicker(RedisCluster::pickClusterPort)
                    .extraArgs(
                            "--cluster-enabled",
                            "yes",
                            "--cluster-config-file",
                            "nodes.conf",
                            "--cluster-node-timeout",
                            String.valueOf(nodeTimeout.toMillis()),
                            "--appendonly",
                            appendOnly ? "yes" : "no")
                    .extraArgs(extraArgs.toArray(String[]::new));
            if (!appendOnly) {
                builder.extraArgs("--save", "");
            }
            port.ifPresent(builder::port);
            return builder.build();
        }

        /** As redis-cli --cluster create: slots, distinct config epochs, MEET, then replicas once all know all. */
        private void form(@NotNull RedisCluster cluster) throws IOException {
            List<RedisServerProcess> all = cluster.nodes();
            for (int m = 0; m < masters; m++) {
                int[] range = slotRange(m, masters);
                addSlots(cluster.master(m), range[0], range[1]);
            }
            for (int i = 0; i < all.size(); i++) {
                // Distinct epochs up front spare the cluster resolving a collision of every node at epoch 0.
                command(all.get(i), "CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
            }
            RedisServerProcess first = all.get(0);
            for (RedisServerProcess other : all.subList(1, all.size())) {
                command(first, "CLUSTER", "MEET", other.host(), String.valueOf(other.port()));
            }
            awaitUntil("every node to know every other node", startupTimeout, () -> {
                for (RedisServerProcess node : all) {
                    ClusterNodesView view = ClusterNodesView.parse(
                            command(node, "CLUSTER", "NODES").orElse(""));
                    if (view.nodes().size() != all.size() || !view.healthy()) {
                        return false;
                    }
                }
                return true;
            });
            for (int m = 0; m < masters; m++) {
                String masterId = cluster.nodeId(cluster.master(m));
                for (RedisServerProcess replica : cluster.replicasOf(m)) {
                    command(replica, "CLUSTER", "REPLICATE", masterId);
                }
            }
        }

        private static void addSlots(@NotNull RedisServerProcess master, int first, int last) throws IOException {
            try {
                command(master, "CLUSTER", "ADDSLOTSRANGE", String.valueOf(first), String.valueOf(last));
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).toLowerCase().contains("unknown subcommand")) {
                    throw e;
                }
                // Redis 6 has no ADDSLOTSRANGE: name every slot.
                List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int slot = first; slot <= last; slot++) {
                    args.add(String.valueOf(slot));
                }
                command(master, args.toArray(String[]::new));
            }
        }

        private static boolean replicasInSync(@NotNull RedisCluster cluster) throws IOException {
            // By role now, not at formation: a cluster started again may have swapped roles in a failover.
            for (RedisServerProcess node : cluster.nodes()) {
                String info = command(node, "INFO", "replication").orElse("");
                if (info.contains("role:slave") && !info.contains("master_link_status:up")) {
                    return false;
                }
            }
            return true;
        }
    }
}
