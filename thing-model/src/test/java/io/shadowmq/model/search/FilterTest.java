package io.shadowmq.model.search;

import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.ShadowDocument;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each operator matches on things of the shipped models, and the index plan it gives (docs/search.md).
 */
class FilterTest {

    private static final SearchSchema SCHEMA = SearchSchema.of(ThingModels.bundled());

    /** A car low on fuel with its front left door open and a heater wish; a fridge; a washer; a bare speaker. */
    private static final ThingView CAR = new ThingView("car-1", "car", "alice", true, document("""
            {'state':{'reported':{'range':120,'fuel':{'level':12.5},'doors':{'frontLeft':{'isOpen':true,
              'isLocked':false}},'exteriorTemperature':-3},
              'desired':{'cabin':{'heater':{'isOn':true,'targetTemperature':21}}}},
             'metadata':{'reported':{'range':{'timestamp':1764000000500},'fuel':{'level':{'timestamp':1764000000500}},
               'doors':{'frontLeft':{'isOpen':{'timestamp':1763000000000},'isLocked':{'timestamp':1763000000000}}},
               'exteriorTemperature':{'timestamp':1764000000500}},
              'desired':{'cabin':{'heater':{'isOn':{'timestamp':1764000000900,'setBy':'speaker-1'},
                'targetTemperature':{'timestamp':1764000000900}}}}},
             'version':7,'timestamp':1764000000900}"""));

    private static final ThingView FRIDGE = new ThingView("fridge-1", "fridge", "alice", false, document("""
            {'state':{'reported':{'temperature':4.0,'door':{'isOpen':false}},'desired':{'targetTemperature':4}},
             'metadata':{'reported':{'temperature':{'timestamp':1},'door':{'isOpen':{'timestamp':1}}},
               'desired':{'targetTemperature':{'timestamp':1}}},'version':2,'timestamp':1}"""));
    private static final ThingView WASHER = new ThingView("washer-1", "washer", "bob", true, document("""
            {'state':{'reported':{'state':'running','program':'eco','remainingMinutes':42},'desired':{}},
             'metadata':{'reported':{'state':{'timestamp':1},'program':{'timestamp':1},
               'remainingMinutes':{'timestamp':1}}},'version':1,'timestamp':1}"""));
    private static final ThingView SPEAKER = new ThingView("speaker-1", "speaker", "bob", false, null);
    private static final List<ThingView> ALL = List.of(CAR, FRIDGE, WASHER, SPEAKER);

    static ShadowDocument document(String singleQuoted) {
        try {
            return ShadowDocument.fromStoredJson(SafeJson.read(singleQuoted.replace('\'', '"')));
        } catch (MalformedJsonException e) {
            throw new AssertionError("test JSON is broken: " + e.getMessage());
        }
    }

    /** The things (of CAR, FRIDGE, WASHER, SPEAKER) that the filter matches. */
    private static List<String> matching(String filter) {
        Filter parsed = Rql.parse(filter);
        return ALL.stream().filter(parsed::matches).map(ThingView::thingId).toList();
    }

    @Test
    void eqComparesNumbersByValueStringsExactlyAndBooleans() {
        assertThat(matching("eq(state.reported.range,120)")).containsExactly("car-1");
        assertThat(matching("eq(state.reported.range,120.0)")).containsExactly("car-1");
        assertThat(matching("eq(state.reported.range,1.2e2)")).containsExactly("car-1");
        assertThat(matching("eq(state.reported.temperature,4)")).containsExactly("fridge-1");
        assertThat(matching("eq(state.reported.program,\"eco\")")).containsExactly("washer-1");
        assertThat(matching("eq(state.reported.program,\"Eco\")")).isEmpty();
        assertThat(matching("eq(state.reported.doors.frontLeft.isOpen,true)")).containsExactly("car-1");
        assertThat(matching("eq(state.reported.door.isOpen,false)")).containsExactly("fridge-1");
        assertThat(matching("eq(type,\"washer\")")).containsExactly("washer-1");
        assertThat(matching("eq(owner,\"alice\")")).containsExactly("car-1", "fridge-1");
        assertThat(matching("eq(thingId,\"speaker-1\")")).containsExactly("speaker-1");
        assertThat(matching("eq(connected,true)")).containsExactly("car-1", "washer-1");
    }

