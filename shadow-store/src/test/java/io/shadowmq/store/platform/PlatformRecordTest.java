package io.shadowmq.store.platform;

import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.redis.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes of one installation compare their shared settings through the record the first one wrote, on a real
 * Redis: the same settings agree, another pepper, another partition count or a single-server client of a Cluster node
 * is refused, by name, without a pepper in any answer.
 */
class PlatformRecordTest {

    private static final String PEPPER = "platform-record-test-pepper";
    private static final String OTHER_PEPPER = "another-pepper-of-16-bytes-or-more";

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static RedissonClient raw;

    @BeforeAll
    static void connectRaw() {
        raw = Redisson.create(ShadowStore.redissonConfig(config(redis.uri(), PEPPER, 8)));
    }

    @AfterAll
    static void closeRaw() {
        raw.shutdown();
    }

    @BeforeEach
    void noRecordYet() {
        raw.getBucket(RedisKeys.platform(), StringCodec.INSTANCE).delete();
    }

    @Test
    void theFirstNodeRecordsTheSharedSettingsAndANodeWithTheSameOnesAgrees() {
        try (ShadowStore first = connect(PEPPER, 8);
                ShadowStore second = connect(PEPPER, 8)) {
            assertThat(check(first)).isEqualTo(new SettingsVerdict.Agreed(true, List.of()));
            assertThat(check(second)).isEqualTo(new SettingsVerdict.Agreed(false, List.of()));
            assertThat(check(first)).isEqualTo(new SettingsVerdict.Agreed(false, List.of()));
        }
        Map<String, String> record = raw.<String, String>getMap(RedisKeys.platform(), StringCodec.INSTANCE)
                .readAllMap();
        assertThat(record).containsKeys("pepperCheck", "recordedAt").containsEntry("feedPartitions", "8");
        byte[] key = Pepper.parse(PEPPER).bytes();
        assertThat(String.join(" ", record.values()))
                .doesNotContain(PEPPER)
                .doesNotContain(HexFormat.of().formatHex(key))
                .doesNotContain(
                        java.util.Base64.getEncoder().encodeToString(key).substring(0, 20));
    }

    @Test
    void aNodeWithOtherThingModelsServesButIsWarnedWhichTypesDifferAndBecomesTheReference() {
        ThingModels carOnly =
                new ThingModels(Map.of("car", ThingModels.bundled().get("car").orElseThrow()));
        try (ShadowStore running = connect(PEPPER, 8);
                ShadowStore newcomer = ShadowStore.connect(config(redis.uri(), PEPPER, 8), carOnly);
                ShadowStore another = ShadowStore.connect(config(redis.uri(), PEPPER, 8), carOnly)) {
            check(running);

            assertThat(check(newcomer))
                    .isEqualTo(new SettingsVerdict.Agreed(
                            false,
                            List.of("thing models fridge, "
                                    + "speaker, washer differ from those of the node that started before this one: every broker and "
                                    + "REST service must load the same models, or an update one accepts another refuses (422); finish "
                                    + "rolling them out")));
            assertThat(check(another)).isEqualTo(new SettingsVerdict.Agreed(false, List.of()));
        }
    }

    @Test
    void aNodeWithAnotherPepperIsRefusedByNameWithoutEitherPepperInTheReason() {
        try (ShadowStore running = connect(PEPPER, 8);
                ShadowStore newcomer = connect(OTHER_PEPPER, 8)) {
            check(running);

            SettingsVerdict verdict = check(newcomer);

            assertThat(verdict).isInstanceOfSatisfying(SettingsVerdict.Disagreed.class, disagreed -> {
                assertThat(disagreed.setting()).isEqualTo(SharedSetting.PEPPER);
                assertThat(disagreed.problem())
                        .startsWith("differs from the pepper of the running platform")
                        .doesNotContain(PEPPER)
                        .doesNotContain(OTHER_PEPPER);
            });
        }
    }

    @Test
    void aNodeWithAnotherPartitionCountIsRefusedWithBothNumbersAndTheWayToChangeIt() {
        try (ShadowStore running = connect(PEPPER, 8);
                ShadowStore newcomer = connect(PEPPER, 4)) {
            check(running);

            assertThat(check(newcomer))
                    .isEqualTo(new SettingsVerdict.Disagreed(
                            SharedSetting.FEED_PARTITIONS,
                            "is 4 on this node but 8 on the running platform (Redis key smq:platform): set 8 on every broker "
                                    + "and REST service; to change it, stop them all, delete that key and start them with the "
                                    + "new value"));
        }
    }

