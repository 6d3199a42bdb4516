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
                .contains(new ShadowTopics.Response(CAR, Operation.UPDATE, Kind.ACCEPTED));
        assertThat(ShadowTopics.parse("things/car-1/shadow/update/delta"))
                .contains(new ShadowTopics.Response(CAR, Operation.UPDATE, Kind.DELTA));
        assertThat(ShadowTopics.parse("things/car-1/shadow/update/documents"))
                .contains(new ShadowTopics.Response(CAR, Operation.UPDATE, Kind.DOCUMENTS));
        assertThat(ShadowTopics.parse("things/car-1/shadow/get/rejected"))
                .contains(new ShadowTopics.Response(CAR, Operation.GET, Kind.REJECTED));
        assertThat(ShadowTopics.parse("things/car-1/shadow/delete/accepted"))
                .contains(new ShadowTopics.Response(CAR, Operation.DELETE, Kind.ACCEPTED));
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
