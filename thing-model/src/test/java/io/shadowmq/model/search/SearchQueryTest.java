package io.shadowmq.model.search;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A search request's parameters checked against the shipped models, and what each wrong one is told. */
class SearchQueryTest {

    private static final SearchSchema SCHEMA = SearchSchema.of(ThingModels.bundled());
    private static final String LOW_FUEL = "and(eq(type,\"car\"),lt(state.reported.fuel.level,20))";

    private static SearchQuery query(String filter, String fields, String sort, String limit) {
        return SearchQuery.parse(SCHEMA, filter, fields, sort, limit);
    }

    @Test
    void aFilterAloneGetsTheDefaults() {
        SearchQuery query = query(LOW_FUEL, null, null, null);

        assertThat(query.filter()).isEqualTo(Rql.parse(LOW_FUEL));
        assertThat(query.fields()).isEqualTo(Projection.DEFAULT);
        assertThat(query.fields().fields())
                .containsExactly("thingId", "type", "owner", "connected", "version", "state");
        assertThat(query.sort()).isEqualTo(new SearchSort("thingId", true));
        assertThat(query.sort().byThingId()).isTrue();
        assertThat(query.limit()).isEqualTo(25);
        assertThat(query.needsPresence()).isTrue(); // the default fields show connected
        assertThat(query(LOW_FUEL, " ", "", " ")).isEqualTo(query);
    }

    @Test
    void everyParameterCanBeGiven() {
        SearchQuery query = query(LOW_FUEL, "state.reported.range,owner", "-state.reported.range", "1000");

        assertThat(query.fields().fields()).containsExactly("thingId", "state.reported.range", "owner");
        assertThat(query.sort()).isEqualTo(new SearchSort("state.reported.range", false));
        assertThat(query.sort().byThingId()).isFalse();
        assertThat(query.limit()).isEqualTo(1000);
        assertThat(query.needsPresence()).isFalse();
    }