    @Test
    void eqNeverMatchesAnotherTypeOrAnObject() {
        assertThat(matching("eq(state.reported.range,\"120\")")).isEmpty();
        assertThat(matching("eq(state.reported.doors.frontLeft.isOpen,1)")).isEmpty();
        assertThat(matching("eq(state.reported.doors,true)")).isEmpty();
        assertThat(matching("eq(connected,\"true\")")).isEmpty();
    }

    @Test
    void neIsNotEqSoItMatchesThingsWithoutTheValue() {
        assertThat(matching("ne(state.reported.program,\"eco\")")).containsExactly("car-1", "fridge-1", "speaker-1");
        assertThat(matching("ne(state.reported.range,120)")).containsExactly("fridge-1", "washer-1", "speaker-1");
    }

    @Test
    void orderingsCompareNumbersByValueAndStringsLexicographically() {
        assertThat(matching("lt(state.reported.fuel.level,20)")).containsExactly("car-1");
        assertThat(matching("lt(state.reported.fuel.level,12.5)")).isEmpty();
        assertThat(matching("le(state.reported.fuel.level,12.5)")).containsExactly("car-1");
        assertThat(matching("gt(state.reported.exteriorTemperature,-3.5)")).containsExactly("car-1");
        assertThat(matching("ge(state.reported.exteriorTemperature,-3)")).containsExactly("car-1");
        assertThat(matching("gt(state.reported.exteriorTemperature,-3)")).isEmpty();
        assertThat(matching("gt(state.reported.state,\"paused\")")).containsExactly("washer-1");
        assertThat(matching("lt(thingId,\"fridge-1\")")).containsExactly("car-1");
        assertThat(matching("le(thingId,\"fridge-1\")")).containsExactly("car-1", "fridge-1");
    }

    @Test
    void orderingsAreFalseWhenMissingOrOfAnotherType() {
        assertThat(matching("lt(state.reported.fuel.level,\"z\")")).isEmpty();
        assertThat(matching("gt(state.reported.state,1)")).isEmpty();
        assertThat(matching("gt(connected,false)")).isEmpty();
        assertThat(matching("lt(state.reported.remainingMinutes,1000)")).containsExactly("washer-1");
    }

    @Test
    void inMatchesAnyOfItsValues() {
        assertThat(matching("in(type,\"car\",\"washer\")")).containsExactly("car-1", "washer-1");
        assertThat(matching("in(state.reported.range,1,120)")).containsExactly("car-1");
        assertThat(matching("in(state.reported.range,\"120\")")).isEmpty();
    }

    @Test
    void likeMatchesWholeStringsWithStarAndQuestionMark() {
        assertThat(matching("like(thingId,\"car-*\")")).containsExactly("car-1");
        assertThat(matching("like(thingId,\"*-1\")")).containsExactly("car-1", "fridge-1", "washer-1", "speaker-1");
        assertThat(matching("like(thingId,\"??????-1\")")).containsExactly("fridge-1", "washer-1");
        assertThat(matching("like(thingId,\"car\")")).isEmpty();
        assertThat(matching("like(state.reported.program,\"e*o\")")).containsExactly("washer-1");
        assertThat(matching("like(state.reported.range,\"*\")")).isEmpty();
        assertThat(matching("like(owner,\"*\")")).hasSize(4);
    }

    @Test
    void globsMatchLikeShellPatterns() {
        assertThat(Glob.matches("", "")).isTrue();
        assertThat(Glob.matches("*", "")).isTrue();
        assertThat(Glob.matches("?", "")).isFalse();
        assertThat(Glob.matches("a*b*c", "aXbYbZc")).isTrue();
        assertThat(Glob.matches("a*b*c", "aXbYbZ")).isFalse();
        assertThat(Glob.matches("*a", "banana")).isTrue();
        assertThat(Glob.matches("b?n*", "banana")).isTrue();
        assertThat(Glob.matches("?", "😀")).isTrue();
        assertThat(Glob.matches("a.c", "abc")).isFalse();
        assertThat(Glob.matches("a**?", "ab")).isTrue();
        assertThat(Glob.matches("*a*a*a*a*a*a*a*b", "a".repeat(5000))).isFalse();
    }

