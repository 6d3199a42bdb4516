package io.shadowmq.model.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.thing.Owner;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a household member may do on the shipped car, with and without grants, and what it gets to see. */
class AccessTest {

    private static final ThingModel CAR = ThingModels.bundled().get("car").orElseThrow();
    private static final long NOW = 1_700_000_000_000L;

    /** A car that reported everything, with a pending heater wish and a location. */
    private static final ShadowDocument CAR_1 = ShadowDocument.fromStoredJson(json("""
            {'state':{'reported':{'range':310,'location':{'latitude':48.1,'longitude':11.5},
                                  'doors':{'frontLeft':{'isOpen':false,'isLocked':true}},
                                  'windows':{'rearLeft':{'isOpen':true}},
                                  'cabin':{'temperature':4.5,'heater':{'isOn':false}}},
                      'desired':{'cabin':{'heater':{'isOn':true}}}},
             'metadata':{'reported':{'range':{'timestamp':1},'location':{'latitude':{'timestamp':1},
                                     'longitude':{'timestamp':1}},
                                     'doors':{'frontLeft':{'isOpen':{'timestamp':1},'isLocked':{'timestamp':1}}},
                                     'windows':{'rearLeft':{'isOpen':{'timestamp':1}}},
                                     'cabin':{'temperature':{'timestamp':1},'heater':{'isOn':{'timestamp':1}}}},
                         'desired':{'cabin':{'heater':{'isOn':{'timestamp':2,'setBy':'admin'}}}}},
             'version':7,'timestamp':2,
             'desiredOutcomes':{'cabin.heater.targetTemperature':{'status':'applied','value':21,'setBy':'admin',
                                'setAt':1,'at':2}}}
            """));

    private final Access speaker = Access.member(CAR, List.of());

    @Test
    void aMemberReadsWhatTheCarSensesButNotItsLocation() {
        assertThat(speaker.isFull()).isFalse();
        assertThat(speaker.mayRead("range")).isTrue();
        assertThat(speaker.mayRead("windows.rearLeft.isOpen")).isTrue();
        assertThat(speaker.mayRead("windows")).isTrue();
        assertThat(speaker.mayRead("doors.trunk.isLocked")).isTrue();
        assertThat(speaker.mayRead("cabin.heater.isOn")).isTrue();
        assertThat(speaker.mayRead("location.latitude")).isFalse();
        assertThat(speaker.mayRead("location")).isFalse();
        assertThat(speaker.mayRead("wheels")).isFalse();
        assertThat(speaker.mayRead("range.x")).isFalse();
        assertThat(speaker.readFilter().mayRead("location.longitude")).isFalse();
        assertThat(speaker.readsEverything()).isFalse();
    }

    @Test
    void aMemberCannotWriteTheHeaterOrTheLocksWithoutAGrant() {
        assertThat(speaker.mayWrite("cabin.heater.isOn")).isFalse();
        assertThat(speaker.mayWrite("doors.frontLeft.isLocked")).isFalse();
        assertThat(speaker.mayWrite("range")).isFalse();
        assertThat(speaker.firstUnwritable(json("{'cabin':{'heater':{'isOn':true}}}")))
                .contains("cabin.heater.isOn");
        assertThat(speaker.firstUnwritable(json("{'doors':{'rearLeft':{'isLocked':false}}}")))
                .contains("doors.rearLeft.isLocked");
    }

    @Test
    void aGrantOfTheHeaterLetsTheMemberWriteItAndNothingElse() {
        Access granted = Access.member(CAR, List.of(grant(List.of(), List.of("cabin.heater.**"), List.of())));

        assertThat(granted.mayWrite("cabin.heater.isOn")).isTrue();
        assertThat(granted.mayWrite("cabin.heater.targetTemperature")).isTrue();
        assertThat(granted.mayWrite("cabin.heater")).isTrue();
        // Everything writable in the cabin is the heater's; the doors' locks are not granted.
        assertThat(granted.mayWrite("cabin")).isTrue();
        assertThat(granted.mayWrite("doors")).isFalse();
        assertThat(granted.mayWrite("doors.frontLeft.isLocked")).isFalse();
        assertThat(granted.firstUnwritable(json("{'cabin':{'heater':{'isOn':true,'targetTemperature':22}}}")))
                .isEmpty();
        assertThat(granted.firstUnwritable(json("{'cabin':{'heater':{'isOn':null}}}")))
                .isEmpty();
        assertThat(granted.firstUnwritable(json("{'cabin':{'heater':null}}"))).isEmpty();
        assertThat(granted.firstUnwritable(
                        json("{'cabin':{'heater':{'isOn':true}},'doors':{'trunk':{'isLocked':true}}}")))
                .contains("doors.trunk.isLocked");
    }

