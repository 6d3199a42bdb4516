package io.shadowmq.store.feed;

import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The node inbox script gets its arguments in the order its header declares and its code reads. */
class NodeInboxCallTest {

    @Test
    void inboxAndTtlInOrder() {
        NodeInboxCall call = new NodeInboxCall("smq:inbox:{node-a}", 30_000);
        ScriptSignature signature = ScriptSignature.of(NodeInboxCall.SCRIPT);

        signature.assertProducedBy(call, false);
        signature.assertReadByCode();
        assertThat(call.reply(List.of(1L))).isTrue();
        assertThat(call.reply(List.of(0L))).isFalse();
    }
}