    @Test
    void existsNeedsANumberABooleanOrAString() {
        assertThat(matching("exists(state.desired.cabin.heater.isOn)")).containsExactly("car-1");
        assertThat(matching("exists(state.reported.state)")).containsExactly("washer-1");
        assertThat(matching("exists(state.reported.doors)")).isEmpty();
        assertThat(matching("exists(owner)")).hasSize(4);
        assertThat(matching("exists(version)")).isEmpty();
    }

    @Test
    void existsWithKnownKindsNeedsAValueOfThoseKinds() {
        ThingView odd = new ThingView(
                "fridge-9",
                "fridge",
                "bob",
                false,
                document("{'state':{'reported':{'door':{'isOpen':'ajar'}}},"
                        + "'metadata':{'reported':{'door':{'isOpen':{'timestamp':1}}}},'version':1,'timestamp':1}"));

        assertThat(new Filter.Exists("state.reported.door.isOpen").matches(odd)).isTrue();
        assertThat(new Filter.Exists("state.reported.door.isOpen", Set.of(SearchSchema.Kind.BOOLEAN)).matches(odd))
                .isFalse();
        assertThat(new Filter.Exists("state.reported.door.isOpen", Set.of(SearchSchema.Kind.ENUM)).matches(odd))
                .isTrue();
        assertThat(SearchQuery.parseFilter(SCHEMA, "exists(state.reported.door.isOpen)")
                        .matches(FRIDGE))
                .isTrue();
    }

    @Test
    void metadataTimestampsAreNumbers() {
        assertThat(matching("gt(metadata.reported.fuel.level.timestamp,1764000000000)"))
                .containsExactly("car-1");
        assertThat(matching("lt(metadata.reported.doors.frontLeft.isOpen.timestamp,1764000000000)"))
                .containsExactly("car-1");
        assertThat(matching("eq(metadata.desired.cabin.heater.isOn.setBy,\"speaker-1\")"))
                .containsExactly("car-1");
        assertThat(matching("exists(metadata.reported.temperature.timestamp)")).containsExactly("fridge-1");
    }

    @Test
    void aThingWithoutAShadowHasOnlyItsRegistration() {
        assertThat(matching("and(eq(type,\"speaker\"),not(exists(state.reported.volume)))"))
                .containsExactly("speaker-1");
        assertThat(matching("exists(metadata.reported.volume.timestamp)")).isEmpty();
    }

    @Test
    void andOrNotCombine() {
        assertThat(matching("and(eq(type,\"car\"),lt(state.reported.fuel.level,20))"))
                .containsExactly("car-1");
        assertThat(matching("or(eq(state.reported.doors.frontLeft.isOpen,true),"
                        + "eq(state.reported.windows.rearLeft.isOpen,true))"))
                .containsExactly("car-1");
        assertThat(matching("or(eq(type,\"fridge\"),eq(owner,\"bob\"))"))
                .containsExactly("fridge-1", "washer-1", "speaker-1");
        assertThat(matching("not(eq(owner,\"bob\"))")).containsExactly("car-1", "fridge-1");
        assertThat(matching("and(eq(owner,\"bob\"))")).containsExactly("washer-1", "speaker-1");
    }

    @Test
    void pathsAndPresence() {
        Filter filter = Rql.parse(
                "and(eq(type,\"car\"),or(eq(connected,true),lt(state.reported.range,5))," + "not(eq(type,\"x\")))");

        assertThat(filter.paths()).containsExactly("type", "connected", "state.reported.range");
        assertThat(filter.needsPresence()).isTrue();
        assertThat(Rql.parse("eq(state.reported.range,5)").needsPresence()).isFalse();
    }

    // ---- plans ----

    private static List<String> plan(String filter) {
        return Rql.parse(filter).plan();
    }

    @Test
    void equalityBecomesALookup() {
        assertThat(plan("eq(state.reported.range,20)")).containsExactly("num", "state.reported.range", "20", "20");
        assertThat(plan("eq(state.reported.fuel.level,20.5)"))
                .containsExactly("num", "state.reported.fuel.level", "20.5", "20.5");
        assertThat(plan("eq(state.desired.cabin.heater.isOn,true)"))
                .containsExactly("val", "state.desired.cabin.heater.isOn", "btrue");
        assertThat(plan("eq(state.reported.program,\"eco\")")).containsExactly("val", "state.reported.program", "seco");
        assertThat(plan("eq(type,\"car\")")).containsExactly("val", "type", "scar");
        assertThat(plan("eq(owner,\"alice\")")).containsExactly("val", "owner", "salice");
        assertThat(plan("eq(thingId,\"car-1\")")).containsExactly("id", "car-1");
    }