    @Test
    void withdrawingCountsAsWritingEveryWritableLeafBelow() {
        Access granted = Access.member(CAR, List.of(grant(List.of(), List.of("cabin.heater.isOn"), List.of())));

        assertThat(granted.firstUnwritable(json("{'cabin':{'heater':{'isOn':null}}}")))
                .isEmpty();
        assertThat(granted.firstUnwritable(json("{'cabin':null}"))).contains("cabin.heater.targetTemperature");
        assertThat(granted.firstUnwritable(json("null"))).contains("doors.frontLeft.isLocked");
        // Nothing writable below the location: withdrawing it withdraws nothing a member could not.
        assertThat(granted.firstUnwritable(json("{'location':null}"))).isEmpty();
        // Keys the model does not know are not a member's to touch.
        assertThat(granted.firstUnwritable(json("{'cabin':{'seat':null}}"))).contains("cabin.seat");
    }

    @Test
    void aWriteGrantImpliesReadAndAReadGrantRevealsWhatItNames() {
        Access granted = Access.member(CAR, List.of(grant(List.of("location.latitude"), List.of(), List.of())));

        assertThat(granted.mayRead("location.latitude")).isTrue();
        assertThat(granted.mayRead("location.longitude")).isFalse();
        assertThat(granted.mayRead("location")).isTrue();
        assertThat(granted.mayWrite("location.latitude")).isFalse();
    }

    @Test
    void actionsFollowTheModelAndGrantsButNeverCritical() {
        assertThat(speaker.mayInvoke("lock")).isTrue();
        assertThat(speaker.mayInvoke("honkAndFlash")).isTrue();
        assertThat(speaker.mayInvoke("startClimatization")).isFalse();
        assertThat(speaker.mayInvoke("unlock")).isFalse();
        assertThat(speaker.mayInvoke("fly")).isFalse();

        // A grant naming unlock is refused when made (GrantRequestTest); one stored anyway grants nothing.
        Access granted = Access.member(
                CAR, List.of(grant(List.of(), List.of(), List.of("startClimatization", "unlock", "fly"))));
        assertThat(granted.mayInvoke("startClimatization")).isTrue();
        assertThat(granted.mayInvoke("unlock")).isFalse();
        assertThat(granted.mayInvoke("fly")).isFalse();
    }

    @Test
    void fullMayDoEverythingAndReturnsTheSamePayload() {
        ObjectNode payload = ShadowPayloads.get(CAR_1, NOW, "t-1");

        assertThat(Access.FULL.isFull()).isTrue();
        assertThat(Access.FULL.readsEverything()).isTrue();
        assertThat(Access.FULL.mayRead("location.latitude")).isTrue();
        assertThat(Access.FULL.mayWrite("anything")).isTrue();
        assertThat(Access.FULL.mayInvoke("unlock")).isTrue();
        assertThat(Access.FULL.firstUnwritable(json("{'x':1}"))).isEmpty();
        assertThat(Access.FULL.readable(payload)).isSameAs(payload);
    }

