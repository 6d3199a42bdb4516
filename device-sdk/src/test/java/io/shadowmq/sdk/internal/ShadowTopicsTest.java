package io.shadowmq.sdk.internal;

import io.shadowmq.model.shadow.ShadowTopic.Operation;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.internal.ShadowTopics.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowTopicsTest {

    private static final ThingId CAR = ThingId.of("car-1");

    @Test
    void requestsGoToTheThingsShadowTopics() {
        assertThat(ShadowTopics.request(CAR, Operation.UPDATE)).isEqualTo("things/car-1/shadow/update");
        assertThat(ShadowTopics.request(CAR, Operation.GET)).isEqualTo("things/car-1/shadow/get");
        assertThat(ShadowTopics.ownFilter(CAR)).isEqualTo("things/car-1/shadow/#");
        assertThat(ShadowTopics.householdFilters(CAR))
                .containsExactly("things/car-1/shadow/+/accepted", "things/car-1/shadow/+/rejected");
    }

    @Test
    void everyResponseTopicOfTheContractIsUnderstood() {
        assertThat(ShadowTopics.parse("things/car-1/shadow/update/accepted"))
                .contains(new ShadowTopics.Response(CAR, Kind.ACCEPTED, "things/car-1/shadow/update"));
        assertThat(ShadowTopics.parse("things/car-1/shadow/update/delta"))
                .contains(new ShadowTopics.Response(CAR, Kind.DELTA, ""));
        assertThat(ShadowTopics.parse("things/car-1/shadow/update/documents"))
                .contains(new ShadowTopics.Response(CAR, Kind.DOCUMENTS, ""));
        assertThat(ShadowTopics.parse("things/car-1/shadow/get/rejected"))
                .contains(new ShadowTopics.Response(CAR, Kind.REJECTED, "things/car-1/shadow/get"));
        assertThat(ShadowTopics.parse("things/car-1/shadow/delete/accepted"))
                .contains(new ShadowTopics.Response(CAR, Kind.ACCEPTED, "things/car-1/shadow/delete"));
    }

    @Test
    void commandAndActionTopicsAreUnderstood() {
        assertThat(ShadowTopics.parse("things/car-1/actions/lock/accepted"))
                .contains(new ShadowTopics.Response(CAR, Kind.ACCEPTED, "things/car-1/actions/lock"));
        assertThat(ShadowTopics.parse("things/car-1/actions/lock/rejected"))
                .contains(new ShadowTopics.Response(CAR, Kind.REJECTED, "things/car-1/actions/lock"));
        assertThat(ShadowTopics.parse("things/car-1/commands/Xk2-_9"))
                .contains(new ShadowTopics.Response(CAR, Kind.COMMAND, "Xk2-_9"));
        assertThat(ShadowTopics.parse("things/car-1/commands/Xk2-_9/state"))
                .contains(new ShadowTopics.Response(CAR, Kind.COMMAND_STATE, "Xk2-_9"));
        assertThat(ShadowTopics.parse("things/car-1/commands/Xk2-_9/status/rejected"))
                .contains(new ShadowTopics.Response(CAR, Kind.STATUS_REJECTED, "Xk2-_9"));
        assertThat(ShadowTopics.parse("things/car-1/commands/Xk2-_9/status")).isEmpty();
        assertThat(ShadowTopics.parse("things/car-1/commands/a.b")).isEmpty();
        assertThat(ShadowTopics.commandFilters(CAR))
                .containsExactly("things/car-1/commands/+", "things/car-1/commands/+/status/rejected");
        assertThat(ShadowTopics.invokerFilters(CAR))
                .containsExactly(
                        "things/car-1/actions/+/accepted",
                        "things/car-1/actions/+/rejected",
                        "things/car-1/commands/+/state");
        assertThat(ShadowTopics.parse("things/car-1/actions/lock")).isEmpty();
        assertThat(ShadowTopics.action(CAR, "lock")).isEqualTo("things/car-1/actions/lock");
        assertThat(ShadowTopics.status(CAR, "Xk2")).isEqualTo("things/car-1/commands/Xk2/status");
    }

    @Test
    void summaryAnswersAreUnderstood() {
        assertThat(ShadowTopics.summary(CAR)).isEqualTo("things/car-1/summary/get");
        assertThat(ShadowTopics.summaryFilters(CAR))
                .containsExactly("things/car-1/summary/get/accepted", "things/car-1/summary/get/rejected");
        assertThat(ShadowTopics.parse("things/car-1/summary/get/accepted"))
                .contains(new ShadowTopics.Response(CAR, Kind.ACCEPTED, "things/car-1/summary/get"));
        assertThat(ShadowTopics.parse("things/car-1/summary/get/rejected"))
                .contains(new ShadowTopics.Response(CAR, Kind.REJECTED, "things/car-1/summary/get"));
        assertThat(ShadowTopics.parse("things/car-1/summary/get")).isEmpty();
        assertThat(ShadowTopics.parse("things/car-1/summary/put/accepted")).isEmpty();
        assertThat(ShadowTopics.isSummary("things/car-1/summary/get")).isTrue();
        assertThat(ShadowTopics.isSummary("things/car-1/actions/lock")).isFalse();
    }

    @Test
    void requestsAndUnknownTopicsAreNotResponses() {
        assertThat(ShadowTopics.parse("things/car-1/shadow/update")).isEmpty();
        assertThat(ShadowTopics.parse("things/car-1/shadow/get/delta")).isEmpty();
        assertThat(ShadowTopics.parse("things/car 1/shadow/update/accepted")).isEmpty();
        assertThat(ShadowTopics.parse("things/car-1/shadow/update/accepted/x")).isEmpty();
        assertThat(ShadowTopics.parse("other/car-1/shadow/update/accepted")).isEmpty();
    }
}
