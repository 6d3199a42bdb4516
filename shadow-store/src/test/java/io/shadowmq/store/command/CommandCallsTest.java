package io.shadowmq.store.command;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEntryInScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Each command script gets its arguments in the order its header declares and its code reads. */
class CommandCallsTest {

    private static final ThingId WASHER = ThingId.of("washer-1");
    private static final FeedEntryInScript ENTRY =
            new FeedEntryInScript("smq:feed:{3}", 500, List.of("kind", "command", "body", "{}"));

    private static CommandCalls.Invoke invoke(Optional<FeedEntryInScript> entry) {
        return new CommandCalls.Invoke(
                WASHER,
                "car-1:t1",
                "washer",
                "owner-1",
                "f".repeat(64),
                "cmd-1",
                86_400_000L,
                100,
                "start",
                "{\"program\":\"eco\"}",
                1_000L,
                601_000L,
                "car-1",
                true,
                -604_799_000L,
                1000,
                entry);
    }

    private static CommandCalls.Transition transition(Optional<FeedEntryInScript> entry) {
        return new CommandCalls.Transition(
                WASHER, "owner-1", "cmd-1", 3, "running", false, "35", "", "", 2_000L, entry);
    }

    @Test
    void everyCommandScriptGetsItsArgumentsInItsOrder() {
        ScriptSignature invoke = ScriptSignature.of(CommandCalls.Invoke.SCRIPT);
        invoke.assertProducedBy(invoke(Optional.of(ENTRY)), true);
        invoke.assertProducedBy(invoke(Optional.empty()), false);
        invoke.assertReadByCode();

        ScriptSignature transition = ScriptSignature.of(CommandCalls.Transition.SCRIPT);
        transition.assertProducedBy(transition(Optional.of(ENTRY)), true);
        transition.assertProducedBy(transition(Optional.empty()), false);
        transition.assertReadByCode();

        ScriptSignature read = ScriptSignature.of(CommandCalls.Read.SCRIPT);
        read.assertProducedBy(new CommandCalls.Read(WASHER, "cmd-1"), false);
        read.assertReadByCode();

        ScriptSignature list = ScriptSignature.of(CommandCalls.ListPage.SCRIPT);
        list.assertProducedBy(new CommandCalls.ListPage(WASHER, "1000", "cmd-1", 20, "queued"), false);
        list.assertReadByCode();
    }

    @Test
    void everyKeyOfACommandScriptIsInTheThingsSlot() {
        int slot = RedisKeys.slot(RedisKeys.thing(WASHER));
        for (var call : List.of(
                invoke(Optional.empty()).arguments(),
                transition(Optional.empty()).arguments(),
                new CommandCalls.Read(WASHER, "").arguments(),
                new CommandCalls.ListPage(WASHER, "", "", 1, "").arguments())) {
            assertThat(call.keys())
                    .allSatisfy(
                            key -> assertThat(RedisKeys.slot(key.toString())).isEqualTo(slot));
        }
    }

    @Test
    void answersAreRead() {
        assertThat(CommandCalls.commit("x", List.of("ok", "", "node-a", "node-b")))
                .isEqualTo(new CommandCalls.Committed(List.of("node-a", "node-b")));
        assertThat(CommandCalls.commit("x", List.of("full", "100"))).isEqualTo(new CommandCalls.Full(100));
        assertThat(CommandCalls.commit("x", List.of("stale"))).isEqualTo(new CommandCalls.Stale());
        assertThat(CommandCalls.groups(List.of(2L, "status", "queued", 0L, 2L, "rev", "3")))
                .containsExactly(Map.of("status", "queued"), Map.of(), Map.of("rev", "3"));
    }
}