    @Test
    void getAcceptedIsPrunedToReadableLeaves() {
        ObjectNode payload = ShadowPayloads.get(CAR_1, NOW, "t-1");
        ObjectNode before = payload.deepCopy();

        ObjectNode readable = speaker.readable(payload);

        assertThat(payload).isEqualTo(before);
        assertThat(readable).isNotSameAs(payload);
        assertThat(readable.at("/state/reported/range").asInt()).isEqualTo(310);
        assertThat(readable.at("/state/reported/windows/rearLeft/isOpen").asBoolean())
                .isTrue();
        assertThat(readable.at("/state/reported").has("location")).isFalse();
        assertThat(readable.at("/metadata/reported").has("location")).isFalse();
        assertThat(readable.at("/metadata/reported/range/timestamp").asLong()).isEqualTo(1);
        assertThat(readable.at("/state/desired/cabin/heater/isOn").asBoolean()).isTrue();
        assertThat(readable.at("/state/delta/cabin/heater/isOn").asBoolean()).isTrue();
        assertThat(readable.at("/metadata/desired/cabin/heater/isOn/setBy").asText())
                .isEqualTo("admin");
        assertThat(readable.path("desiredOutcomes").has("cabin.heater.targetTemperature"))
                .isTrue();
        assertThat(readable.path("version").asLong()).isEqualTo(7);
        assertThat(readable.path("clientToken").asText()).isEqualTo("t-1");
        assertThat(readable.path("timestamp").asLong()).isEqualTo(NOW);
        assertThat(SafeJson.write(readable)).asString().doesNotContain("latitude", "longitude", "48.1");
    }

    @Test
    void documentsPayloadIsPrunedInBothDocuments() {
        ShadowDocument previous = ShadowDocument.fromStoredJson(json("""
                {'state':{'reported':{'location':{'latitude':47.0}},'desired':{}},
                 'metadata':{'reported':{'location':{'latitude':{'timestamp':1}}},'desired':{}},
                 'version':6,'timestamp':1}
                """));
        ObjectNode payload = ShadowPayloads.documents(previous, CAR_1, NOW);
        payload.put("thingId", "car-1");

        ObjectNode readable = speaker.readable(payload);

        assertThat(readable.at("/previous/state/reported")).isEqualTo(json("{}"));
        assertThat(readable.at("/previous/metadata/reported")).isEqualTo(json("{}"));
        assertThat(readable.at("/previous/version").asLong()).isEqualTo(6);
        assertThat(readable.at("/current/state/reported/range").asInt()).isEqualTo(310);
        assertThat(readable.at("/current/state/reported").has("location")).isFalse();
        assertThat(readable.path("thingId").asText()).isEqualTo("car-1");
        assertThat(readable.path("timestamp").asLong()).isEqualTo(NOW);
        assertThat(SafeJson.write(readable)).asString().doesNotContain("latitude");
    }

    @Test
    void deltaPayloadHasTheTreesDirectly() {
        Access noHeater = Access.member(CAR, List.of()).selecting(List.of(new PathPattern("range")));
        ObjectNode delta = ShadowPayloads.delta(CAR_1, NOW);

        assertThat(speaker.readable(delta).at("/state/cabin/heater/isOn").asBoolean())
                .isTrue();
        assertThat(speaker.readableDelta(delta)
                        .at("/metadata/cabin/heater/isOn/setBy")
                        .asText())
                .isEqualTo("admin");
        assertThat(noHeater.readableDelta(delta).path("state")).isEqualTo(json("{}"));
        assertThat(noHeater.readableDelta(delta).path("metadata")).isEqualTo(json("{}"));
        assertThat(noHeater.readableDelta(delta).path("version").asLong()).isEqualTo(7);
    }

    @Test
    void updateAcceptedKeepsReadableWithdrawalsAndDropsHiddenOnes() {
        ObjectNode accepted = json("""
                {'state':{'reported':{'range':300,'location':null},'desired':{'cabin':{'heater':{'isOn':null}}}},
                 'metadata':{'reported':{'range':{'timestamp':3}}},'version':8,'timestamp':3}
                """);

        ObjectNode readable = speaker.readable(accepted);

        assertThat(readable.path("state"))
                .isEqualTo(json("{'reported':{'range':300}," + "'desired':{'cabin':{'heater':{'isOn':null}}}}"));
        assertThat(readable.path("metadata")).isEqualTo(json("{'reported':{'range':{'timestamp':3}}}"));
    }

    @Test
    void aClearedSectionStaysClearedAndTheArgumentIsNotChanged() {
        ObjectNode accepted =
                json("{'state':{'desired':null},'metadata':{},'version':9,'timestamp':4,'clientToken':'c'}");
        ObjectNode before = accepted.deepCopy();

        assertThat(speaker.readable(accepted)).isEqualTo(before);
        assertThat(accepted).isEqualTo(before);
    }

