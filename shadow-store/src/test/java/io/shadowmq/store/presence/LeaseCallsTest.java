package io.shadowmq.store.presence;

import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker lease scripts get their arguments in the order each header declares and its code reads. */
class LeaseCallsTest {

    private static final String RUN = "node-a/run-1";

    @Test
    void eachLeaseScriptGetsItsArgumentsInItsOrder() {
        LeaseRenewCall renew = new LeaseRenewCall(RUN, 1_000, 15_000);
        RunClaimCall claim = new RunClaimCall(RUN, "reaper-1", 5_000, true);
        RunForgetCall forget = new RunForgetCall(RUN, "reaper-2", false);

        ScriptSignature.of(LeaseRenewCall.SCRIPT).assertProducedBy(renew, false);
        ScriptSignature.of(RunClaimCall.SCRIPT).assertProducedBy(claim, false);
        ScriptSignature.of(RunForgetCall.SCRIPT).assertProducedBy(forget, false);
        for (String script : List.of(LeaseRenewCall.SCRIPT, RunClaimCall.SCRIPT, RunForgetCall.SCRIPT)) {
            ScriptSignature.of(script).assertReadByCode();
        }
        assertThat(renew.reply(List.of("reaping"))).isEqualTo(BrokerLeases.Renewal.REAPING);
        assertThat(claim.reply(List.of("alive"))).isEqualTo(BrokerLeases.Claim.ALIVE);
        assertThat(forget.reply(List.of("forgotten"))).isTrue();
    }
}
