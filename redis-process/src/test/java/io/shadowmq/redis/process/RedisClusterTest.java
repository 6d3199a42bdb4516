package io.shadowmq.redis.process;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real Redis Clusters of real redis-server processes, formed over RESP without redis-cli. */
class RedisClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** Three masters with one replica each, shared by the tests that do not kill or stop nodes. */
    private static RedisCluster shared;

    @BeforeAll
    static void startSharedCluster() throws IOException {
        shared = RedisCluster.builder().masters(3).replicasPerMaster(1).start();
    }

    @AfterAll
    static void stopSharedCluster() {
        shared.close();
    }

    @Test
    void everyNodeSaysTheClusterIsOkWithAllSlotsAssigned() throws IOException {
        assertThat(shared.nodeUris())
                .hasSize(6)
                .doesNotHaveDuplicates()
                .allSatisfy(uri -> assertThat(uri).matches("redis://127\\.0\\.0\\.1:\\d+"));
        for (RedisServerProcess node : shared.nodes()) {
            assertThat(command(node, "CLUSTER", "INFO"))
                    .hasValueSatisfying(info -> assertThat(info)
                            .contains(
                                    "cluster_state:ok",
                                    "cluster_slots_assigned:16384",
                                    "cluster_known_nodes:6",
                                    "cluster_size:3"));
        }
    }

    @Test
    void slotsAreSplitEvenlyInMasterOrder() throws IOException {
        assertThat(shared.masterOfSlot(0)).isSameAs(shared.master(0));
        assertThat(shared.masterOfSlot(5460)).isSameAs(shared.master(0));
        assertThat(shared.masterOfSlot(5461)).isSameAs(shared.master(1));
        assertThat(shared.masterOfSlot(10921)).isSameAs(shared.master(1));
        assertThat(shared.masterOfSlot(10922)).isSameAs(shared.master(2));
        assertThat(shared.masterOfSlot(16383)).isSameAs(shared.master(2));
        assertThat(RedisCluster.slotRange(2, 3)).containsExactly(10922, 16383);
    }

    @Test
    void eachReplicaReplicatesItsMaster() throws IOException {
        for (int m = 0; m < shared.masterCount(); m++) {
            RedisServerProcess master = shared.master(m);
            assertThat(shared.replicasOf(m))
                    .singleElement()
                    .satisfies(replica -> assertThat(command(replica, "INFO", "replication"))
                            .hasValueSatisfying(info -> assertThat(info)
                                    .contains("role:slave", "master_port:" + master.port(), "master_link_status:up")));
        }
    }

    @Test
    void aKeyLivesOnTheMasterOfItsSlotAndOtherMastersRedirectWithMoved() throws IOException {
        String key = "thing:{" + UUID.randomUUID() + "}";
        RedisServerProcess owner = shared.masterOf(key);
        RedisServerProcess other = shared.nodes().stream()
                .filter(node -> node != owner
                        && !shared.replicasOf(shared.masters().indexOf(owner)).contains(node))
                .findFirst()
                .orElseThrow();

        assertThat(command(owner, "SET", key, "here")).contains("OK");

        assertThat(command(owner, "GET", key)).contains("here");
        assertThatThrownBy(() -> command(other, "GET", key))
                .hasMessageContaining("MOVED " + ClusterSlot.of(key) + " 127.0.0.1:" + owner.port());
    }

    @Test
    void ourSlotOfAKeyIsTheServers() throws IOException {
        for (String key : List.of(
                "a", "shadow:{t-1}:doc", "{}x", "ünïcode", UUID.randomUUID().toString())) {
            assertThat(command(shared.master(0), "CLUSTER", "KEYSLOT", key))
                    .contains(String.valueOf(ClusterSlot.of(key)));
        }
    }

    @Test
    void aMigratedSlotIsServedWithItsKeysByItsNewMasterAndTheOldOneRedirects() throws IOException {
        String tag = UUID.randomUUID().toString();
        String first = "m:{" + tag + "}:1";
        String second = "m:{" + tag + "}:2";
        int slot = ClusterSlot.of(first);
        RedisServerProcess source = shared.masterOfSlot(slot);
        RedisServerProcess target =
                shared.masters().stream().filter(m -> m != source).findFirst().orElseThrow();
        command(source, "SET", first, "one");
        command(source, "SET", second, "two");

        SlotMigration migration = shared.beginSlotMigration(slot, target);
        int movedFirst = migration.moveKeys(1);

        assertThat(movedFirst).isEqualTo(1);
        assertThatThrownBy(() -> command(source, "MGET", first, second))
                .hasMessageContaining("ASK " + slot + " 127.0.0.1:" + target.port());

        assertThat(migration.finish()).isEqualTo(2);
        assertThat(shared.masterOfSlot(slot)).isSameAs(target);
        assertThat(command(target, "GET", second)).contains("two");
        assertThatThrownBy(() -> command(source, "GET", first))
                .hasMessageContaining("MOVED " + slot + " 127.0.0.1:" + target.port());
        shared.awaitSettled(Duration.ofSeconds(10));
    }

    @Test
    void aKilledMasterIsReplacedByItsReplicaAndComesBackAsAReplica() throws IOException {
        try (RedisCluster cluster = RedisCluster.builder()
                .masters(3)
                .replicasPerMaster(1)
                .nodeTimeout(Duration.ofMillis(1000))
                .start()) {
            RedisServerProcess master = cluster.master(0);
            RedisServerProcess replica = cluster.replicasOf(0).get(0);
            String key = keyOnSlotOf(cluster, 0);
            command(master, "SET", key, "written before the crash");
            command(master, "WAIT", "1", "1000");
            long pid = master.pid();

            cluster.kill(master);

            assertThat(ProcessHandle.of(pid)).isEmpty();
            cluster.awaitSettled(Duration.ofSeconds(20));
            assertThat(cluster.masterOfSlot(0)).isSameAs(replica);
            assertThat(command(replica, "GET", key)).contains("written before the crash");

            master.start();

            cluster.awaitSettled(Duration.ofSeconds(20));
            assertThat(cluster.masterOfSlot(0)).isSameAs(replica);
            assertThat(command(master, "INFO", "replication"))
                    .hasValueSatisfying(
                            info -> assertThat(info).contains("role:slave", "master_port:" + replica.port()));
        }
    }

    @Test
    void closeEndsEveryNodeProcess() throws IOException {
        RedisCluster cluster = RedisCluster.builder().masters(1).start();
        List<Long> pids = cluster.nodes().stream().map(RedisServerProcess::pid).toList();

        cluster.close();

        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThat(cluster.nodes()).noneMatch(RedisServerProcess::isRunning);
    }

    @Test
    void aClusterStartedAgainOnItsDataDirComesBackOnItsPortsWithItsData(@TempDir Path dataDir) throws IOException {
        String key = "kept:{" + UUID.randomUUID() + "}";
        List<String> firstUris;
        try (RedisCluster cluster = RedisCluster.builder()
                .masters(2)
                .dataDir(dataDir)
                .appendOnly(true)
                .start()) {
            firstUris = cluster.nodeUris();
            command(cluster.masterOf(key), "SET", key, "kept");
        }

        try (RedisCluster again = RedisCluster.builder()
                .masters(2)
                .dataDir(dataDir)
                .appendOnly(true)
                .start()) {
            assertThat(again.nodeUris()).isEqualTo(firstUris);
            assertThat(command(again.masterOf(key), "GET", key)).contains("kept");
        }
    }

    @Test
    void aDataDirHoldingAClusterOfAnotherShapeIsRefused(@TempDir Path dataDir) throws IOException {
        RedisCluster.builder().masters(1).dataDir(dataDir).start().close();

        assertThatThrownBy(
                        () -> RedisCluster.builder().masters(2).dataDir(dataDir).start())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds a cluster of 1 nodes, not 2");
    }

    /** A key whose slot master {@code index} served at formation. */
    private static String keyOnSlotOf(RedisCluster cluster, int index) {
        int[] range = RedisCluster.slotRange(index, cluster.masterCount());
        while (true) {
            String key = "k:" + UUID.randomUUID();
            int slot = ClusterSlot.of(key);
            if (slot >= range[0] && slot <= range[1]) {
                return key;
            }
        }
    }

    private static Optional<String> command(RedisServerProcess node, String... args) throws IOException {
        return RedisPing.command(node.host(), node.port(), TIMEOUT, args);
    }
}
