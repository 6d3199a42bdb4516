package io.shadowmq.model.shadow;

import io.shadowmq.model.json.SafeJson;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.shadowmq.model.shadow.TestJson.accepted;
import static io.shadowmq.model.shadow.TestJson.update;
import static org.assertj.core.api.Assertions.assertThat;

class ShadowPayloadsTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long T1 = T0 + 1_000;
    private static final long T2 = T0 + 2_000;

    private static UpdateOutcome.Accepted apply(ShadowDocument current, String payload, long now) {
        return accepted(ShadowAlgebra.apply(current, update(payload), now, ShadowLimits.DEFAULT));
    }

    /** The speaker at version 2: reports volume 3 (T0), volume 7 wished (T1). */
    private static ShadowDocument speaker() {
        ShadowDocument reported = apply(
                        ShadowDocument.empty(0), "{'state':{'reported':{'volume':3,'muted':false}}}", T0)
                .current();
        return apply(reported, "{'state':{'desired':{'volume':7}}}", T1).current();
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    @Nested
    class UpdateAccepted {

        @Test
        void echoesTheChangeWithMetadataOfTheWrittenLeavesOnly() {
            // when the speaker reports volume 7, deletes 'muted' and sets an equalizer
            UpdateOutcome.Accepted accepted = apply(
                    speaker(),
                    "{'state':{'reported':{'volume':7,'muted':null,'eq':{'bass':2,'treble':null}}},'clientToken':'t-1'}",
                    T2);

            // then
            assertThat(SafeJson.writeString(ShadowPayloads.accepted(accepted)))
                    .isEqualTo(json("{'state':{'reported':{'volume':7,'muted':null,'eq':{'bass':2,'treble':null}}},"
                            + "'metadata':{'reported':{'volume':{'timestamp':" + T2 + "},'eq':{'bass':{'timestamp':"
                            + T2 + "}}}},'version':3,'timestamp':" + T2 + ",'clientToken':'t-1'}"));
        }

        @Test
        void aClearedSectionIsNullInStateAndHasNoMetadata() {
            UpdateOutcome.Accepted accepted =
                    apply(speaker(), "{'state':{'desired':null,'reported':{'volume':7}}}", T2);

            assertThat(SafeJson.writeString(ShadowPayloads.accepted(accepted)))
                    .isEqualTo(json("{'state':{'desired':null,'reported':{'volume':7}},"
                            + "'metadata':{'reported':{'volume':{'timestamp':" + T2 + "}}},'version':3,'timestamp':"
                            + T2 + "}"));
        }

        @Test
        void anUpdateThatOnlyDeletesHasEmptyMetadata() {
            UpdateOutcome.Accepted accepted = apply(speaker(), "{'state':{'reported':{'muted':null}}}", T2);

            assertThat(ShadowPayloads.accepted(accepted).get("metadata").isEmpty())
                    .isTrue();
        }
    }

    @Test
    void deltaCarriesThePendingLeavesTheirDesiredMetadataAndTheVersion() {
        assertThat(SafeJson.writeString(ShadowPayloads.delta(speaker(), T2)))
                .isEqualTo(json("{'state':{'volume':7},'metadata':{'volume':{'timestamp':" + T1
                        + "}},'version':2,'timestamp':" + T2 + "}"));
    }

    @Test
    void documentsCarryTheWholeDocumentBeforeAndAfter() {
        // given
        UpdateOutcome.Accepted accepted = apply(speaker(), "{'state':{'reported':{'volume':5}}}", T2);

        // when
        String payload = SafeJson.writeString(ShadowPayloads.documents(accepted.previous(), accepted.current(), T2));

        // then
        assertThat(payload)
                .isEqualTo(json("{'previous':{"
                        + "'state':{'reported':{'volume':3,'muted':false},'desired':{'volume':7}},"
                        + "'metadata':{'reported':{'volume':{'timestamp':" + T0 + "},'muted':{'timestamp':" + T0 + "}},"
                        + "'desired':{'volume':{'timestamp':" + T1 + "}}},'version':2,'desiredOutcomes':{}},"
                        + "'current':{"
                        + "'state':{'reported':{'volume':5,'muted':false},'desired':{'volume':7}},"
                        + "'metadata':{'reported':{'volume':{'timestamp':" + T2 + "},'muted':{'timestamp':" + T0 + "}},"
                        + "'desired':{'volume':{'timestamp':" + T1 + "}}},'version':3,'desiredOutcomes':{}},"
                        + "'timestamp':" + T2 + "}"));
    }

    @Test
    void getCarriesReportedDesiredAndDeltaWithMetadata() {
        assertThat(SafeJson.writeString(ShadowPayloads.get(speaker(), T2, "g-1")))
                .isEqualTo(json(
                        "{'state':{'reported':{'volume':3,'muted':false},'desired':{'volume':7},'delta':{'volume':7}},"
                                + "'metadata':{'reported':{'volume':{'timestamp':" + T0 + "},'muted':{'timestamp':" + T0
                                + "}},"
                                + "'desired':{'volume':{'timestamp':" + T1 + "}}},"
                                + "'version':2,'timestamp':" + T2 + ",'desiredOutcomes':{},'clientToken':'g-1'}"));
    }

    @Test
    void getAlwaysHasAllThreeStateKeysEvenWhenEmpty() {
        assertThat(SafeJson.writeString(ShadowPayloads.get(ShadowDocument.empty(4), T2, null)))
                .isEqualTo(
                        json("{'state':{'reported':{},'desired':{},'delta':{}},'metadata':{'reported':{},'desired':{}},"
                                + "'version':4,'timestamp':" + T2 + ",'desiredOutcomes':{}}"));
    }

    @Test
    void deleteAcceptedCarriesTheVersionTimestampAndToken() {
        assertThat(SafeJson.writeString(ShadowPayloads.deleteAccepted(5, T2, "d-1")))
                .isEqualTo(json("{'version':5,'timestamp':" + T2 + ",'clientToken':'d-1'}"));
        assertThat(SafeJson.writeString(ShadowPayloads.deleteAccepted(5, T2, null)))
                .isEqualTo(json("{'version':5,'timestamp':" + T2 + "}"));
    }

    @Test
    void rejectedCarriesCodeMessageTokenAndTimestamp() {
        Rejection conflict = Rejection.versionConflict(4, 5);

        assertThat(SafeJson.writeString(ShadowPayloads.rejected(conflict, "u-1", T2)))
                .isEqualTo(json("{'code':409,'message':'version conflict: request has version 4, current version is 5',"
                        + "'clientToken':'u-1','timestamp':" + T2 + "}"));
        assertThat(SafeJson.writeString(ShadowPayloads.rejected(Rejection.malformed("missing state"), null, T2)))
                .isEqualTo(json("{'code':400,'message':'missing state','timestamp':" + T2 + "}"));
    }

    @Test
    void payloadsShareNoNodeWithTheDocument() {
        ShadowDocument speaker = speaker();

        ShadowPayloads.get(speaker, T2, null).with("state").with("reported").put("volume", 11);

        assertThat(speaker.reported().get("volume").intValue()).isEqualTo(3);
    }

    @Nested
    class DeltaChanged {

        @Test
        void aNewWishChangesTheDelta() {
            assertThat(apply(speaker(), "{'state':{'desired':{'muted':true}}}", T2)
                            .deltaChanged())
                    .isTrue();
        }

        @Test
        void theSameWishAgainDoesNotChangeTheDelta() {
            assertThat(apply(speaker(), "{'state':{'desired':{'volume':7.0}}}", T2)
                            .deltaChanged())
                    .isFalse();
        }

        @Test
        void aReportThatFulfilsTheWishEmptiesTheDeltaWhichIsNoChangeToPublish() {
            UpdateOutcome.Accepted accepted = apply(speaker(), "{'state':{'reported':{'volume':7}}}", T2);

            assertThat(accepted.current().delta()).isEmpty();
            assertThat(accepted.deltaChanged()).isFalse();
        }

        @Test
        void aReportThatLeavesADifferentPendingDeltaChangesIt() {
            // given volume 7 and muted wished
            ShadowDocument doc =
                    apply(speaker(), "{'state':{'desired':{'muted':true}}}", T2).current();

            // when volume 7 is reported, muted still pending
            UpdateOutcome.Accepted accepted = apply(doc, "{'state':{'reported':{'volume':7}}}", T2);

            // then
            assertThat(accepted.deltaChanged()).isTrue();
        }

        @Test
        void aReportUnrelatedToThePendingWishDoesNotChangeTheDelta() {
            assertThat(apply(speaker(), "{'state':{'reported':{'battery':80}}}", T2)
                            .deltaChanged())
                    .isFalse();
        }
    }
}