    @Test
    void aRecordWrittenByAnotherPartitionCountStaysAsItWasWhenANodeIsRefused() {
        try (ShadowStore running = connect(PEPPER, 8);
                ShadowStore newcomer = connect(OTHER_PEPPER, 4)) {
            check(running);
            String before = raw.<String, String>getMap(RedisKeys.platform(), StringCodec.INSTANCE)
                    .readAllMap()
                    .toString();

            check(newcomer);

            assertThat(raw.<String, String>getMap(RedisKeys.platform(), StringCodec.INSTANCE)
                            .readAllMap())
                    .hasToString(before);
        }
    }

    @Test
    void aNodeThatTalksToAClusterNodeAsToOneServerIsRefusedAsTheWrongTopology() throws Exception {
        try (RedisServerProcess clusterNode = RedisServerProcess.builder()
                .extraArgs("--cluster-enabled", "yes")
                .build()
                .start()) {
            assignEverySlot(clusterNode.port());
            try (ShadowStore newcomer =
                    ShadowStore.connect(config(clusterNode.uri(), PEPPER, 8), ThingModels.bundled())) {
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(newcomer.platform()
                                        .check()
                                        .toCompletableFuture()
                                        .get(5, TimeUnit.SECONDS))
                                .isInstanceOf(Outcome.Ok.class));

                assertThat(check(newcomer)).isInstanceOfSatisfying(SettingsVerdict.Disagreed.class, disagreed -> {
                    assertThat(disagreed.setting()).isEqualTo(SharedSetting.REDIS_TOPOLOGY);
                    assertThat(disagreed.problem()).contains("that server is a node of a Redis Cluster");
                });
            }
        }
    }

    @Test
    void withRedisDownNothingPassesAndTheVerdictArrivesOnceRedisIsUp() throws Exception {
        int port = freePort();
        try (ShadowStore store = ShadowStore.connect(
                        config("redis://127.0.0.1:" + port, PEPPER, 8).withTimeout(Duration.ofMillis(500)),
                        ThingModels.bundled());
                SettingsAgreement agreement = SettingsAgreement.start(store.platform()::check)) {
            Outcome<Boolean> beforeRedis =
                    agreement.passed().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(beforeRedis)
                    .isInstanceOfSatisfying(
                            Outcome.Rejected.class,
                            rejected -> assertThat(rejected.rejection().code()).isEqualTo(503));
            assertThat(agreement.verdict()).isNotDone();

            try (RedisServerProcess late =
                    RedisServerProcess.builder().port(port).build().start()) {
                // Which attempt wrote the record is open: one that timed out may still have reached Redis.
                assertThat(agreement.verdict().get(15, TimeUnit.SECONDS)).isInstanceOf(SettingsVerdict.Agreed.class);
                assertThat(agreement.passed().toCompletableFuture().get(5, TimeUnit.SECONDS))
                        .isEqualTo(Outcome.ok(true));
            }
        }
    }

    @Test
    void aNodeWhoseSettingsDisagreePassesNothingEver() throws Exception {
        try (ShadowStore running = connect(PEPPER, 8);
                ShadowStore newcomer = connect(PEPPER, 16)) {
            check(running);
            try (SettingsAgreement agreement = SettingsAgreement.start(newcomer.platform()::check)) {
                assertThat(agreement.verdict().get(10, TimeUnit.SECONDS)).isInstanceOf(SettingsVerdict.Disagreed.class);
                assertThat(agreement.passed().toCompletableFuture().get(5, TimeUnit.SECONDS))
                        .isInstanceOfSatisfying(
                                Outcome.Rejected.class,
                                rejected ->
                                        assertThat(rejected.rejection().code()).isEqualTo(503));
            }
        }
    }

    private static SettingsVerdict check(ShadowStore store) {
        try {
            Outcome<SettingsVerdict> outcome =
                    store.platform().check().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return outcome.orElseThrow();
        } catch (Exception e) {
            throw new AssertionError("platform record check did not complete", e);
        }
    }

    private static ShadowStore connect(String pepper, int partitions) {
        return ShadowStore.connect(config(redis.uri(), pepper, partitions), ThingModels.bundled());
    }

    private static StoreConfig config(String uri, String pepper, int partitions) {
        return StoreConfig.of(uri, Pepper.parse(pepper))
                .withTimeout(Duration.ofSeconds(2))
                .withFeed(partitions, StoreConfig.DEFAULT_FEED_MAX_LENGTH);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** CLUSTER ADDSLOTS 0..16383 over RESP: a one-node Cluster that serves every key (Redis 6.2 has no ADDSLOTSRANGE). */
    private static void assignEverySlot(int port) throws IOException {
        List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
        for (int slot = 0; slot < 16384; slot++) {
            command.add(Integer.toString(slot));
        }
        StringBuilder resp = new StringBuilder("*").append(command.size()).append("\r\n");
        command.forEach(arg ->
                resp.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(resp.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int first = in.read();
            assertThat((char) first).as("CLUSTER ADDSLOTS answers +OK").isEqualTo('+');
        }
    }
}
