package io.shadowmq.store.platform;

import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The platform record script gets its arguments in the order its header declares and its code reads. */
class PlatformRecordCallTest {

    @Test
    void settingsInOrderAndTheRecordReadBack() {
        PlatformRecordCall call = new PlatformRecordCall(1_700_000_000_000L, "check", 4, "car=abc");
        ScriptSignature signature = ScriptSignature.of(PlatformRecordCall.SCRIPT);

        signature.assertProducedBy(call, false);
        signature.assertReadByCode();
        assertThat(call.reply(List.of(0L, "1", "other-check", "8", "car=def", "1")))
                .isEqualTo(new PlatformRecordCall.Recorded(0, "other-check", "8", "car=def", true));
        assertThat(call.reply(Arrays.asList(3L, "1", "check", "4", null, "0")).previousModels())
                .isNull();
    }

    @Test
    void anAnswerTheScriptNeverGivesIsABug() {
        PlatformRecordCall call = new PlatformRecordCall(1L, "check", 4, "car=abc");

        assertThatThrownBy(() -> call.reply(List.of("ok")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("platform-record");
    }
}
