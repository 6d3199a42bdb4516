package io.shadowmq.store;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.command.CommandStore;
import io.shadowmq.store.command.Invocation;
import io.shadowmq.store.command.StatusReport;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands on a real 3-master Redis Cluster: every command script touches one thing's slot, and the feed entry of
 * each transition follows its commit as its own command.
 */
class CommandOnClusterTest {

    @RegisterExtension
    static final ClusterStoreExtension cluster = new ClusterStoreExtension();

    @Test
    void aCommandIsInvokedDeliveredAndReportedOnACluster() throws Exception {
        ShadowStore store = cluster.store();
        CommandStore commands = store.commands();
        Owner owner = freshOwner();
        ThingId washer = freshThing("washer");
        provision(store, washer, "washer", owner);
        int partition = store.feed().partitionOf(owner);
        String before = await(store.feed().latestId(partition)).orElseThrow();

        Command start = await(commands.invoke(
                        washer,
                        new Invocation(
                                "start", SafeJson.read("{\"program\":\"eco\"}"), null, "car-1:t1", "car-1", false)))
                .orElseThrow();
        assertThat(await(commands.deliverable(washer)).orElseThrow())
                .extracting(Command::commandId)
                .containsExactly(start.commandId());
        await(commands.delivered(washer, start.commandId())).orElseThrow();
        Command succeeded = await(commands.report(
                        washer,
                        start.commandId(),
                        new StatusReport(CommandStatus.SUCCEEDED, null, SafeJson.read("{\"minutes\":30}"), null)))
                .orElseThrow();

        assertThat(succeeded.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(await(commands.get(washer, start.commandId())).orElseThrow()).isEqualTo(succeeded);
        assertThat(await(commands.deliverable(washer)).orElseThrow()).isEmpty();
        assertThat(await(commands.list(washer, null, 10, null)).orElseThrow().commands())
                .containsExactly(succeeded);
        List<FeedEvent> events = await(store.feed().readAfter(partition, before, 100)).orElseThrow().stream()
                .filter(event -> event.kind() == FeedEventKind.COMMAND)
                .toList();
        assertThat(events)
                .extracting(event -> event.body().get("status").asText())
                .containsExactly("queued", "delivered", "succeeded");
    }
}
