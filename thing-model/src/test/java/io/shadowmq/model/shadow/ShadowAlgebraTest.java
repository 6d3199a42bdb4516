package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static io.shadowmq.model.shadow.TestJson.accepted;
import static io.shadowmq.model.shadow.TestJson.obj;
import static io.shadowmq.model.shadow.TestJson.rejected;
import static io.shadowmq.model.shadow.TestJson.update;
import static org.assertj.core.api.Assertions.assertThat;

class ShadowAlgebraTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long T1 = T0 + 1_000;
    private static final long T2 = T0 + 2_000;

    private static ShadowDocument apply(ShadowDocument current, String singleQuotedPayload, long now) {
        return accepted(ShadowAlgebra.apply(current, update(singleQuotedPayload), now, ShadowLimits.DEFAULT))
                .current();
    }

    /** The car's shadow at version 5: reported at T0, the heater wish made at T0 too. */
    private static ShadowDocument car() {
        ShadowDocument reported = apply(
                ShadowDocument.empty(3),
                "{'state':{'reported':{'cabin':{'heater':{'on':false,'target':20},'temperature':4},'range':310}}}",
                T0);
        return apply(reported, "{'state':{'desired':{'cabin':{'heater':{'on':true}}}}}", T0);
    }

    @Nested
    class Merging {

        @Test
        void theFirstReportCreatesTheStateWithATimestampPerLeaf() {
            // given a thing that never reported
            ShadowDocument none = ShadowDocument.empty(0);

            // when it reports its volume and mute state
            ShadowDocument doc = apply(none, "{'state':{'reported':{'volume':3,'muted':false}}}", T0);

            // then
            assertThat(doc.reported()).isEqualTo(obj("{'volume':3,'muted':false}"));
            assertThat(doc.reportedMetadata())
                    .isEqualTo(obj("{'volume':{'timestamp':" + T0 + "},'muted':{'timestamp':" + T0 + "}}"));
            assertThat(doc.desired()).isEmpty();
            assertThat(doc.version()).isEqualTo(1);
            assertThat(doc.timestamp()).isEqualTo(T0);
        }

        @Test
        void objectsMergeRecursivelyAndOnlyWrittenLeavesGetTheNewTimestamp() {
            // given the car at version 5
            ShadowDocument car = car();

            // when the heater reports it is on
            ShadowDocument doc = apply(car, "{'state':{'reported':{'cabin':{'heater':{'on':true}}}}}", T1);

            // then the sibling leaves stay, with their old metadata
            assertThat(doc.reported())
                    .isEqualTo(obj("{'cabin':{'heater':{'on':true,'target':20},'temperature':4},'range':310}"));
            assertThat(doc.reportedMetadata())
                    .isEqualTo(obj("{'cabin':{'heater':{'on':{'timestamp':" + T1 + "},"
                            + "'target':{'timestamp':" + T0 + "}},'temperature':{'timestamp':" + T0 + "}},"
                            + "'range':{'timestamp':" + T0 + "}}"));
        }

        @Test
        void writingTheSameValueAgainRefreshesItsTimestamp() {
            ShadowDocument doc = apply(car(), "{'state':{'reported':{'range':310}}}", T1);

            assertThat(doc.reportedMetadata().at("/range/timestamp").longValue())
                    .isEqualTo(T1);
        }

        @Test
        void nullDeletesALeafAndItsMetadata() {
            ShadowDocument doc = apply(car(), "{'state':{'reported':{'range':null}}}", T1);

            assertThat(doc.reported().has("range")).isFalse();
            assertThat(doc.reportedMetadata().has("range")).isFalse();
            assertThat(doc.reported().at("/cabin/temperature").intValue()).isEqualTo(4);
        }

        @Test
        void objectsLeftEmptyByDeletionsArePrunedFromStateAndMetadata() {
            // when both heater leaves are deleted
            ShadowDocument doc =
                    apply(car(), "{'state':{'reported':{'cabin':{'heater':{'on':null,'target':null}}}}}", T1);

            // then no empty 'heater' object remains, in the state or in its metadata
            assertThat(doc.reported()).isEqualTo(obj("{'cabin':{'temperature':4},'range':310}"));
            assertThat(doc.reportedMetadata())
                    .isEqualTo(
                            obj("{'cabin':{'temperature':{'timestamp':" + T0 + "}},'range':{'timestamp':" + T0 + "}}"));
        }

        @Test
        void deletingTheOnlyLeafOfADeepObjectPrunesEveryLevel() {
            ShadowDocument doc = apply(car(), "{'state':{'desired':{'cabin':{'heater':{'on':null}}}}}", T1);

            assertThat(doc.desired()).isEmpty();
            assertThat(doc.desiredMetadata()).isEmpty();
        }

        @Test
        void aNullSectionClearsThatSectionAndItsMetadataOnly() {
            ShadowDocument doc = apply(car(), "{'state':{'desired':null}}", T1);

            assertThat(doc.desired()).isEmpty();
            assertThat(doc.desiredMetadata()).isEmpty();
            assertThat(doc.reported()).isEqualTo(car().reported());
            assertThat(doc.reportedMetadata()).isEqualTo(car().reportedMetadata());
            assertThat(doc.version()).isEqualTo(car().version() + 1);
        }

        @Test
        void arraysReplaceAsAWholeAndAreOneLeafInTheMetadata() {
            // given a route of three waypoints
            ShadowDocument doc = apply(ShadowDocument.empty(0), "{'state':{'desired':{'route':[1,2,3]}}}", T0);

            // when a route of one waypoint is desired
            doc = apply(doc, "{'state':{'desired':{'route':[4]}}}", T1);

            // then the array is replaced, not merged
            assertThat(doc.desired()).isEqualTo(obj("{'route':[4]}"));
            assertThat(doc.desiredMetadata()).isEqualTo(obj("{'route':{'timestamp':" + T1 + "}}"));
        }

        @Test
        void anObjectReplacingALeafGetsMetadataForEachOfItsLeaves() {
            ShadowDocument doc = apply(car(), "{'state':{'reported':{'range':{'km':310,'estimated':true}}}}", T1);

            assertThat(doc.reportedMetadata().get("range"))
                    .isEqualTo(obj("{'km':{'timestamp':" + T1 + "},'estimated':{'timestamp':" + T1 + "}}"));
        }

        @Test
        void aLeafReplacingAnObjectGetsOneTimestamp() {
            ShadowDocument doc = apply(car(), "{'state':{'reported':{'cabin':'unknown'}}}", T1);

            assertThat(doc.reported().get("cabin").textValue()).isEqualTo("unknown");
            assertThat(doc.reportedMetadata().get("cabin")).isEqualTo(obj("{'timestamp':" + T1 + "}"));
        }

        @Test
        void nullsInsideANewObjectAreDropped() {
            ShadowDocument doc = apply(ShadowDocument.empty(0), "{'state':{'reported':{'a':{'b':null,'c':1}}}}", T0);

            assertThat(doc.reported()).isEqualTo(obj("{'a':{'c':1}}"));
            assertThat(doc.reportedMetadata()).isEqualTo(obj("{'a':{'c':{'timestamp':" + T0 + "}}}"));
        }
    }

    @Nested
    class Versions {

        @Test
        void everyAcceptedUpdateIncrementsTheVersionByOneAndStampsNow() {
            ShadowDocument v1 = apply(ShadowDocument.empty(0), "{'state':{'reported':{'volume':1}}}", T0);
            ShadowDocument v2 = apply(v1, "{'state':{'reported':{'volume':1}}}", T1);
            ShadowDocument v3 = apply(v2, "{'state':{'desired':null}}", T2);

            assertThat(new long[] {v1.version(), v2.version(), v3.version()}).containsExactly(1, 2, 3);
            assertThat(new long[] {v1.timestamp(), v2.timestamp(), v3.timestamp()})
                    .containsExactly(T0, T1, T2);
        }

        @Test
        void anUpdateCarryingTheCurrentVersionIsAccepted() {
            ShadowDocument doc = apply(car(), "{'state':{'desired':{'range':400}},'version':5}", T1);

            assertThat(doc.version()).isEqualTo(6);
        }

        @Test
        void anUpdateCarryingAnotherVersionIsAConflictAndChangesNothing() {
            // given the car at version 5
            ShadowDocument car = car();

            // when an update expects version 4
            UpdateOutcome outcome = ShadowAlgebra.apply(
                    car, update("{'state':{'desired':{'range':400}},'version':4}"), T1, ShadowLimits.DEFAULT);

            // then
            assertThat(rejected(outcome))
                    .isEqualTo(new Rejection(409, "version conflict: request has version 4, current version is 5"));
        }

        @Test
        void anUpdateCarryingAFutureVersionIsAConflictToo() {
            UpdateOutcome outcome = ShadowAlgebra.apply(
                    car(), update("{'state':{'desired':{'range':400}},'version':6}"), T1, ShadowLimits.DEFAULT);

            assertThat(rejected(outcome))
                    .isEqualTo(new Rejection(409, "version conflict: request has version 6, current version is 5"));
        }

        @Test
        void deleteKeepsTheVersionAndTheNextUpdateContinuesFromIt() {
            // given the car at version 5, deleted
            ShadowDocument deleted = ShadowAlgebra.delete(car());

            // then it is empty but remembers version 5
            assertThat(deleted.isEmpty()).isTrue();
            assertThat(deleted.version()).isEqualTo(5);
            assertThat(deleted).isEqualTo(ShadowDocument.empty(5));

            // and the next update creates version 6, with no trace of the old state
            ShadowDocument next = apply(deleted, "{'state':{'reported':{'range':100}}}", T1);
            assertThat(next.version()).isEqualTo(6);
            assertThat(next.reported()).isEqualTo(obj("{'range':100}"));
            assertThat(next.desired()).isEmpty();
        }
    }

    @Nested
    class Size {

        private String stateOf(String value) {
            return "{\"reported\":{\"s\":\"" + value + "\"},\"desired\":{}}";
        }

        @Test
        void aStateLargerThanTheLimitIsTooLarge() {
            // given a limit of 100 bytes and a state that would serialize to 101
            ShadowLimits limits = new ShadowLimits(65536, 100, 8);
            String value = "x".repeat(101 - stateOf("").length());

            // when
            UpdateOutcome outcome = ShadowAlgebra.apply(
                    ShadowDocument.empty(0), update("{'state':{'reported':{'s':'" + value + "'}}}"), T0, limits);

            // then
            assertThat(rejected(outcome)).isEqualTo(new Rejection(413, "state would be 101 bytes, more than 100"));
        }

        @Test
        void aStateOfExactlyTheLimitIsAccepted() {
            ShadowLimits limits = new ShadowLimits(65536, 100, 8);
            String value = "x".repeat(100 - stateOf("").length());

            UpdateOutcome outcome = ShadowAlgebra.apply(
                    ShadowDocument.empty(0), update("{'state':{'reported':{'s':'" + value + "'}}}"), T0, limits);

            assertThat(accepted(outcome).current().stateSizeBytes()).isEqualTo(100);
        }

        @Test
        void theDefaultLimitIs32KiBOfUtf8() {
            // 'ü' is two bytes in UTF-8: 16 000 of them are 32 000 bytes of state, plus the frame.
            String value = "ü".repeat(16_400);
            int expectedSize = stateOf(value).getBytes(StandardCharsets.UTF_8).length;

            UpdateOutcome outcome = ShadowAlgebra.apply(
                    ShadowDocument.empty(0),
                    update("{'state':{'reported':{'s':'" + value + "'}}}"),
                    T0,
                    ShadowLimits.DEFAULT);

            assertThat(rejected(outcome))
                    .isEqualTo(new Rejection(413, "state would be " + expectedSize + " bytes, more than 32768"));
        }

        @Test
        void theLimitAppliesToTheResultSoAShrinkingUpdatePasses() {
            // the limit counts the result, so an update that shrinks the state below it is accepted
            ShadowLimits limits = new ShadowLimits(65536, 60, 8);
            ShadowDocument doc = apply(ShadowDocument.empty(0), "{'state':{'reported':{'a':'0123456789'}}}", T0);

            UpdateOutcome growing =
                    ShadowAlgebra.apply(doc, update("{'state':{'reported':{'b':'0123456789'}}}"), T1, limits);
            UpdateOutcome shrinking = ShadowAlgebra.apply(doc, update("{'state':{'reported':{'a':null}}}"), T1, limits);

            assertThat(rejected(growing).code()).isEqualTo(413);
            assertThat(accepted(shrinking).current().reported()).isEmpty();
        }
    }

    @Nested
    class MergePatch {

        /** RFC 7386 Appendix A, the cases with object targets and patches; pruning is our one addition. */
        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '"',
                value = {
                    "{'a':'b'}                 | {'a':'c'}                 | {'a':'c'}",
                    "{'a':'b'}                 | {'b':'c'}                 | {'a':'b','b':'c'}",
                    "{'a':'b'}                 | {'a':null}                | {}",
                    "{'a':'b','b':'c'}         | {'a':null}                | {'b':'c'}",
                    "{'a':['b']}               | {'a':'c'}                 | {'a':'c'}",
                    "{'a':'c'}                 | {'a':['b']}               | {'a':['b']}",
                    "{'a':{'b':'c'}}           | {'a':{'b':'d','c':null}}  | {'a':{'b':'d'}}",
                    "{'a':[{'b':'c'}]}         | {'a':[1]}                 | {'a':[1]}",
                    "{'e':null}                | {'a':1}                   | {'e':null,'a':1}",
                    "{'a':'foo'}               | {'a':{'b':'c'}}           | {'a':{'b':'c'}}",
                    "{}                        | {'a':{'bb':{'ccc':null}}} | {}",
                    "{'a':1}                   | {'a':{}}                  | {}",
                    "{'a':[null,{}]}           | {}                        | {'a':[null,{}]}"
                })
        void mergesLikeRfc7386AndPrunesEmptyObjects(String target, String patch, String expected) {
            assertThat(ShadowAlgebra.mergePatch(obj(target), obj(patch))).isEqualTo(obj(expected));
        }

        @Test
        void mergePatchChangesNeitherArgumentAndSharesNoNodeWithThem() {
            ObjectNode target = obj("{'a':{'b':1},'c':[1]}");
            ObjectNode patch = obj("{'a':{'d':2},'e':[2]}");

            ObjectNode merged = ShadowAlgebra.mergePatch(target, patch);
            ((ObjectNode) merged.get("a")).put("mutated", true);

            assertThat(target).isEqualTo(obj("{'a':{'b':1},'c':[1]}"));
            assertThat(patch).isEqualTo(obj("{'a':{'d':2},'e':[2]}"));
        }

        @Test
        void theInversePatchRestoresTheTarget() {
            // given
            ObjectNode target = obj("{'a':1,'b':{'c':2,'x':0},'d':{'e':3}}");
            ObjectNode patch = obj("{'a':5,'b':{'c':null,'f':3},'d':null,'g':{'h':1}}");

            // when
            ObjectNode inverse = ShadowAlgebra.inversePatch(target, patch);

            // then
            assertThat(inverse).isEqualTo(obj("{'a':1,'b':{'c':2,'f':null},'d':{'e':3},'g':null}"));
            assertThat(ShadowAlgebra.mergePatch(ShadowAlgebra.mergePatch(target, patch), inverse))
                    .isEqualTo(target);
        }
    }

    @Test
    void applyChangesNeitherTheDocumentNorTheRequest() {
        // given
        ShadowDocument car = car();
        ShadowDocument carCopy = ShadowDocument.fromStoredJson(car.toStoredJson());
        UpdateRequest request = update("{'state':{'reported':{'cabin':{'heater':null}},'desired':{'range':1}}}");
        ObjectNode stateCopy = request.state().deepCopy();

        // when
        accepted(ShadowAlgebra.apply(car, request, T1, ShadowLimits.DEFAULT));

        // then
        assertThat(car).isEqualTo(carCopy);
        assertThat(request.state()).isEqualTo(stateCopy);
        assertThat(request.reported()).isEqualTo(stateCopy.get("reported"));
    }
}
