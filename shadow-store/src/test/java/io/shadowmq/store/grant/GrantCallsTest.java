package io.shadowmq.store.grant;

import io.shadowmq.model.access.Grant;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptSignature;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The grant and audit scripts get their arguments in their order; a household's keys share one Cluster slot. */
class GrantCallsTest {

    private static final Owner ALICE = Owner.of("alice");

    @Test
    void theScriptsGetTheirArgumentsInTheirOrder() {
        ScriptSignature create = ScriptSignature.of(GrantCalls.Create.SCRIPT);
        create.assertProducedBy(new GrantCalls.Create(RedisKeys.grants(ALICE), "g-1", "{}", 1000, 5_000L), false);
        create.assertReadByCode();
        ScriptSignature append = ScriptSignature.of(GrantCalls.Append.SCRIPT);
        append.assertProducedBy(
                new GrantCalls.Append(RedisKeys.audit(ALICE), 10_000, 86_400_000L, List.of("at", "1", "code", "200")),
                true);
        append.assertReadByCode();
    }

    @Test
    void aHouseholdsGrantsAndAuditTrailShareItsSlot() {
        assertThat(RedisKeys.slot(RedisKeys.grants(ALICE)))
                .isEqualTo(RedisKeys.slot(RedisKeys.audit(ALICE)))
                .isEqualTo(RedisKeys.slot(RedisKeys.thingsOfOwner(ALICE)))
                .isEqualTo(RedisKeys.slot("alice"));
    }

    @Test
    void aGrantsFeedEntryNamesItsConcreteTargetElseItsGranteeElseTheGrant() {
        assertThat(RedisGrantStore.feedThing(grant("speaker-1", "car-1"))).isEqualTo(ThingId.of("car-1"));
        assertThat(RedisGrantStore.feedThing(grant("speaker-1", "type:car"))).isEqualTo(ThingId.of("speaker-1"));
        assertThat(RedisGrantStore.feedThing(grant("type:speaker", "type:car"))).isEqualTo(ThingId.of("g-7Qx"));
    }

    @Test
    void grantIdsAreDrawnFreshAndAreThingIdsToo() {
        String one = RedisGrantStore.newId();
        assertThat(one).matches(RedisGrantStore.ID).isNotEqualTo(RedisGrantStore.newId());
        assertThat(ThingId.isValid(one)).isTrue();
    }

    private static Grant grant(String grantee, String target) {
        return new Grant("g-7Qx", ALICE, grantee, target, List.of("range"), List.of(), List.of(), null, 1L, "admin");
    }
}
