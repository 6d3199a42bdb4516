package io.shadowmq.store.shadow;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEntryInScript;
import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The typed calls of the shadow scripts pass their arguments in the order each script's header declares and its code
 * reads: every value is distinct, so two swapped arguments on either side fail here.
 */
class ShadowScriptCallsTest {

    private static final ThingId CAR = ThingId.of("car-1");

    @Test
    void updatePassesEachArgumentWhereTheScriptReadsIt() {
        FeedEntryInScript entry = new FeedEntryInScript("smq:feed:{p3}", 1000, List.of("kind", "shadow", "body", "{}"));
        UpdateCall withEntry = update(Optional.of(entry));
        ScriptSignature signature = ScriptSignature.of(UpdateCall.SCRIPT);

        signature.assertProducedBy(withEntry, true);
        signature.assertProducedBy(update(Optional.empty()), false);
        signature.assertReadByCode();
        assertThat(withEntry.arguments().arg("feedMaxLength")).isEqualTo("1000");
        assertThat(withEntry.arguments().keys()).last().isEqualTo("smq:feed:{p3}");
    }

    @Test
    void readAndDeletePassTheShadowThenTheThing() {
        for (String script : List.of(ReadShadowCall.SCRIPT, DeleteShadowCall.SCRIPT)) {
            ScriptSignature.of(script).assertReadByCode();
        }
        ScriptSignature.of(ReadShadowCall.SCRIPT).assertProducedBy(new ReadShadowCall(CAR, 0), false);
        ScriptSignature.of(DeleteShadowCall.SCRIPT).assertProducedBy(new DeleteShadowCall(CAR), false);
    }

    @Test
    void repliesAreParsedOnce() {
        UpdateCall call = update(Optional.empty());

        assertThat(call.reply(List.of("ok", "", "node-a", "node-b")))
                .isEqualTo(new UpdateCall.Committed(List.of("node-a", "node-b"), false, ""));
        // The committing node (node-3) is routed to by itself, not by the caller.
        assertThat(call.reply(List.of("ok", "", "node-a", "node-3")))
                .isEqualTo(new UpdateCall.Committed(List.of("node-a"), true, ""));
        assertThat(call.reply(List.of("ok", "1732550000000-0", "1")))
                .isEqualTo(new UpdateCall.Committed(List.of(), true, "1732550000000-0"));
        assertThat(call.reply(List.of("ok", "1732550000000-0", "0")))
                .isEqualTo(new UpdateCall.Committed(List.of(), false, "1732550000000-0"));
        assertThat(call.reply(List.of("leased"))).isInstanceOf(UpdateCall.Leased.class);
        assertThat(call.reply(List.of("stale", "car", "owner-1", "7", "")))
                .isInstanceOfSatisfying(
                        UpdateCall.Stale.class,
                        stale -> assertThat(stale.fresh().document().version()).isEqualTo(7));
        assertThat(new DeleteShadowCall(CAR).reply(List.of("deleted", "4", "{}")))
                .isEqualTo(new DeleteShadowCall.Deleted(4));
        assertThat(new ReadShadowCall(CAR, 0).reply(List.of("nothing"))).isEmpty();
    }

    private static UpdateCall update(Optional<FeedEntryInScript> entry) {
        return new UpdateCall(
                CAR,
                "smq:token:{car-1}:t",
                11,
                true,
                "car",
                "{\"doc\":1}",
                12,
                60_000,
                "replay",
                "writer-9",
                250,
                "owner-1",
                "f00d",
                "node-3",
                new UpdateCall.HistoryAppend("{\"v\":12}", 10_000, 1_700_000_000_000L),
                "[\"type\",\"scar\"]",
                "[]",
                entry,
                0);
    }
}
