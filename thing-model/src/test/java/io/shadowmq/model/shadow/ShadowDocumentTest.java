package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static io.shadowmq.model.shadow.TestJson.node;
import static io.shadowmq.model.shadow.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShadowDocumentTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long T1 = T0 + 1_000;

    private static ShadowDocument doc(String reported, String desired) {
        return new ShadowDocument(obj(reported), obj(desired), SafeJson.object(), SafeJson.object(), 1, T0);
    }

    @Nested
    class Delta {

        @Test
        void desiredLeavesThatDifferFromReportedAreTheDeltaInTheirNestedShape() {
            // given the heater is wanted on at 21 degrees, and reports off at 21
            ShadowDocument car = doc(
                    "{'cabin':{'heater':{'on':false,'target':21},'temperature':3}}",
                    "{'cabin':{'heater':{'on':true,'target':21}},'mode':'eco'}");

            // when / then only what still has to happen is in the delta
            assertThat(car.delta()).isEqualTo(obj("{'cabin':{'heater':{'on':true}},'mode':'eco'}"));
        }

        @Test
        void aDesiredLeafAbsentFromReportedIsInTheDelta() {
            assertThat(doc("{}", "{'volume':7}").delta()).isEqualTo(obj("{'volume':7}"));
        }

        @Test
        void reportedLeavesWithoutAWishAreNeverInTheDelta() {
            assertThat(doc("{'volume':3,'muted':true}", "{}").delta()).isEmpty();
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '"',
                value = {
                    "20         | 20.0",
                    "20.0       | 20",
                    "-0.0       | 0",
                    "1E2        | 100",
                    "2.5        | 2.50",
                    "[20,{'a':1}] | [20.0,{'a':1.0}]"
                })
        void numbersCompareByValue(String desired, String reported) {
            assertThat(doc("{'t':" + reported + "}", "{'t':" + desired + "}").delta())
                    .isEmpty();
        }

        @Test
        void aLargeLongIsNotEqualToTheDoubleItRoundsTo() {
            // 2^53 + 1 rounds to 2^53 as a double: a pending change that must not vanish.
            assertThat(doc("{'n':9007199254740992.0}", "{'n':9007199254740993}").delta())
                    .isEqualTo(obj("{'n':9007199254740993}"));
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '"',
                value = {
                    "[1,2]      | [1,2,3]",
                    "[1,2]      | [2,1]",
                    "[]         | [1]",
                    "'20'       | 20",
                    "true       | 'true'",
                    "{'on':true}| 'on'"
                })
        void valuesThatDifferInAnyWayAreInTheDelta(String desired, String reported) {
            assertThat(doc("{'x':" + reported + "}", "{'x':" + desired + "}").delta())
                    .isEqualTo(obj("{'x':" + desired + "}"));
        }

        @Test
        void aDesiredLeafWhereReportedHasAnObjectIsInTheDelta() {
            assertThat(doc("{'x':{'on':true}}", "{'x':'off'}").delta()).isEqualTo(obj("{'x':'off'}"));
        }

        @Test
        void theDeltaMetadataIsTheDesiredMetadataOfTheDeltaLeaves() {
            // given volume wished at T0 (already reported) and muted wished at T1 (pending)
            ShadowDocument doc = new ShadowDocument(
                    obj("{'volume':7}"),
                    obj("{'volume':7,'audio':{'muted':true}}"),
                    obj("{'volume':{'timestamp':" + T0 + "}}"),
                    obj("{'volume':{'timestamp':" + T0 + "},'audio':{'muted':{'timestamp':" + T1 + "}}}"),
                    3,
                    T1);

            // then
            assertThat(doc.delta()).isEqualTo(obj("{'audio':{'muted':true}}"));
            assertThat(doc.deltaMetadata()).isEqualTo(obj("{'audio':{'muted':{'timestamp':" + T1 + "}}}"));
        }
    }

    @Nested
    class StoredForm {

        @Test
        void theStoredFormHasStateMetadataVersionAndTimestamp() {
            ShadowDocument doc = new ShadowDocument(
                    obj("{'volume':3}"),
                    obj("{'volume':7}"),
                    obj("{'volume':{'timestamp':1}}"),
                    obj("{'volume':{'timestamp':2}}"),
                    4,
                    2);

            assertThat(SafeJson.writeString(doc.toStoredJson()))
                    .isEqualTo("{\"state\":{\"reported\":{\"volume\":3},"
                            + "\"desired\":{\"volume\":7}},\"metadata\":{\"reported\":{\"volume\":{\"timestamp\":1}},"
                            + "\"desired\":{\"volume\":{\"timestamp\":2}}},\"version\":4,\"timestamp\":2}");
        }

        @Test
        void theStoredFormReadsBackToAnEqualDocument() throws Exception {
            ShadowDocument doc = new ShadowDocument(
                    obj("{'a':{'b':[1,2.5,'x',null]},'big':9007199254740993}"),
                    obj("{'c':true}"),
                    obj("{'a':{'b':{'timestamp':1}},'big':{'timestamp':1}}"),
                    obj("{'c':{'timestamp':2}}"),
                    9,
                    2);

            ShadowDocument read = ShadowDocument.fromStoredJson(SafeJson.read(SafeJson.write(doc.toStoredJson())));

            assertThat(read).isEqualTo(doc);
        }

        @Test
        void anEmptyShadowReadsBackWithItsVersion() {
            ShadowDocument read =
                    ShadowDocument.fromStoredJson(ShadowDocument.empty(17).toStoredJson());

            assertThat(read.isEmpty()).isTrue();
            assertThat(read.version()).isEqualTo(17);
        }

        @Test
        void aDamagedStoredFormIsABugNotARejection() {
            assertThatThrownBy(() ->
                            ShadowDocument.fromStoredJson(node("{'state':{'reported':[]},'version':1,'timestamp':0}")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("stored shadow: state.reported must be an object, got array");
            assertThatThrownBy(() -> ShadowDocument.fromStoredJson(node("{'state':{},'timestamp':0}")))
                    .hasMessage("stored shadow: version must be a non-negative integer, got nothing");
            assertThatThrownBy(() -> ShadowDocument.fromStoredJson(node("[]")))
                    .hasMessage("stored shadow: expected an object, got array");
        }
    }

    @Nested
    class Value {

        @Test
        void theDocumentKeepsItsOwnCopyOfTheTrees() {
            // given
            ObjectNode reported = obj("{'volume':3}");
            ShadowDocument doc =
                    new ShadowDocument(reported, SafeJson.object(), SafeJson.object(), SafeJson.object(), 1, T0);

            // when the caller changes its tree afterwards
            reported.put("volume", 11);

            // then the document does not change
            assertThat(doc.reported()).isEqualTo(obj("{'volume':3}"));
        }

        @Test
        void documentsWithTheSameValuesAreEqualWhateverNodeTypesTheyWereBuiltWith() {
            ObjectNode asLong = SafeJson.object().set("volume", LongNode.valueOf(3));

            ShadowDocument built =
                    new ShadowDocument(asLong, SafeJson.object(), SafeJson.object(), SafeJson.object(), 1, T0);
            ShadowDocument read = new ShadowDocument(
                    obj("{'volume':3}"), SafeJson.object(), SafeJson.object(), SafeJson.object(), 1, T0);

            assertThat(built).isEqualTo(read);
            assertThat(built.hashCode()).isEqualTo(read.hashCode());
        }

        @Test
        void metadataBuiltWithLongTimestampsEqualsMetadataReadFromJson() {
            ObjectNode built = SafeJson.object();
            built.putObject("volume").put("timestamp", 2L);

            ShadowDocument fromCode =
                    new ShadowDocument(obj("{'volume':3}"), SafeJson.object(), built, SafeJson.object(), 1, 2);
            ShadowDocument fromJson = new ShadowDocument(
                    obj("{'volume':3}"), SafeJson.object(), obj("{'volume':{'timestamp':2}}"), SafeJson.object(), 1, 2);

            assertThat(fromCode).isEqualTo(fromJson);
        }

        @Test
        void nullMembersAndEmptyObjectsAreNormalizedAway() {
            ShadowDocument doc = doc("{'a':null,'b':{'c':{}},'d':[{},null]}", "{}");

            assertThat(doc.reported()).isEqualTo(obj("{'d':[{},null]}"));
        }

        @Test
        void metadataOfLeavesThatAreNotInTheStateIsDropped() {
            ShadowDocument doc = new ShadowDocument(
                    obj("{'a':1}"),
                    SafeJson.object(),
                    obj("{'a':{'timestamp':1},'gone':{'timestamp':1}}"),
                    obj("{'x':{'timestamp':1}}"),
                    1,
                    T0);

            assertThat(doc.reportedMetadata()).isEqualTo(obj("{'a':{'timestamp':1}}"));
            assertThat(doc.desiredMetadata()).isEmpty();
        }

        @Test
        void anEmptyShadowHasNoStateAndKeepsItsVersion() {
            ShadowDocument empty = ShadowDocument.empty(42);

            assertThat(empty.isEmpty()).isTrue();
            assertThat(empty.version()).isEqualTo(42);
            assertThat(empty.timestamp()).isZero();
            assertThat(empty.delta()).isEmpty();
            assertThat(doc("{}", "{'a':1}").isEmpty()).isFalse();
        }

        @Test
        void sectionsAreReachableBySection() {
            ShadowDocument doc = new ShadowDocument(
                    obj("{'r':1}"), obj("{'d':1}"), obj("{'r':{'timestamp':1}}"), obj("{'d':{'timestamp':2}}"), 1, 2);

            assertThat(doc.state(Section.REPORTED)).isEqualTo(obj("{'r':1}"));
            assertThat(doc.state(Section.DESIRED)).isEqualTo(obj("{'d':1}"));
            assertThat(doc.metadata(Section.DESIRED)).isEqualTo(obj("{'d':{'timestamp':2}}"));
        }

        @Test
        void negativeVersionsAreABug() {
            assertThatThrownBy(() -> ShadowDocument.empty(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theStateSizeIsTheUtf8LengthOfReportedAndDesired() {
        ShadowDocument doc = doc("{'name':'Küche'}", "{'volume':7}");

        assertThat(doc.stateSizeBytes())
                .isEqualTo("{\"reported\":{\"name\":\"Küche\"},\"desired\":{\"volume\":7}}"
                        .getBytes(StandardCharsets.UTF_8)
                        .length);
    }
}
