package io.shadowmq.extension.auth;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may ask for and hear a thing's summary: the thing itself and its household, on {@code things/T/summary/get}
 * and its {@code accepted}/{@code rejected} answers. Nobody publishes the answers (a Will is refused altogether by
 * {@link WillPolicy}, and nothing a client publishes is routed, so not retained either).
 */
class SummaryTopicPolicyTest {

    private static final ConnectedThing CAR = thing("car-1", "alice");
    private static final ConnectedThing SPEAKER = thing("speaker-1", "alice");
    private static final ConnectedThing STRANGER = thing("bob-car", "bob");

    private final TopicPolicy policy = new TopicPolicy(thing -> CompletableFuture.completedFuture(
            Optional.ofNullable(Map.of(ThingId.of("car-1"), Owner.of("alice"), ThingId.of("bob-car"), Owner.of("bob"))
                    .get(thing))));

    @ParameterizedTest
    @ValueSource(strings = {"car-1", "speaker-1"})
    void theThingAndItsHouseholdMayAskForTheSummary(String asker) {
        ConnectedThing actor = asker.equals("car-1") ? CAR : SPEAKER;
        assertThat(granted(policy.mayPublish(actor, "things/car-1/summary/get")))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/summary/get/accepted",
                "things/car-1/summary/get/rejected",
                "things/car-1/summary/+/accepted",
                "things/car-1/summary/+/rejected"
            })
    void theThingAndItsHouseholdMayHearTheAnswers(String filter) {
        assertThat(granted(policy.maySubscribe(CAR, filter))).isTrue();
        assertThat(granted(policy.maySubscribe(SPEAKER, filter))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/summary/get",
                "things/car-1/summary/get/accepted",
                "things/car-1/summary/get/rejected"
            })
    void aStrangerMayNeitherAskNorHear(String topic) {
        assertThat(granted(policy.mayPublish(STRANGER, topic))).isFalse();
        assertThat(granted(policy.maySubscribe(STRANGER, topic + (topic.endsWith("get") ? "/accepted" : ""))))
                .isFalse();
        assertThat(policy.mayPublish(STRANGER, "things/car-1/summary/get").join())
                .isEqualTo(TopicAccess.refuse("thing car-1 is not in the household of bob-car"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/summary/get/accepted",
                "things/car-1/summary/get/rejected",
                "things/car-1/summary/+/accepted",
                "things/car-1/summary",
                "things/car-1/summary/",
                "things/car-1/summary/set",
                "things/car-1/summary/get/extra/level"
            })
    void nobodyPublishesAnswersOrOtherSummaryTopicsNotEvenTheThingItself(String topic) {
        assertThat(granted(policy.mayPublish(CAR, topic))).isFalse();
        assertThat(granted(policy.mayPublish(SPEAKER, topic))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "things/car-1/summary/#",
                "things/car-1/summary/get",
                "things/car-1/summary/get/#",
                "things/car-1/summary/get/+",
                "things/car-1/summary/+/+",
                "things/car-1/summary/set/accepted",
                "things/+/summary/get/accepted",
                "things/#"
            })
    void filtersBeyondTheAnswersAreRefused(String filter) {
        assertThat(granted(policy.maySubscribe(CAR, filter))).isFalse();
        assertThat(granted(policy.maySubscribe(SPEAKER, filter))).isFalse();
    }

    private static boolean granted(CompletableFuture<TopicAccess> access) {
        return access.join().granted();
    }

    private static ConnectedThing thing(String id, String owner) {
        return new ConnectedThing(ThingId.of(id), Owner.of(owner));
    }
}
