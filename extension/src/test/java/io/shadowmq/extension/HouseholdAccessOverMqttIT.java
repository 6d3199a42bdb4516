package io.shadowmq.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.extension.harness.EmbeddedBroker;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.model.access.Grant;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Household least privilege over MQTT, end to end: real HiveMQ brokers with the packaged extension, a real Redis, real
 * MQTT 5 clients and the shipped models. The speaker reads the car's range and windows but never its location,
 * neither by asking nor through a subscription or a summary; it may not unlock the car, and turns the heater on only
 * while a grant allows it - a revocation refuses the very next write of its live session, on whichever broker.
 */
class HouseholdAccessOverMqttIT {

    @RegisterExtension
    @Order(1)
    static final ShadowPlatform platform = new ShadowPlatform();

    @RegisterExtension
    @Order(2)
    static final EmbeddedBroker second = platform.anotherBroker();

    private static final String CAR_STATE = "{\"state\":{\"reported\":{\"range\":312,"
            + "\"windows\":{\"rearLeft\":{\"isOpen\":true},\"frontLeft\":{\"isOpen\":false}},"
            + "\"location\":{\"latitude\":48.1374,\"longitude\":11.5755},"
            + "\"cabin\":{\"temperature\":4.5,\"heater\":{\"isOn\":false}}}}}";

    private static final String HEATER_ON =
            "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}},\"clientToken\":\"warm\"}";

    @BeforeEach
    void serving() {
        platform.broker().log().await("ShadowMQ extension serving");
        second.log().await("ShadowMQ extension serving");
    }

