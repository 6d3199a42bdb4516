package io.shadowmq.store.due;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The due index's scripts get their arguments in their declared order; members read back as written. */
class DueCallsTest {

    @Test
    void claimAndSettleGetTheirArgumentsInTheirOrder() {
        ScriptSignature claim = ScriptSignature.of(DueCalls.Claim.SCRIPT);
        claim.assertProducedBy(new DueCalls.Claim("smq:due:{0}", 1_000, 50, 31_000), false);
        claim.assertReadByCode();
        ScriptSignature settle = ScriptSignature.of(DueCalls.Settle.SCRIPT);
        settle.assertProducedBy(new DueCalls.Settle("smq:due:{0}", "cmd|t|c", 31_000, ""), false);
        settle.assertReadByCode();
    }

    @Test
    void membersReadBackAsWritten() {
        DueMember command = new DueMember(DueMember.COMMAND, ThingId.of("washer-1"), "Ab3_-x");
        DueMember desired = DueMember.of(DueMember.DESIRED, ThingId.of("car-1"));

        assertThat(command.member()).isEqualTo("cmd|washer-1|Ab3_-x");
        assertThat(desired.member()).isEqualTo("desired|car-1");
        assertThat(DueMember.parse(command.member())).contains(command);
        assertThat(DueMember.parse(desired.member())).contains(desired);
        assertThat(DueMember.parse("cmd")).isEmpty();
        assertThat(DueMember.parse("CMD|car-1")).isEmpty();
        assertThat(DueMember.parse("cmd|car 1|x")).isEmpty();
        assertThat(DueMember.parse("cmd|car-1|x|y")).isEmpty();
    }
}
