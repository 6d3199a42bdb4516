package io.shadowmq.sdk.internal;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.CommandState;
import io.shadowmq.sdk.CommandStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

class InvocationsTest {

    private static final ThingId WASHER = ThingId.of("washer-1");

    private final Invocations invocations = new Invocations();

    @Test
    void aCommandEndsItsFollowingWithItsFinalStateAndTheOldestAreLetGoBeyondTheBound() {
        // given
        Effects effects = new Effects();
        Invocation first = invocations.accepted(WASHER, "start", "c0", effects);
        for (int i = 1; i <= Invocations.FOLLOWED; i++) {
            invocations.accepted(WASHER, "start", "c" + i, effects);
        }
        List<CommandState> seen = new CopyOnWriteArrayList<>();
        first.onState(seen::add);

        // when
        invocations.state(WASHER, "c0", obj("{'status':'succeeded','action':'start','timestamp':1}"), effects);
        invocations.state(WASHER, "c1", obj("{'status':'failed','reason':'stopped','timestamp':2}"), effects);
        effects.run();

        // then: the first was let go, the second ended
        assertThat(seen).isEmpty();
        assertThat(invocations.followed()).isEqualTo(Invocations.FOLLOWED - 1);
    }

    @Test
    void aStateThatOvertakesTheAnswerIsHandedOverWithIt() {
        Effects effects = new Effects();
        invocations.state(WASHER, "c9", obj("{'status':'queued','action':'start','timestamp':1}"), effects);

        Invocation invocation = invocations.accepted(WASHER, "start", "c9", effects);
        effects.run();

        assertThat(invocation.states()).extracting(CommandState::status).containsExactly(CommandStatus.QUEUED);
    }
}
