package io.shadowmq.store.presence;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEntryInScript;
import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Each presence script gets its arguments in the order its header declares and its code reads. */
class PresenceCallTest {

    private static final ThingId CAR = ThingId.of("car-1");

    @Test
    void everyPresenceScriptGetsItsArgumentsInItsOrder() {
        FeedEntryInScript entry = new FeedEntryInScript("smq:feed:{p1}", 500, List.of("kind", "presence"));
        for (PresenceCall.Kind kind : PresenceCall.Kind.values()) {
            List<String> leading =
                    kind.leadingNames.stream().map(name -> name + "-value").toList();
            ScriptSignature signature = ScriptSignature.of(kind.script);

            PresenceCall withEntry = new PresenceCall(kind, CAR, leading, 1234, Optional.of(entry));
            signature.assertProducedBy(withEntry, true);
            signature.assertProducedBy(new PresenceCall(kind, CAR, leading, 1234, Optional.empty()), false);
            signature.assertReadByCode();
            for (String name : kind.leadingNames) {
                assertThat(withEntry.arguments().arg(name)).isEqualTo(name + "-value");
            }
            assertThat(withEntry.arguments().arg("now")).isEqualTo("1234");
            assertThat(withEntry.reply(List.of(kind.changed))).isTrue();
        }
    }
}