    @Test
    void numericOrderingsBecomeScoreRanges() {
        assertThat(plan("lt(state.reported.fuel.level,20)"))
                .containsExactly("num", "state.reported.fuel.level", "-inf", "(20");
        assertThat(plan("le(state.reported.fuel.level,20)"))
                .containsExactly("num", "state.reported.fuel.level", "-inf", "20");
        assertThat(plan("gt(state.reported.range,-5)")).containsExactly("num", "state.reported.range", "(-5", "+inf");
        assertThat(plan("ge(state.reported.range,1e20)"))
                .containsExactly("num", "state.reported.range", "1.0E20", "+inf");
        assertThat(plan("gt(metadata.reported.fuel.level.timestamp,1764000000000)"))
                .containsExactly("all");
        assertThat(plan("gt(state.reported.state,\"a\")")).containsExactly("all");
    }

    @Test
    void whatTheIndexCannotAnswerIsAll() {
        assertThat(plan("ne(state.reported.range,20)")).containsExactly("all");
        assertThat(plan("not(eq(type,\"car\"))")).containsExactly("all");
        assertThat(plan("like(thingId,\"car-*\")")).containsExactly("all");
        assertThat(plan("eq(connected,true)")).containsExactly("all");
        assertThat(plan("lt(thingId,\"m\")")).containsExactly("all");
        assertThat(plan("eq(metadata.reported.range.timestamp,5)")).containsExactly("all");
        assertThat(plan("exists(type)")).containsExactly("all");
        assertThat(plan("exists(metadata.reported.range.timestamp)")).containsExactly("all");
    }

    @Test
    void inIsAnOrOfEqualities() {
        assertThat(plan("in(type,\"car\",\"fridge\")"))
                .containsExactly("or", "2", "val", "type", "scar", "val", "type", "sfridge");
        assertThat(plan("in(thingId,\"a\")")).containsExactly("id", "a");
        assertThat(plan("in(thingId,\"a\",5)")).containsExactly("all");
    }

    @Test
    void existsLooksWhereThePathsKindsAre() {
        assertThat(plan("exists(state.reported.range)"))
                .containsExactly(
                        "or", "2", "num", "state.reported.range", "-inf", "+inf", "has", "state.reported.range");
        assertThat(SearchQuery.parseFilter(SCHEMA, "exists(state.reported.range)")
                        .plan())
                .containsExactly("num", "state.reported.range", "-inf", "+inf");
        assertThat(SearchQuery.parseFilter(SCHEMA, "exists(state.desired.cabin.heater.isOn)")
                        .plan())
                .containsExactly("has", "state.desired.cabin.heater.isOn");
        assertThat(new Filter.Exists(
                                "state.reported.x", java.util.Set.of(SearchSchema.Kind.NUMBER, SearchSchema.Kind.ENUM))
                        .plan())
                .containsExactly("or", "2", "num", "state.reported.x", "-inf", "+inf", "has", "state.reported.x");
    }

    @Test
    void andKeepsWhatRestrictsOrNeedsEveryChildToRestrict() {
        assertThat(plan("and(eq(type,\"car\"),lt(state.reported.fuel.level,20))"))
                .containsExactly("and", "2", "val", "type", "scar", "num", "state.reported.fuel.level", "-inf", "(20");
        assertThat(plan("and(eq(type,\"car\"),eq(connected,true))")).containsExactly("val", "type", "scar");
        assertThat(plan("and(eq(connected,true),not(eq(type,\"car\")))")).containsExactly("all");
        assertThat(plan("or(eq(type,\"car\"),eq(connected,true))")).containsExactly("all");
        assertThat(plan("or(eq(state.reported.doors.frontLeft.isOpen,true),"
                        + "eq(state.reported.windows.rearLeft.isOpen,true))"))
                .containsExactly(
                        "or",
                        "2",
                        "val",
                        "state.reported.doors.frontLeft.isOpen",
                        "btrue",
                        "val",
                        "state.reported.windows.rearLeft.isOpen",
                        "btrue");
        assertThat(plan("and(or(eq(type,\"car\")),and(eq(owner,\"a\"),exists(x)))"))
                .containsExactly("and", "2", "val", "type", "scar", "val", "owner", "sa");
    }
}