    @Test
    void theFilterIsRequired() {
        for (String missing : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> query(missing, null, null, null))
                    .isInstanceOf(SearchQueryException.class)
                    .hasMessage("filter: required, e.g. and(eq(type,\"car\"),lt(state.reported.fuel.level,20))");
        }
    }

    @Test
    void aMalformedFilterSaysWhere() {
        assertThatThrownBy(() -> query("and(eq(type,\"car\"),lt(state.reported.fuel.level,20)", null, null, null))
                .isInstanceOf(SearchQueryException.class)
                .hasMessage("filter: expected ',' or ')' at position 51")
                .hasCauseInstanceOf(RqlSyntaxException.class);
    }

    @Test
    void aPathNoModelMakesSearchableIsNamedWithWhatIs() {
        assertThatThrownBy(() -> query("and(eq(type,\"car\"),lt(state.reported.foo,20))", null, null, null))
                .isInstanceOf(SearchQueryException.class)
                .hasMessageStartingWith("filter: state.reported.foo is not searchable; searchable: thingId, type, "
                        + "owner, connected, state.desired.cabin.heater.isOn, ")
                .hasMessageContaining("state.reported.fuel.level")
                .hasMessageEndingWith(" and metadata.<reported|desired>.<path>.timestamp of each");
        for (String path : List.of(
                "state.desired.range", // readOnly: never desired
                "state.reported.doors", // an object
                "version",
                "metadata.reported.fuel.level.setBy",
                "metadata.reported.foo.timestamp")) {
            assertThatThrownBy(() -> query("exists(" + path + ")", null, null, null))
                    .hasMessageStartingWith("filter: " + path + " is not searchable; searchable: ");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            lt(state.reported.fuel.level,"x")           | state.reported.fuel.level holds numbers, not a string: "x" in lt(state.reported.fuel.level,"x") can never be equal
            eq(state.reported.doors.frontLeft.isOpen,3) | state.reported.doors.frontLeft.isOpen holds booleans, not a number: 3 in eq(state.reported.doors.frontLeft.isOpen,3) can never be equal
            ne(state.reported.program,true)             | state.reported.program holds strings, not a boolean: true in ne(state.reported.program,true) can never be equal
            in(type,"car",1)                            | type holds strings, not a number: 1 in in(type,"car",1) can never be equal
            eq(connected,"yes")                         | connected holds booleans, not a string: "yes" in eq(connected,"yes") can never be equal
            gt(metadata.reported.range.timestamp,"1")   | metadata.reported.range.timestamp holds numbers, not a string: "1" in gt(metadata.reported.range.timestamp,"1") can never be equal
            like(state.reported.range,"1*")             | state.reported.range holds numbers, not a string: "1*" in like(state.reported.range,"1*") can never be equal
            gt(connected,false)                         | gt(connected,false) can never match: booleans have no order, use eq or ne
            not(or(le(state.desired.superCool.isOn,true))) | le(state.desired.superCool.isOn,true) can never match: booleans have no order, use eq or ne
            """)
    void aValueThePathCanNeverHoldIsNamedWithThePathsKind(String filter, String problem) {
        assertThatThrownBy(() -> query(filter, null, null, null))
                .isInstanceOf(SearchQueryException.class)
                .hasMessage("filter: " + problem);
    }

    @Test
    void valuesOfTheRightKindPass() {
        for (String filter : List.of(
                "gt(state.reported.state,\"idle\")",
                "like(owner,\"a*\")",
                "in(state.desired.program,\"eco\",\"wool\")",
                "lt(metadata.desired.cabin.heater.isOn.timestamp,5)",
                "ne(connected,true)",
                "eq(state.reported.remainingMinutes,1.5)")) {
            assertThat(SearchQuery.parseFilter(SCHEMA, filter).toRql()).isEqualTo(filter);
        }
    }

    @Test
    void existsLearnsItsPathsKinds() {
        Filter filter = SearchQuery.parseFilter(
                SCHEMA, "not(and(exists(state.reported.state),exists(connected),exists(state.reported.range)))");

        assertThat(filter)
                .isEqualTo(new Filter.Not(new Filter.And(List.of(
                        new Filter.Exists("state.reported.state", Set.of(SearchSchema.Kind.ENUM)),
                        new Filter.Exists("connected", Set.of(SearchSchema.Kind.BOOLEAN)),
                        new Filter.Exists("state.reported.range", Set.of(SearchSchema.Kind.NUMBER))))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            0      | limit: must be 1..1000, was 0
            5000   | limit: must be 1..1000, was 5000
            -1     | limit: must be 1..1000, was -1
            abc    | limit: must be a whole number 1..1000, was 'abc'
            2.5    | limit: must be a whole number 1..1000, was '2.5'
            99999999999 | limit: must be a whole number 1..1000, was '99999999999'
            """)
    void aLimitOutsideOneToAThousandIsRefused(String limit, String message) {
        assertThatThrownBy(() -> query(LOW_FUEL, null, null, limit))
                .isInstanceOf(SearchQueryException.class)
                .hasMessage(message);
    }

    @Test
    void limitsInsideTheRangeAreTaken() {
        assertThat(SearchQuery.parseLimit("1")).isEqualTo(1);
        assertThat(SearchQuery.parseLimit(" 1000 ")).isEqualTo(1000);
        assertThat(SearchQuery.parseLimit(null)).isEqualTo(25);
    }

    @Test
    void sortsByThingIdOrANumericPropertyEitherWay() {
        assertThat(SearchSort.parse(SCHEMA, "thingId")).isEqualTo(SearchSort.DEFAULT);
        assertThat(SearchSort.parse(SCHEMA, "+thingId")).isEqualTo(SearchSort.DEFAULT);
        assertThat(SearchSort.parse(SCHEMA, "-thingId")).isEqualTo(new SearchSort("thingId", false));
        assertThat(SearchSort.parse(SCHEMA, " state.reported.range")) // an unencoded + in a query string
                .isEqualTo(new SearchSort("state.reported.range", true));
        assertThat(SearchSort.parse(SCHEMA, "state.desired.cabin.heater.targetTemperature"))
                .isEqualTo(new SearchSort("state.desired.cabin.heater.targetTemperature", true));
    }

    @Test
    void sortingByAnythingElseIsRefused() {
        for (String sort : List.of(
                "type",
                "-connected",
                "state.reported.state",
                "state.reported.doors.trunk.isOpen",
                "state.reported.foo",
                "metadata.reported.range.timestamp",
                "+-range",
                "thingId,type")) {
            String prefix = "sort: only thingId or a numeric searchable property, was '" + sort
                    + "'; numeric searchable properties: ";
            assertThatThrownBy(() -> query(LOW_FUEL, null, sort, null))
                    .isInstanceOf(SearchQueryException.class)
                    .hasMessageStartingWith(prefix + "state.desired.cabin.heater.targetTemperature, ")
                    .hasMessageContaining("state.reported.range")
                    .satisfies(e -> assertThat(e.getMessage().substring(prefix.length()))
                            .doesNotContain("isOpen", "state.reported.state"));
        }
    }

    @Test
    void fieldsAreTheDocumentsShape() {
        assertThat(Projection.parse("state.reported.range, type").fields())
                .containsExactly("thingId", "state.reported.range", "type");
        assertThat(Projection.parse("state.reported.range,state,thingId,state").fields())
                .containsExactly("thingId", "state");
        assertThat(Projection.parse("metadata.desired.cabin,timestamp,version,connected")
                        .fields())
                .containsExactly("thingId", "metadata.desired.cabin", "timestamp", "version", "connected");
        assertThat(Projection.parse("thingId,connected").needsPresence()).isTrue();
        assertThat(Projection.parse("state.reported.range").toString()).isEqualTo("thingId,state.reported.range");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            foo                  | fields: 'foo' is not a field; fields are thingId, type, owner, connected, version, timestamp, state and metadata or a dotted path below them (state.reported.range)
            state.foo            | fields: 'state.foo' is not a field; fields are thingId, type, owner, connected, version, timestamp, state and metadata or a dotted path below them (state.reported.range)
            type.x               | fields: 'type.x' is not a field; fields are thingId, type, owner, connected, version, timestamp, state and metadata or a dotted path below them (state.reported.range)
            state..reported      | fields: 'state..reported' is not a field; fields are thingId, type, owner, connected, version, timestamp, state and metadata or a dotted path below them (state.reported.range)
            `state.reported.`    | fields: 'state.reported.' is not a field; fields are thingId, type, owner, connected, version, timestamp, state and metadata or a dotted path below them (state.reported.range)
            `thingId,,type`      | fields: empty field in 'thingId,,type'; fields are thingId, type, owner, connected, version, timestamp, state and metadata or a dotted path below them (state.reported.range)
            `type,`              | fields: empty field in 'type,'; fields are thingId, type, owner, connected, version, timestamp, state and metadata or a dotted path below them (state.reported.range)
            """)
    void aFieldOutsideTheDocumentIsRefused(String fields, String message) {
        assertThatThrownBy(() -> query(LOW_FUEL, fields, null, null))
                .isInstanceOf(SearchQueryException.class)
                .hasMessage(message);
    }

    @Test
    void atMostThirtyTwoFields() {
        assertThat(Projection.parse(String.join(",", java.util.Collections.nCopies(32, "type")))
                        .fields())
                .containsExactly("thingId", "type");
        assertThatThrownBy(() -> Projection.parse(String.join(",", java.util.Collections.nCopies(33, "type"))))
                .isInstanceOf(SearchQueryException.class)
                .hasMessage("fields: at most 32 fields, was 33");
    }

    @Test
    void aProjectionNestsTheSelectedValues() {
        ThingView car = new ThingView("car-1", "car", "alice", true, FilterTest.document("""
                {'state':{'reported':{'range':420,'cabin':{'temperature':20}},'desired':{'cabin':{'heater':
                  {'isOn':true}}}},'metadata':{'reported':{'range':{'timestamp':5},'cabin':{'temperature':
                  {'timestamp':6}}},'desired':{'cabin':{'heater':{'isOn':{'timestamp':7}}}}},
                 'version':3,'timestamp':7}"""));

        assertThat(Projection.parse("thingId,state.reported.range").apply(car))
                .isEqualTo(SafeJson.object()
                        .put("thingId", "car-1")
                        .set(
                                "state",
                                SafeJson.object()
                                        .set("reported", SafeJson.object().put("range", 420))));
        assertThat(SafeJson.writeString(
                        Projection.parse("state.reported.range,metadata.desired,state.desired.cabin.heater.isOn,"
                                        + "state.reported.fuel.level,version,timestamp,type,owner,connected")
                                .apply(car)))
                .isEqualTo("{\"thingId\":\"car-1\",\"state\":{\"reported\":{\"range\":420},\"desired\":{\"cabin\":"
                        + "{\"heater\":{\"isOn\":true}}}},\"metadata\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":"
                        + "{\"timestamp\":7}}}}},\"version\":3,\"timestamp\":7,\"type\":\"car\",\"owner\":\"alice\","
                        + "\"connected\":true}");
        assertThat(SafeJson.writeString(Projection.DEFAULT.apply(car)))
                .isEqualTo("{\"thingId\":\"car-1\",\"type\":\"car\",\"owner\":\"alice\",\"connected\":true,"
                        + "\"version\":3,\"state\":{\"reported\":{\"range\":420,\"cabin\":{\"temperature\":20}},"
                        + "\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");
    }

    @Test
    void aThingWithoutAShadowShowsItsRegistrationAndVersionZero() {
        ThingView speaker = new ThingView("speaker-1", "speaker", "bob", false, null);

        assertThat(SafeJson.writeString(Projection.parse("state,metadata.reported,version,timestamp,connected")
                        .apply(speaker)))
                .isEqualTo("{\"thingId\":\"speaker-1\",\"version\":0,\"timestamp\":0,\"connected\":false}");
    }

    @Test
    void theResultIsACopy() {
        ThingView car = new ThingView(
                "car-1",
                "car",
                "alice",
                true,
                FilterTest.document(
                        "{'state':{'reported':{'range':420}},'metadata':{'reported':{'range':{'timestamp':5}}},"
                                + "'version':1,'timestamp':5}"));

        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        Projection.parse("state").apply(car).path("state").path("reported"))
                .put("range", 1);

        assertThat(car.document().reported().path("range").intValue()).isEqualTo(420);
    }
}