    @Test
    void outcomesOfHiddenPathsAreDropped() {
        ObjectNode payload = json("""
                {'state':{'reported':{},'desired':{},'delta':{}},'metadata':{'reported':{},'desired':{}},
                 'desiredOutcomes':{'location.latitude':{'status':'expired'},'cabin.heater.isOn':{'status':'applied'}}}
                """);

        assertThat(speaker.readable(payload).path("desiredOutcomes").properties())
                .extracting(entry -> entry.getKey())
                .containsExactly("cabin.heater.isOn");
    }

    @Test
    void selectionKeepsOnlyTheNamedPaths() {
        List<PathPattern> asked = patterns("range", "windows.**");
        Access selected = speaker.selecting(asked);

        ObjectNode readable = selected.readable(ShadowPayloads.get(CAR_1, NOW, "t-2"));

        assertThat(speaker.firstUnreadable(asked)).isEmpty();
        assertThat(readable.at("/state/reported"))
                .isEqualTo(json("{'range':310,'windows':{'rearLeft':{'isOpen':true}}}"));
        assertThat(readable.at("/state/desired")).isEqualTo(json("{}"));
        assertThat(readable.at("/metadata/reported/windows/rearLeft/isOpen/timestamp")
                        .asLong())
                .isEqualTo(1);
        assertThat(readable.path("desiredOutcomes")).isEqualTo(json("{}"));
        assertThat(readable.path("clientToken").asText()).isEqualTo("t-2");
        assertThat(selected.mayRead("doors.frontLeft.isOpen")).isFalse();
        assertThat(selected.mayWrite("cabin.heater.isOn")).isFalse();
    }

    @Test
    void firstUnreadableNamesThePathAsAskedWhenAnyPartIsHidden() {
        assertThat(speaker.firstUnreadable(patterns("range", "location"))).contains("location");
        assertThat(speaker.firstUnreadable(patterns("*"))).contains("*");
        assertThat(speaker.firstUnreadable(patterns("location.longitude"))).contains("location.longitude");
        assertThat(Access.FULL.firstUnreadable(patterns("location"))).isEmpty();
    }

    @Test
    void theOwnerMaySelectToo() {
        Access owner = Access.FULL.selecting(patterns("location", "doors.*.isLocked"));

        ObjectNode readable = owner.readable(ShadowPayloads.get(CAR_1, NOW, null));

        assertThat(owner.isFull()).isFalse();
        assertThat(readable.at("/state/reported"))
                .isEqualTo(json("{'location':{'latitude':48.1,'longitude':11.5},"
                        + "'doors':{'frontLeft':{'isLocked':true}}}"));
        assertThat(readable.at("/metadata/reported/doors/frontLeft")).isEqualTo(json("{'isLocked':{'timestamp':1}}"));
        assertThat(Access.FULL.selecting(List.of())).isSameAs(Access.FULL);
    }

    @Test
    void aMemberWhoMayReadEverythingSaysSo() {
        Access all = Access.member(CAR, List.of(grant(List.of("location"), List.of(), List.of())));

        assertThat(all.readsEverything()).isTrue();
        assertThat(all.readable(ShadowPayloads.get(CAR_1, NOW, null)))
                .isEqualTo(Access.FULL.readable(ShadowPayloads.get(CAR_1, NOW, null)));
    }

    static Grant grant(List<String> read, List<String> write, List<String> invoke) {
        return new Grant("g-1", Owner.of("alice"), "speaker-1", "car-1", read, write, invoke, null, NOW, "admin");
    }

    static List<PathPattern> patterns(String... texts) {
        return Arrays.stream(texts).map(PathPattern::new).toList();
    }

    @SuppressWarnings("unchecked")
    static <T extends JsonNode> T json(String singleQuoted) {
        try {
            return (T) SafeJson.read(singleQuoted.replace('\'', '"'));
        } catch (MalformedJsonException e) {
            throw new AssertionError(e);
        }
    }
}
