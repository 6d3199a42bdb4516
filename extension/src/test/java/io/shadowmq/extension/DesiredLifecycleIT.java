package io.shadowmq.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Desired values with a lifecycle over MQTT, through a real broker with the packaged extension: the car refuses a
 * household member's heater wish with a reason, or carries it out and the wish clears itself; either way the
 * outcome is readable in get/accepted. Only the car itself may refuse its desired values. The speaker holds a grant
 * for the heater, which the car model leaves household-read.
 */
class DesiredLifecycleIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    private static final String HEATER_ON =
            "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}},\"clientToken\":\"wish\"}";

    private static String topic(ProvisionedThing thing, String suffix) {
        return "things/" + thing.thing().thingId() + "/shadow/" + suffix;
    }

    private static String id(ProvisionedThing thing) {
        return thing.thing().thingId().value();
    }

    /** The car's get/accepted, as the car reads it. */
    private static JsonNode get(TestDevice car, ProvisionedThing thing) throws Exception {
        car.publish(topic(thing, "get"), "{\"clientToken\":\"read\"}");
        return car.next(topic(thing, "get/accepted")).payload();
    }

    /** The speaker's heater wish as the car received it, and when it was set. */
    private record Wish(JsonNode delta, long setAt) {}

    private record Household(ProvisionedThing car, ProvisionedThing speaker) {}

    private static final java.util.concurrent.atomic.AtomicInteger households =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A car and a speaker of a household of their own, the speaker granted the car's heater (household-read by the
     * model: a member writes it only with a grant). A fresh household: none of its grants is cached yet.
     */
    private static Household household() {
        String owner = "alice-" + households.incrementAndGet();
        ProvisionedThing car = platform.provision("car", owner);
        ProvisionedThing speaker = platform.provision("speaker", owner);
        platform.grantWrite(speaker, car, "cabin.heater.**");
        return new Household(car, speaker);
    }

    /** The speaker wishes the car's heater on; the car listens to its delta, answers and shadow. */
    private static Wish heaterWish(TestDevice carDevice, TestDevice speakerDevice, ProvisionedThing car)
            throws Exception {
        carDevice.subscribe(topic(car, "update/delta"));
        carDevice.subscribe(topic(car, "update/accepted"));
        carDevice.subscribe(topic(car, "get/accepted"));
        speakerDevice.subscribe(topic(car, "update/accepted"));
        speakerDevice.publish(topic(car, "update"), HEATER_ON);
        long setAt = speakerDevice
                .next(topic(car, "update/accepted"))
                .payload()
                .get("timestamp")
                .longValue();
        return new Wish(carDevice.next(topic(car, "update/delta")).payload(), setAt);
    }

    @Test
    void theCarRefusesTheHeaterWithAReasonAndGetShowsItRejected() throws Exception {
        Household household = household();
        ProvisionedThing car = household.car();
        ProvisionedThing speaker = household.speaker();
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            // given the speaker's heater wish reached the car, with who asked and until when
            JsonNode delta = heaterWish(carDevice, speakerDevice, car).delta();
            assertThat(delta.at("/state/cabin/heater/isOn").booleanValue()).isTrue();
            assertThat(delta.at("/metadata/cabin/heater/isOn/setBy").textValue())
                    .isEqualTo(id(speaker));
            assertThat(delta.at("/metadata/cabin/heater/isOn/expiresAt").longValue())
                    .isEqualTo(delta.at("/metadata/cabin/heater/isOn/timestamp").longValue() + 3_600_000);

            // when the car refuses it
            carDevice.publish(
                    topic(car, "update"),
                    "{\"rejectDesired\":{\"cabin.heater.isOn\":\"battery below 10 %\"},\"clientToken\":\"no\"}");
            carDevice.next(topic(car, "update/accepted"));

            // then
            JsonNode shadow = get(carDevice, car);
            assertThat(shadow.at("/state/desired").isEmpty()).isTrue();
            assertThat(shadow.at("/state/delta").isEmpty()).isTrue();
            JsonNode outcome = shadow.at("/desiredOutcomes/cabin.heater.isOn");
            assertThat(outcome.get("status").textValue()).isEqualTo("rejected");
            assertThat(outcome.get("reason").textValue()).isEqualTo("battery below 10 %");
            assertThat(outcome.get("value").booleanValue()).isTrue();
            assertThat(outcome.get("setBy").textValue()).isEqualTo(id(speaker));
        }
    }

    @Test
    void theHeaterWishClearsItselfOnceTheCarReportsItAndTheOutcomeSaysApplied() throws Exception {
        Household household = household();
        ProvisionedThing car = household.car();
        ProvisionedThing speaker = household.speaker();
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            long setAt = heaterWish(carDevice, speakerDevice, car).setAt();

            // when the car reports the heater on
            carDevice.publish(
                    topic(car, "update"), "{\"state\":{\"reported\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");
            carDevice.next(topic(car, "update/accepted"));

            // then the wish left desired and the delta by itself, and its outcome is readable
            JsonNode shadow = get(carDevice, car);
            assertThat(shadow.at("/state/desired").isEmpty()).isTrue();
            assertThat(shadow.at("/state/delta").isEmpty()).isTrue();
            assertThat(shadow.at("/state/reported/cabin/heater/isOn").booleanValue())
                    .isTrue();
            JsonNode outcome = shadow.at("/desiredOutcomes/cabin.heater.isOn");
            assertThat(outcome.get("status").textValue()).isEqualTo("applied");
            assertThat(outcome.get("value").booleanValue()).isTrue();
            assertThat(outcome.get("setBy").textValue()).isEqualTo(id(speaker));
            assertThat(outcome.get("setAt").longValue()).isEqualTo(setAt);
            assertThat(outcome.get("at").longValue()).isGreaterThanOrEqualTo(setAt);
        }
    }

    @Test
    void aHouseholdMemberMayNotRefuseTheCarsDesiredValues() throws Exception {
        Household household = household();
        ProvisionedThing car = household.car();
        ProvisionedThing speaker = household.speaker();
        try (TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            speakerDevice.subscribe(topic(car, "update/accepted"));
            speakerDevice.subscribe(topic(car, "update/rejected"));
            speakerDevice.publish(topic(car, "update"), HEATER_ON);
            speakerDevice.next(topic(car, "update/accepted"));

            speakerDevice.publish(
                    topic(car, "update"),
                    "{\"rejectDesired\":{\"cabin.heater.isOn\":\"changed my mind\"},\"clientToken\":\"not-mine\"}");
            JsonNode refused = speakerDevice.next(topic(car, "update/rejected")).payload();

            assertThat(refused.get("code").intValue()).isEqualTo(403);
            assertThat(refused.get("message").textValue())
                    .isEqualTo("rejectDesired: only thing " + id(car)
                            + " refuses its own desired values; household members set or withdraw them");
            assertThat(refused.get("clientToken").textValue()).isEqualTo("not-mine");
            assertThat(speakerDevice.receivedWithin(topic(car, "update/accepted"), 300))
                    .isFalse();
        }
    }
}
