package io.shadowmq.store;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.command.Invocation;
import io.shadowmq.store.due.DueMember;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Commands are durable: a Redis with an append-only file comes back from a restart with the queue as it was. */
class CommandRestartTest {

    @TempDir
    static Path dataDir;

    static RedisServerProcess redis;
    static ShadowStore store;
    static final ManualClock clock = ManualClock.atNow();

    @BeforeAll
    static void connect() throws Exception {
        redis = RedisServerProcess.builder().dataDir(dataDir).build().start();
        store = ShadowStore.connect(StoreFixture.config(redis.uri()), StoreFixture.MODELS, clock);
    }

    @AfterAll
    static void close() {
        store.close();
        redis.stop();
    }

    @Test
    void queuedAndDeliveredCommandsAndTheirExpirySurviveARedisRestart() throws Exception {
        ThingId washer = freshThing("washer");
        provision(store, washer, "washer", freshOwner());
        Command start = StoreFixture.await(store.commands()
                        .invoke(
                                washer,
                                new Invocation(
                                        "start",
                                        SafeJson.read("{\"program\":\"wool\"}"),
                                        Duration.ofSeconds(30),
                                        null,
                                        "admin",
                                        true)))
                .orElseThrow();
        Command stop = StoreFixture.await(store.commands()
                        .invoke(washer, new Invocation("stop", MissingNode.getInstance(), null, null, "admin", true)))
                .orElseThrow();
        StoreFixture.await(store.commands().delivered(washer, start.commandId()))
                .orElseThrow();

        redis.restart();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> StoreFixture.await(store.ping()).isOk());

        assertThat(StoreFixture.await(store.commands().deliverable(washer)).orElseThrow())
                .extracting(Command::commandId, Command::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(start.commandId(), CommandStatus.DELIVERED));
        assertThat(StoreFixture.await(store.commands().get(washer, stop.commandId()))
                        .orElseThrow()
                        .status())
                .isEqualTo(CommandStatus.QUEUED);
        String member = DueMember.of(DueMember.COMMAND, washer).member() + "|" + start.commandId();
        assertThat(StoreFixture.await(store.due().dueAt(washer, member)).orElseThrow())
                .contains(start.expiresAt());

        clock.advance(Duration.ofSeconds(31));
        StoreFixture.await(store.sweeper().sweep());
        assertThat(StoreFixture.await(store.commands().get(washer, start.commandId()))
                        .orElseThrow()
                        .status())
                .isEqualTo(CommandStatus.EXPIRED);
        assertThat(StoreFixture.await(store.commands().deliverable(washer)).orElseThrow())
                .extracting(Command::commandId)
                .containsExactly(stop.commandId());
    }
}
