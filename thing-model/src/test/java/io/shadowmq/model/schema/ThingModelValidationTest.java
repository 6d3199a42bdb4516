package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.Rejection;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The validation rules of docs/thing-models.md, each with a concrete patch against the shipped models. */
class ThingModelValidationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ThingModels MODELS = ThingModels.bundled();
    private static final ThingModel CAR = MODELS.get("car").orElseThrow();
    private static final ThingModel SPEAKER = MODELS.get("speaker").orElseThrow();
    private static final ThingModel WASHER = MODELS.get("washer").orElseThrow();

    /** JSON with single quotes, so that patches stay readable in Java strings. */
    static ObjectNode patch(String singleQuotedJson) {
        try {
            return (ObjectNode) MAPPER.readTree(singleQuotedJson.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(singleQuotedJson, e);
        }
    }

    static List<String> messages(ThingModel model, Section section, String singleQuotedJson) {
        return model.validate(section, patch(singleQuotedJson)).stream()
                .map(Violation::message)
                .toList();
    }

    @Test
    void contractExampleIsRejectedWith422NamingPropertyAndRule() {
        // given a desired heater target above the car's maximum
        ObjectNode desired = patch("{'cabin':{'heater':{'targetTemperature':35}}}");

        // when
        var rejection = CAR.check(Section.DESIRED, desired);

        // then
        assertThat(rejection).contains(new Rejection(422, "cabin.heater.targetTemperature: 35 > maximum 28"));
    }

    @Test
    void writableSettingsWithinTheModelAreAcceptedInDesired() {
        assertThat(
                        messages(
                                CAR,
                                Section.DESIRED,
                                "{'cabin':{'heater':{'isOn':true,'targetTemperature':21.5}},'doors':{'trunk':{'isLocked':true}}}"))
                .isEmpty();
        assertThat(messages(SPEAKER, Section.DESIRED, "{'volume':30,'isMuted':false}"))
                .isEmpty();
        assertThat(messages(WASHER, Section.DESIRED, "{'program':'wool'}")).isEmpty();
        assertThat(CAR.check(Section.DESIRED, patch("{'cabin':{'heater':{'isOn':true}}}")))
                .isEmpty();
    }

    @Test
    void aThingMayReportEveryPropertyIncludingReadOnlyOnes() {
        assertThat(messages(CAR, Section.REPORTED, """
                {'range':420,'fuel':{'level':63.5},
                 'doors':{'frontLeft':{'isOpen':false,'isLocked':true},'trunk':{'isOpen':true,'isLocked':false}},
                 'windows':{'rearRight':{'isOpen':false}},
                 'cabin':{'temperature':-3.5,'heater':{'isOn':false,'targetTemperature':16}},
                 'location':{'latitude':48.1374,'longitude':11.5755}}
                """)).isEmpty();
        assertThat(messages(WASHER, Section.REPORTED, "{'state':'running','program':'eco','remainingMinutes':95}"))
                .isEmpty();
    }

    @Test
    void emptyPatchesAndEmptyObjectsAreAccepted() {
        assertThat(messages(CAR, Section.DESIRED, "{}")).isEmpty();
        assertThat(messages(CAR, Section.REPORTED, "{'doors':{'frontLeft':{}}}"))
                .isEmpty();
    }

    @Nested
    class UnknownProperties {

        @Test
        void misspeltNestedPropertyIsNamedWithItsFullPath() {
            assertThat(messages(CAR, Section.REPORTED, "{'doors':{'frontLeft':{'isOpne':true}}}"))
                    .containsExactly("doors.frontLeft.isOpne: unknown property");
        }

        @Test
        void unknownTopLevelPropertyIsRejectedInBothSections() {
            assertThat(messages(SPEAKER, Section.REPORTED, "{'bass':3}")).containsExactly("bass: unknown property");
            assertThat(messages(SPEAKER, Section.DESIRED, "{'bass':3}")).containsExactly("bass: unknown property");
        }

        @Test
        void hostilePropertyNamesAreEscapedAndCutInMessages() {
            // given a key with a control character and a very long key
            ObjectNode desired = MAPPER.createObjectNode();
            desired.put("a\u0000b", 1);
            desired.put("x".repeat(500), 1);

            // when
            List<Violation> violations = SPEAKER.validate(Section.DESIRED, desired);

            // then
            assertThat(violations).extracting(Violation::path).containsExactly("a\\u0000b", "x".repeat(80) + "...");
        }
    }

    @Nested
    class Types {

        @Test
        void stringForIntegerNamesBothTypes() {
            assertThat(messages(SPEAKER, Section.DESIRED, "{'volume':'loud'}"))
                    .containsExactly("volume: expected integer, got string");
        }

        @Test
        void integerAcceptsIntegralNumbersInAnyNotation() {
            assertThat(messages(SPEAKER, Section.DESIRED, "{'volume':21.0}")).isEmpty();
            assertThat(messages(SPEAKER, Section.DESIRED, "{'volume':2.1E1}")).isEmpty();
        }

        @Test
        void integerRejectsFractionsShowingTheValue() {
            assertThat(messages(SPEAKER, Section.DESIRED, "{'volume':21.5}"))
                    .containsExactly("volume: expected integer, got 21.5");
        }

        @Test
        void booleanDoesNotAcceptTheStringTrue() {
            assertThat(messages(SPEAKER, Section.DESIRED, "{'isMuted':'true'}"))
                    .containsExactly("isMuted: expected boolean, got string");
        }

        @Test
        void numberDoesNotAcceptBooleans() {
            assertThat(messages(CAR, Section.DESIRED, "{'cabin':{'heater':{'targetTemperature':true}}}"))
                    .containsExactly("cabin.heater.targetTemperature: expected number, got boolean");
        }

        @Test
        void scalarWhereAnObjectBelongsIsRejectedAtTheObject() {
            assertThat(messages(CAR, Section.REPORTED, "{'doors':true}"))
                    .containsExactly("doors: expected object, got boolean");
        }

        @Test
        void objectWhereAScalarBelongsIsRejected() {
            assertThat(messages(SPEAKER, Section.REPORTED, "{'volume':{'level':3}}"))
                    .containsExactly("volume: expected integer, got object");
        }

        @Test
        void arraysAreNeverValidBecauseNoShippedPropertyIsAnArray() {
            assertThat(messages(SPEAKER, Section.REPORTED, "{'volume':[30]}"))
                    .containsExactly("volume: expected integer, got array");
            assertThat(messages(CAR, Section.REPORTED, "{'doors':[]}"))
                    .containsExactly("doors: expected object, got array");
        }
    }

    @Nested
    class Ranges {

        @Test
        void aboveMaximumIsPrintedPlainly() {
            assertThat(messages(CAR, Section.DESIRED, "{'cabin':{'heater':{'targetTemperature':35.0}}}"))
                    .containsExactly("cabin.heater.targetTemperature: 35 > maximum 28");
            assertThat(messages(CAR, Section.DESIRED, "{'cabin':{'heater':{'targetTemperature':3.5E+1}}}"))
                    .containsExactly("cabin.heater.targetTemperature: 35 > maximum 28");
        }

        @Test
        void belowMinimumIsPrintedPlainly() {
            assertThat(messages(SPEAKER, Section.DESIRED, "{'volume':-5}")).containsExactly("volume: -5 < minimum 0");
            assertThat(messages(CAR, Section.DESIRED, "{'cabin':{'heater':{'targetTemperature':15.99}}}"))
                    .containsExactly("cabin.heater.targetTemperature: 15.99 < minimum 16");
        }

        @Test
        void boundsAreInclusive() {
            assertThat(messages(CAR, Section.DESIRED, "{'cabin':{'heater':{'targetTemperature':16}}}"))
                    .isEmpty();
            assertThat(messages(CAR, Section.DESIRED, "{'cabin':{'heater':{'targetTemperature':28.000}}}"))
                    .isEmpty();
            assertThat(messages(CAR, Section.REPORTED, "{'location':{'latitude':-90,'longitude':180}}"))
                    .isEmpty();
        }

        @Test
        void hugeNumbersStayShortInMessages() {
            assertThat(messages(SPEAKER, Section.DESIRED, "{'volume':1e300}"))
                    .containsExactly("volume: 1E+300 > maximum 100");
        }
    }

    @Nested
    class Enums {

        @Test
        void valueOutsideTheEnumListsTheAllowedValues() {
            assertThat(messages(WASHER, Section.DESIRED, "{'program':'boil'}"))
                    .containsExactly("program: 'boil' is not one of [cotton, synthetics, wool, quick, eco]");
        }

        @Test
        void enumsAreCaseSensitive() {
            assertThat(messages(WASHER, Section.DESIRED, "{'program':'Wool'}"))
                    .containsExactly("program: 'Wool' is not one of [cotton, synthetics, wool, quick, eco]");
        }

        @Test
        void nonStringForAStringEnumIsATypeError() {
            assertThat(messages(WASHER, Section.REPORTED, "{'state':1}"))
                    .containsExactly("state: expected string, got number");
        }
    }

    @Nested
    class ReadOnly {

        @Test
        void readOnlyLeafInDesiredIsRejected() {
            assertThat(messages(CAR, Section.DESIRED, "{'range':500}"))
                    .containsExactly("range: readOnly, only the thing itself reports it");
        }

        @Test
        void readOnlyIsReportedEvenWhenTheValueIsAlsoWrong() {
            // The readOnly rule is the one the sender can act on: no value would be accepted there.
            assertThat(messages(CAR, Section.DESIRED, "{'range':'far'}"))
                    .containsExactly("range: readOnly, only the thing itself reports it");
        }

        @Test
        void onlyTheReadOnlySiblingIsRejected() {
            assertThat(messages(CAR, Section.DESIRED, "{'doors':{'frontLeft':{'isOpen':true,'isLocked':true}}}"))
                    .containsExactly("doors.frontLeft.isOpen: readOnly, only the thing itself reports it");
        }

        @Test
        void everyLeafUnderAReadOnlyObjectIsReadOnly() {
            // given a model whose whole location object is readOnly
            ThingModel tracker = ThingModelParserTest.parse("tracker.json", ThingModelParserTest.modelWith("""
                    'location':{'title':'Location','type':'object','readOnly':true,'properties':{
                        'latitude':{'title':'Latitude','type':'number','unit':'degree'}}},
                    'name':{'title':'Name','type':'string'}
                    """));

            // then desired may not touch it, and the rejection names the object, not every leaf
            assertThat(messages(tracker, Section.DESIRED, "{'location':{'latitude':1}}"))
                    .containsExactly("location: readOnly, only the thing itself reports it");
            assertThat(messages(tracker, Section.REPORTED, "{'location':{'latitude':1}}"))
                    .isEmpty();
        }
    }

    @Nested
    class Deletions {

        @Test
        void nullDeletesAnyKnownPropertyInEitherSectionEvenReadOnlyOnes() {
            assertThat(messages(CAR, Section.DESIRED, "{'range':null,'cabin':{'heater':null},'doors':null}"))
                    .isEmpty();
            assertThat(messages(CAR, Section.REPORTED, "{'fuel':{'level':null}}"))
                    .isEmpty();
        }

        @Test
        void nullDeletesUnknownKeysSoStaleStateCanBeCleaned() {
            assertThat(messages(CAR, Section.DESIRED, "{'seatHeater':null,'doors':{'hood':null}}"))
                    .isEmpty();
        }
    }

    @Nested
    class Strings {

        private final ThingModel lamp = ThingModelParserTest.parse(
                "lamp.json", ThingModelParserTest.modelWith("'name':{'title':'Name','type':'string'}"));

        @Test
        void stringsUpTo1024CharactersAreAccepted() {
            assertThat(lamp.validate(Section.DESIRED, MAPPER.createObjectNode().put("name", "a".repeat(1024))))
                    .isEmpty();
        }

        @Test
        void longerStringsAreRejectedSayingHowLong() {
            assertThat(lamp.validate(Section.DESIRED, MAPPER.createObjectNode().put("name", "a".repeat(1025))))
                    .extracting(Violation::message)
                    .containsExactly("name: string of 1025 characters is longer than the maximum 1024");
        }

        @Test
        void charactersAreCountedAsCodePointsNotUtf16Units() {
            String emoji = new String(Character.toChars(0x1F600));
            String value = emoji.repeat(1024);
            assertThat(value.length()).isEqualTo(2048);
            assertThat(value.getBytes(StandardCharsets.UTF_8)).hasSize(4096);

            assertThat(lamp.validate(Section.DESIRED, MAPPER.createObjectNode().put("name", value)))
                    .isEmpty();
        }

        @Test
        void overlongValueForAnEnumIsRejectedWithoutEchoingIt() {
            List<String> found = messages(WASHER, Section.DESIRED, "{'program':'" + "x".repeat(5000) + "'}");
            assertThat(found)
                    .singleElement()
                    .asString()
                    .startsWith("program: string of 5000 characters")
                    .hasSizeLessThan(100);
        }
    }

    @Nested
    class Reporting {

        @Test
        void everyViolationIsReportedInDocumentOrder() {
            assertThat(messages(CAR, Section.DESIRED, """
                    {'range':1,'doors':{'frontLeft':{'isOpne':true},'trunk':{'isLocked':'yes'}},
                     'cabin':{'heater':{'targetTemperature':40}},'wheels':4}
                    """))
                    .containsExactly(
                            "range: readOnly, only the thing itself reports it",
                            "doors.frontLeft.isOpne: unknown property",
                            "doors.trunk.isLocked: expected boolean, got string",
                            "cabin.heater.targetTemperature: 40 > maximum 28",
                            "wheels: unknown property");
        }

        @Test
        void rejectionJoinsTheFirstThreeViolationsAndCountsTheRest() {
            var rejection = CAR.check(Section.DESIRED, patch("{'a':1,'b':2,'c':3,'d':4,'e':5}"));

            assertThat(rejection).hasValueSatisfying(r -> {
                assertThat(r.code()).isEqualTo(Rejection.MODEL_VIOLATION);
                assertThat(r.message())
                        .isEqualTo("a: unknown property; b: unknown property; c: unknown property; and 2 more");
            });
        }

        @Test
        void rejectionWithUpToThreeViolationsListsThemAll() {
            var rejection = SPEAKER.check(Section.DESIRED, patch("{'volume':101,'isMuted':1}"));

            assertThat(rejection)
                    .map(Rejection::message)
                    .contains("volume: 101 > maximum 100; isMuted: expected boolean, got number");
        }
    }

    @Test
    void sectionsUseTheirShadowDocumentNames() {
        assertThat(Section.REPORTED.jsonName()).isEqualTo("reported");
        assertThat(Section.DESIRED.jsonName()).isEqualTo("desired");
        assertThat(Section.fromJsonName("desired")).contains(Section.DESIRED);
        assertThat(Section.fromJsonName("delta")).isEmpty();
    }
}