    @Test
    void theSpeakerReadsRangeAndWindowsButNeverTheLocationAndEveryReadIsAudited() throws Exception {
        ProvisionedThing car = platform.provision("car", "alice");
        ProvisionedThing speaker = platform.provision("speaker", "alice");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            reported(carDevice, car);
            speakerDevice.subscribe(shadow(car, "get/accepted"));
            speakerDevice.subscribe(shadow(car, "get/rejected"));

            // a selecting get: only what was asked for
            speakerDevice.publish(shadow(car, "get"), "{\"paths\":[\"range\",\"windows.**\"],\"clientToken\":\"sel\"}");
            JsonNode selected = speakerDevice.next(shadow(car, "get/accepted")).payload();
            assertThat(selected.get("clientToken").asText()).isEqualTo("sel");
            assertThat(selected.at("/state/reported/range").asInt()).isEqualTo(312);
            assertThat(selected.at("/state/reported/windows/rearLeft/isOpen").asBoolean())
                    .isTrue();
            assertThat(selected.at("/metadata/reported/range/timestamp").isNumber())
                    .isTrue();
            assertThat(selected.at("/state/reported").has("cabin")).isFalse();
            assertThat(selected.at("/state/reported").has("location")).isFalse();

            // the whole document: everything readable, the location pruned silently
            speakerDevice.publish(shadow(car, "get"), "{\"clientToken\":\"all\"}");
            JsonNode whole = speakerDevice.next(shadow(car, "get/accepted")).payload();
            assertThat(whole.at("/state/reported/range").asInt()).isEqualTo(312);
            assertThat(whole.at("/state/reported/cabin/heater/isOn").isBoolean())
                    .isTrue();
            assertThat(whole.at("/state/reported").has("location")).isFalse();
            assertThat(whole.at("/metadata/reported").has("location")).isFalse();

            // asking for the location outright: 403 naming it; a path the model does not have: 422
            speakerDevice.publish(shadow(car, "get"), "{\"paths\":[\"range\",\"location\"],\"clientToken\":\"loc\"}");
            JsonNode refused = speakerDevice.next(shadow(car, "get/rejected")).payload();
            assertThat(refused.get("code").asInt()).isEqualTo(403);
            assertThat(refused.get("message").asText())
                    .isEqualTo("location: " + id(speaker) + " may not read location of " + id(car));
            assertThat(refused.get("clientToken").asText()).isEqualTo("loc");
            speakerDevice.publish(shadow(car, "get"), "{\"paths\":[\"locaton\"]}");
            JsonNode unknown = speakerDevice.next(shadow(car, "get/rejected")).payload();
            assertThat(unknown.get("code").asInt()).isEqualTo(422);
            assertThat(unknown.get("message").asText()).contains("locaton");

            // the car itself reads its location (the subscriber filter leaves its own deliveries alone)
            carDevice.subscribe(shadow(car, "get/accepted"));
            carDevice.publish(shadow(car, "get"), "{\"clientToken\":\"own\"}");
            assertThat(carDevice
                            .next(shadow(car, "get/accepted"))
                            .payload()
                            .at("/state/reported/location/latitude")
                            .asDouble())
                    .isEqualTo(48.1374);
            // ... and its answer, delivered to the speaker's subscription too, reaches it without the location
            JsonNode carsAnswer =
                    speakerDevice.next(shadow(car, "get/accepted")).payload();
            assertThat(carsAnswer.get("clientToken").asText()).isEqualTo("own");
            assertThat(carsAnswer.at("/state/reported/range").asInt()).isEqualTo(312);
            assertThat(carsAnswer.at("/state/reported").has("location")).isFalse();
        }
        // every read of the speaker on the car, with its answer; none of the car's own
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(audit(car))
                        .filteredOn(entry -> entry.operation().equals("read")
                                && entry.actor().equals("thing:" + id(speaker)))
                        .extracting(AuditEntry::paths, AuditEntry::code)
                        .contains(
                                org.assertj.core.groups.Tuple.tuple(List.of("range", "windows.**"), 200),
                                org.assertj.core.groups.Tuple.tuple(List.of(), 200),
                                org.assertj.core.groups.Tuple.tuple(List.of("range", "location"), 403),
                                org.assertj.core.groups.Tuple.tuple(List.of("locaton"), 422)));
        assertThat(audit(car)).noneMatch(entry -> entry.actor().equals("thing:" + id(car)));
    }

    @Test
    void theSpeakerMayNotUnlockTheCarButMayLockIt() throws Exception {
        ProvisionedThing car = platform.provision("car", "bob");
        ProvisionedThing speaker = platform.provision("speaker", "bob");
        try (TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            speakerDevice.subscribe(actions(car, "+/rejected"));
            speakerDevice.subscribe(actions(car, "+/accepted"));

            speakerDevice.publish(actions(car, "unlock"), "{\"clientToken\":\"open\"}");
            JsonNode unlock =
                    speakerDevice.next(actions(car, "unlock/rejected")).payload();
            assertThat(unlock.get("code").asInt()).isEqualTo(403);
            assertThat(unlock.get("message").asText())
                    .isEqualTo("unlock: " + id(speaker) + " may not invoke it on " + id(car));
            assertThat(unlock.get("clientToken").asText()).isEqualTo("open");

            speakerDevice.publish(actions(car, "startClimatization"), "{}");
            assertThat(speakerDevice
                            .next(actions(car, "startClimatization/rejected"))
                            .payload()
                            .get("code")
                            .asInt())
                    .isEqualTo(403);

            speakerDevice.publish(actions(car, "lock"), "{\"clientToken\":\"close\"}");
            assertThat(speakerDevice
                            .next(actions(car, "lock/accepted"))
                            .payload()
                            .get("status")
                            .asText())
                    .isEqualTo("queued");
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(audit(car))
                        .filteredOn(entry -> entry.operation().equals("invoke"))
                        .extracting(AuditEntry::paths, AuditEntry::code)
                        .contains(
                                org.assertj.core.groups.Tuple.tuple(List.of("unlock"), 403),
                                org.assertj.core.groups.Tuple.tuple(List.of("lock"), 200)));
    }

    @Test
    void theSpeakersDocumentsCarryNoLocationWhileTheCarsOwnDo() throws Exception {
        ProvisionedThing car = platform.provision("car", "carol");
        ProvisionedThing speaker = platform.provision("speaker", "carol");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            carDevice.subscribe(shadow(car, "update/documents"));
            speakerDevice.subscribe(shadow(car, "update/documents"));
            speakerDevice.subscribe(shadow(car, "update/accepted"));

            reported(carDevice, car);

            JsonNode own = carDevice.next(shadow(car, "update/documents")).payload();
            assertThat(own.at("/current/state/reported/location/latitude").asDouble())
                    .isEqualTo(48.1374);
            JsonNode members =
                    speakerDevice.next(shadow(car, "update/documents")).payload();
            assertThat(members.at("/current/version").asLong())
                    .isEqualTo(own.at("/current/version").asLong());
            assertThat(members.at("/current/state/reported/range").asInt()).isEqualTo(312);
            assertThat(members.at("/current/state/reported").has("location")).isFalse();
            assertThat(members.at("/current/metadata/reported").has("location")).isFalse();
            // the car's own update/accepted, which the speaker's subscription receives too
            JsonNode accepted =
                    speakerDevice.next(shadow(car, "update/accepted")).payload();
            assertThat(accepted.at("/state/reported/range").asInt()).isEqualTo(312);
            assertThat(accepted.at("/state/reported").has("location")).isFalse();

            // a change of the location alone: the car sees it, the speaker a document with nothing of it
            carDevice.publish(shadow(car, "update"), "{\"state\":{\"reported\":{\"location\":{\"latitude\":48.2}}}}");
            assertThat(carDevice
                            .next(shadow(car, "update/documents"))
                            .payload()
                            .at("/previous/state/reported/location/latitude")
                            .asDouble())
                    .isEqualTo(48.1374);
            JsonNode moved = speakerDevice.next(shadow(car, "update/documents")).payload();
            assertThat(moved.toString()).doesNotContain("latitude").doesNotContain("48.");
        }
    }

    @Test
    void theSummaryOverMqttSaysNothingOfTheLocation() throws Exception {
        ProvisionedThing car = platform.provision("car", "dave");
        ProvisionedThing speaker = platform.provision("speaker", "dave");
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(platform.broker(), speaker)) {
            reported(carDevice, car);
            String answers = "things/" + id(car) + "/summary/get/accepted";
            speakerDevice.subscribe(answers);

            speakerDevice.publish("things/" + id(car) + "/summary/get", "{\"clientToken\":\"say\"}");

            JsonNode summary = speakerDevice.next(answers).payload();
            assertThat(summary.get("text").asText()).startsWith("Your car can drive 312 more");
            assertThat(summary.get("facts").findValuesAsText("path"))
                    .contains("range")
                    .noneMatch(path -> path.startsWith("location"));
            assertThat(summary.toString()).doesNotContain("48.1374");
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(audit(car))
                        .extracting(AuditEntry::operation, AuditEntry::paths, AuditEntry::code)
                        .contains(org.assertj.core.groups.Tuple.tuple("read", List.of("summary"), 200)));
    }

    @Test
    void aGrantLetsTheSpeakerTurnTheHeaterOnAndItsRevocationRefusesTheNextWriteOfTheLiveSession() throws Exception {
        ProvisionedThing car = platform.provision("car", "erin");
        ProvisionedThing speaker = platform.provision("speaker", "erin");
        // The car on one broker, the speaker on the other: the grant is made by neither, and both hear of it.
        try (TestDevice carDevice = TestDevice.connect(platform.broker(), car);
                TestDevice speakerDevice = TestDevice.connect(second, speaker)) {
            carDevice.subscribe(shadow(car, "update/delta"));
            speakerDevice.subscribe(shadow(car, "update/accepted"));
            speakerDevice.subscribe(shadow(car, "update/rejected"));

            speakerDevice.publish(shadow(car, "update"), HEATER_ON);
            JsonNode household =
                    speakerDevice.next(shadow(car, "update/rejected")).payload();
            assertThat(household.get("code").asInt()).isEqualTo(403);
            assertThat(household.get("message").asText())
                    .isEqualTo("desired.cabin.heater.isOn: " + id(speaker) + " may not write it on " + id(car)
                            + " (household read; a grant can allow it)");

            long heard = FeedRoutingIT.entriesRead(second);
            Grant grant = platform.grantWrite(speaker, car, "cabin.heater.**");
            await().atMost(Duration.ofSeconds(10)).until(() -> FeedRoutingIT.entriesRead(second) > heard);

            speakerDevice.publish(shadow(car, "update"), HEATER_ON);
            assertThat(speakerDevice
                            .next(shadow(car, "update/accepted"))
                            .payload()
                            .get("clientToken")
                            .asText())
                    .isEqualTo("warm");
            assertThat(carDevice
                            .next(shadow(car, "update/delta"))
                            .payload()
                            .at("/state/cabin/heater/isOn")
                            .asBoolean())
                    .isTrue();

            long heardGrant = FeedRoutingIT.entriesRead(second);
            platform.revoke(grant);
            await().atMost(Duration.ofSeconds(10)).until(() -> FeedRoutingIT.entriesRead(second) > heardGrant);

            speakerDevice.publish(
                    shadow(car, "update"),
                    "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"targetTemperature\":24}}}},"
                            + "\"clientToken\":\"warmer\"}");
            JsonNode revoked =
                    speakerDevice.next(shadow(car, "update/rejected")).payload();
            assertThat(revoked.get("code").asInt()).isEqualTo(403);
            assertThat(revoked.get("clientToken").asText()).isEqualTo("warmer");
            assertThat(revoked.get("message").asText())
                    .startsWith("desired.cabin.heater.targetTemperature: " + id(speaker));
            assertThat(speakerDevice.isConnected()).isTrue();
            assertThat(speakerDevice.receivedWithin(shadow(car, "update/accepted"), 300))
                    .isFalse();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(audit(car))
                        .filteredOn(entry -> entry.operation().equals("write"))
                        .extracting(AuditEntry::paths, AuditEntry::code)
                        .containsExactlyInAnyOrder(
                                org.assertj.core.groups.Tuple.tuple(List.of("cabin.heater.isOn"), 403),
                                org.assertj.core.groups.Tuple.tuple(List.of("cabin.heater.isOn"), 200),
                                org.assertj.core.groups.Tuple.tuple(List.of("cabin.heater.targetTemperature"), 403)));
    }

    /** The car reports range, windows, location and cabin, and waits for its own accepted. */
    private static void reported(TestDevice carDevice, ProvisionedThing car) throws Exception {
        carDevice.subscribe(shadow(car, "update/accepted"));
        carDevice.publish(shadow(car, "update"), CAR_STATE);
        carDevice.next(shadow(car, "update/accepted"));
    }

    private static List<AuditEntry> audit(ProvisionedThing thing) throws Exception {
        return platform
                .store()
                .audit()
                .list(thing.thing().owner(), 100, null)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .orElseThrow()
                .stream()
                .filter(entry -> entry.target().equals(id(thing)))
                .toList();
    }

    private static String shadow(ProvisionedThing thing, String suffix) {
        return "things/" + id(thing) + "/shadow/" + suffix;
    }

    private static String actions(ProvisionedThing thing, String suffix) {
        return "things/" + id(thing) + "/actions/" + suffix;
    }

    private static String id(ProvisionedThing thing) {
        return thing.thing().thingId().value();
    }
}
