package io.shadowmq.store.registry;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The thing registry's scripts get their arguments in the order each header declares and its code reads. */
class RegistryCallsTest {

    private static final ThingId CAR = ThingId.of("car-1");

    @Test
    void eachRegistryScriptGetsItsArgumentsInItsOrder() {
        ProvisionCall provision = new ProvisionCall(CAR, "car", "owner-1", 1_700, "hash-1");
        RotateSecretCall rotate = new RotateSecretCall(CAR, "hash-2");
        DeprovisionCall deprovision = new DeprovisionCall(CAR);
        ListThingsCall list = new ListThingsCall("smq:things", "car-0", 51);

        ScriptSignature.of(ProvisionCall.SCRIPT).assertProducedBy(provision, false);
        ScriptSignature.of(RotateSecretCall.SCRIPT).assertProducedBy(rotate, false);
        ScriptSignature.of(DeprovisionCall.SCRIPT).assertProducedBy(deprovision, false);
        ScriptSignature.of(ListThingsCall.SCRIPT).assertProducedBy(list, false);
        for (String script :
                List.of(ProvisionCall.SCRIPT, RotateSecretCall.SCRIPT, DeprovisionCall.SCRIPT, ListThingsCall.SCRIPT)) {
            ScriptSignature.of(script).assertReadByCode();
        }
        assertThat(provision.reply(List.of("exists"))).isFalse();
        assertThat(rotate.reply(List.of("rotated", "owner-1"))).contains(Owner.of("owner-1"));
        assertThat(deprovision.reply(List.of("nothing"))).isEqualTo(Optional.empty());
        assertThat(list.reply(List.of("car-1", "car-2"))).containsExactly("car-1", "car-2");
    }
}
