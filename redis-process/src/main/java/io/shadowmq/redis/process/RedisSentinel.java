package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis with Sentinel on loopback: a master, its replicas ({@code --replicaof}) and sentinels watching them — all
 * real {@code redis-server} child processes, the sentinels run as {@code redis-server <sentinel.conf> --sentinel}.
 * {@link #start} returns once every replica's link is up and every sentinel sees every replica and every other
 * sentinel, so a killed master is failed over from then on.
 *
 * <pre>{@code
 * try (RedisSentinel redis = RedisSentinel.start(1, 3, Duration.ofSeconds(1), Duration.ofSeconds(5))) {
 *     connectTo(redis.masterName(), redis.sentinelUris());
 *     redis.master().kill();                   // SIGKILL; a replica is promoted after down-after-milliseconds
 *     redis.awaitMasterOtherThan(redis.master(), Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class RedisSentinel implements AutoCloseable {

    /** The name the sentinels monitor the master under ({@code sentinel monitor <name> ...}). */
    public static final String MASTER_NAME = "mymaster";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_INTERVAL_MILLIS = 50;

    private static final Logger log = LoggerFactory.getLogger(RedisSentinel.class);

    private final RedisServerProcess master;
    private final List<RedisServerProcess> replicas = new ArrayList<>();
    private final List<RedisServerProcess> sentinels = new ArrayList<>();
    private final Path dir;

    private RedisSentinel(@NotNull RedisServerProcess master, @NotNull Path dir) {
        this.master = master;
        this.dir = dir;
    }

    /**
     * Starts a master, {@code replicas} replicas of it and {@code sentinels} sentinels (quorum: a majority of them).
     *
     * @param downAfter       {@code down-after-milliseconds}: how long the master may not answer before a failover
     * @param failoverTimeout {@code failover-timeout}
     * @throws IOException if a process did not start or the set did not settle within 30 s; nothing is left running
     */
    public static @NotNull RedisSentinel start(
            int replicas, int sentinels, @NotNull Duration downAfter, @NotNull Duration failoverTimeout)
            throws IOException {
        if (replicas < 1 || sentinels < 1) {
            throw new IllegalArgumentException(
                    "need at least one replica and one sentinel, was " + replicas + " and " + sentinels);
        }
        RedisSentinel set = new RedisSentinel(
                RedisServerProcess.builder().build(), Files.createTempDirectory("shadowmq-redis-sentinel-"));
        try {
            set.master.start();
            for (int i = 0; i < replicas; i++) {
                set.replicas.add(RedisServerProcess.builder()
                        .extraArgs("--replicaof", set.master.host(), String.valueOf(set.master.port()))
                        .build()
                        .start());
            }
            for (int i = 0; i < sentinels; i++) {
                Path conf = set.dir.resolve("sentinel-" + i + ".conf");
                Files.writeString(
                        conf,
                        String.join(
                                "\n",
                                "sentinel monitor " + MASTER_NAME + " " + set.master.host() + " " + set.master.port()
                                        + " " + (sentinels / 2 + 1),
                                "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfter.toMillis(),
                                "sentinel failover-timeout " + MASTER_NAME + " " + failoverTimeout.toMillis(),
                                ""));
                set.sentinels.add(RedisServerProcess.builder()
                        .configFile(conf)
                        .extraArgs("--sentinel")
                        .build()
                        .start());
            }
            set.awaitSeen(replicas, sentinels, STARTUP_TIMEOUT);
            return set;
        } catch (IOException | RuntimeException e) {
            set.close();
            throw e;
        }
    }

    /** The name to give a client's sentinel configuration ({@code masterName}). */
    public @NotNull String masterName() {
        return MASTER_NAME;
    }

    /** The node started as master; after a failover it is no longer the master (or not running). */
    public @NotNull RedisServerProcess master() {
        return master;
    }

    /** The nodes started as replicas. */
    public @NotNull List<RedisServerProcess> replicas() {
        return List.copyOf(replicas);
    }

    /** {@code redis://127.0.0.1:PORT} of every sentinel: a client's {@code sentinelAddresses}. */
    public @NotNull List<String> sentinelUris() {
        return sentinels.stream().map(RedisServerProcess::uri).toList();
    }

    /**
     * The node the first sentinel that answers names as master now.
     *
     * @throws IOException if no sentinel answers, or the one that does names no node of this set
     */
    public @NotNull RedisServerProcess currentMaster() throws IOException {
        String address = sentinelInfo().replaceAll("(?s).*address=([^,\\r\\n]*).*", "$1");
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        List<RedisServerProcess> nodes = new ArrayList<>(replicas);
        nodes.add(0, master);
        return nodes.stream()
                .filter(node -> node.port() == port)
                .findFirst()
                .orElseThrow(() -> new IOException("the sentinels name " + address + ", no node of this set"));
    }

    /**
     * Waits until the sentinels name another master than {@code old} and that one says it is a master.
     *
     * @throws IOException if that did not happen within {@code timeout}
     */
    public @NotNull RedisServerProcess awaitMasterOtherThan(@NotNull RedisServerProcess old, @NotNull Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                RedisServerProcess now = currentMaster();
                if (now != old && info(now, "replication").contains("role:master")) {
                    return now;
                }
            } catch (IOException e) {
                log.debug("no answer yet: {}", e.getMessage());
            }
            pause(deadline, "the sentinels did not promote a replica of " + old.uri() + " within " + timeout);
        }
    }

    /** Stops every sentinel and node and deletes the sentinels' configuration files. */
    @Override
    public void close() {
        sentinels.forEach(RedisServerProcess::stop);
        replicas.forEach(RedisServerProcess::stop);
        master.stop();
        RedisServerProcess.deleteRecursively(dir);
    }

    private void awaitSeen(int replicaCount, int sentinelCount, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!settled(replicaCount, sentinelCount)) {
            pause(
                    deadline,
                    "the sentinels did not see " + replicaCount + " replicas and " + sentinelCount
                            + " sentinels within " + timeout + ": " + sentinelInfo());
        }
        log.info(
                "redis sentinel set up: master {}, replicas {}, sentinels {}",
                master.uri(),
                replicas.stream().map(RedisServerProcess::uri).toList(),
                sentinelUris());
    }

    private boolean settled(int replicaCount, int sentinelCount) throws IOException {
        for (RedisServerProcess replica : replicas) {
            if (!info(replica, "replication").contains("master_link_status:up")) {
                return false;
            }
        }
        for (RedisServerProcess sentinel : sentinels) {
            String info = info(sentinel, "sentinel");
            if (!info.contains("status=ok")
                    || !info.contains("slaves=" + replicaCount + ",")
                    || !info.contains("sentinels=" + sentinelCount)) {
                return false;
            }
        }
        return true;
    }

    private String sentinelInfo() throws IOException {
        IOException last = new IOException("no sentinel is running");
        for (RedisServerProcess sentinel : sentinels) {
            if (sentinel.isRunning()) {
                try {
                    return info(sentinel, "sentinel");
                } catch (IOException e) {
                    last = e;
                }
            }
        }
        throw last;
    }

    private static String info(RedisServerProcess node, String section) throws IOException {
        return RedisPing.command(node.host(), node.port(), COMMAND_TIMEOUT, "INFO", section)
                .orElse("");
    }

    private static void pause(long deadline, String failure) throws IOException {
        if (System.nanoTime() - deadline > 0) {
            throw new IOException(failure);
        }
        try {
            Thread.sleep(POLL_INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the sentinels");
        }
    }
}
