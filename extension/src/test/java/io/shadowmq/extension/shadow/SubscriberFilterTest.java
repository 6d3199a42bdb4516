package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.access.Access;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which deliveries the subscriber filter looks at, and what it makes of a payload (the broker is in the ITs). */
class SubscriberFilterTest {

    private static final ThingModel CAR = ThingModels.bundled().get("car").orElseThrow();
    private static final Access SPEAKER_ON_CAR = Access.member(CAR, List.of());

    @Test
    void onlyTheShadowTopicsThatCarryStateAreFiltered() {
        assertThat(SubscriberFilter.stateTopicOf("things/car-1/shadow/get/accepted"))
                .contains(ThingId.of("car-1"));
        assertThat(SubscriberFilter.stateTopicOf("things/car-1/shadow/update/accepted"))
                .contains(ThingId.of("car-1"));
        assertThat(SubscriberFilter.stateTopicOf("things/car-1/shadow/update/documents"))
                .contains(ThingId.of("car-1"));
        assertThat(SubscriberFilter.stateTopicOf("things/car-1/shadow/update/delta"))
                .contains(ThingId.of("car-1"));
        assertThat(SubscriberFilter.stateTopicOf("things/car-1/shadow/get/rejected"))
                .isEmpty();
        assertThat(SubscriberFilter.stateTopicOf("things/car-1/shadow/delete/accepted"))
                .isEmpty();
        assertThat(SubscriberFilter.stateTopicOf("things/car-1/commands/c-1/state"))
                .isEmpty();
        assertThat(SubscriberFilter.stateTopicOf("things/car-1/summary/get/accepted"))
                .isEmpty();
        assertThat(SubscriberFilter.stateTopicOf("other/car-1/shadow/get/accepted"))
                .isEmpty();
    }

    @Test
    void aThingsOwnTopicsAreToldApartWithoutParsing() {
        assertThat(SubscriberFilter.isUnder("things/car-1/shadow/update/accepted", "car-1"))
                .isTrue();
        assertThat(SubscriberFilter.isUnder("things/car-1/commands/c-1", "car-1"))
                .isTrue();
        assertThat(SubscriberFilter.isUnder("things/car-10/shadow/update/accepted", "car-1"))
                .isFalse();
        assertThat(SubscriberFilter.isUnder("things/car-1", "car-1")).isFalse();
        assertThat(SubscriberFilter.isUnder("things/car-1/", "car-1")).isTrue();
        assertThat(SubscriberFilter.isUnder("thingsXcar-1/shadow/get/accepted", "car-1"))
                .isFalse();
        assertThat(SubscriberFilter.isUnder("other/car-1/shadow/get/accepted", "car-1"))
                .isFalse();
        assertThat(SubscriberFilter.isUnder("things/speaker-1/shadow/update/documents", "car-1"))
                .isFalse();
    }

    @Test
    void aDocumentsPayloadLosesTheLocationInBothDocumentsAndKeepsTheRest() throws Exception {
        String documents = """
                {"previous":{"state":{"reported":{"range":310,"location":{"latitude":48.1}},"desired":{}},
                             "metadata":{"reported":{"range":{"timestamp":1},"location":{"latitude":{"timestamp":1}}},
                                         "desired":{}},"version":1,"desiredOutcomes":{}},
                 "current":{"state":{"reported":{"range":300,"location":{"latitude":48.2}},"desired":{}},
                            "metadata":{"reported":{"range":{"timestamp":2},"location":{"latitude":{"timestamp":2}}},
                                        "desired":{}},"version":2,"desiredOutcomes":{}},
                 "timestamp":2}""";

        JsonNode pruned = read(
                SubscriberFilter.prune(SPEAKER_ON_CAR, false, buffer(documents)).orElseThrow());

        assertThat(pruned.at("/previous/state/reported/range").asInt()).isEqualTo(310);
        assertThat(pruned.at("/current/state/reported/range").asInt()).isEqualTo(300);
        assertThat(pruned.at("/current/version").asLong()).isEqualTo(2);
        assertThat(pruned.get("timestamp").asLong()).isEqualTo(2);
        assertThat(pruned.toString()).doesNotContain("location");
    }

    @Test
    void aPayloadWithNothingToPruneIsLeftAsItIs() {
        String accepted = "{\"state\":{\"reported\":{\"range\":300}},\"metadata\":{\"reported\":{\"range\":"
                + "{\"timestamp\":1}}},\"version\":3,\"timestamp\":1,\"clientToken\":\"t\"}";

        assertThat(SubscriberFilter.prune(SPEAKER_ON_CAR, false, buffer(accepted)))
                .isEmpty();
    }

    @Test
    void aDeltaPayloadIsPrunedAsOneStateTree() throws Exception {
        String delta = "{\"state\":{\"cabin\":{\"heater\":{\"isOn\":true}},\"location\":{\"latitude\":1}},"
                + "\"metadata\":{},\"version\":4,\"timestamp\":1}";

        JsonNode pruned =
                read(SubscriberFilter.prune(SPEAKER_ON_CAR, true, buffer(delta)).orElseThrow());

        assertThat(pruned.at("/state/cabin/heater/isOn").asBoolean()).isTrue();
        assertThat(pruned.at("/state").has("location")).isFalse();
    }

    @Test
    void aPayloadThatIsNoJsonObjectIsRefusedSoTheDeliveryIsDropped() {
        assertThatThrownBy(() -> SubscriberFilter.prune(SPEAKER_ON_CAR, false, buffer("[1]")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscriberFilter.prune(SPEAKER_ON_CAR, false, buffer("{")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscriberFilter.prune(SPEAKER_ON_CAR, false, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ByteBuffer buffer(String json) {
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode read(byte[] json) throws Exception {
        return SafeJson.read(json);
    }
}
