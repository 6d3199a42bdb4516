package io.shadowmq.model.shadow;

import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static io.shadowmq.model.shadow.TestJson.accepted;
import static io.shadowmq.model.shadow.TestJson.obj;
import static io.shadowmq.model.shadow.TestJson.update;
import static org.assertj.core.api.Assertions.assertThat;

/** The life of desired values: who set them, until when, and how each one ended. */
class DesiredLifecycleTest {

    /** 06:30 on a winter morning. */
    private static final long T0 = 1_700_029_800_000L;

    private static final long MINUTE = 60_000;

    /** The car's terms: the heater's wishes live an hour; the trunk lock stays in desired after it was applied. */
    private static final DesiredPolicy CAR = new DesiredPolicy() {
        @Override
        public boolean autoClear(@NotNull String dottedPath) {
            return !dottedPath.startsWith("trunk.");
        }

        @Override
        public @Nullable Duration defaultTtl(@NotNull String dottedPath) {
            return dottedPath.startsWith("cabin.heater.") ? Duration.ofHours(1) : null;
        }
    };

    private static ShadowDocument apply(ShadowDocument current, String by, String singleQuotedPayload, long now) {
        return accepted(ShadowAlgebra.apply(current, update(singleQuotedPayload), by, CAR, now, ShadowLimits.DEFAULT))
                .current();
    }

    /** A parked car at 06:00 with the heater off. */
    private static ShadowDocument parkedCar() {
        return apply(
                ShadowDocument.empty(0),
                "car-1",
                "{'state':{'reported':{'cabin':{'heater':{'isOn':false,'targetTemperature':18}},'trunk':{'isLocked':true}}}}",
                T0 - 30 * MINUTE);
    }

    @Nested
    class Pending {

        @Test
        void aDesiredLeafKnowsWhoSetItWhenAndUntilWhen() {
            // when the speaker asks for heat at 06:30 (the model gives heater wishes an hour)
            ShadowDocument car =
                    apply(parkedCar(), "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0);

            // then
            assertThat(car.desired()).isEqualTo(obj("{'cabin':{'heater':{'isOn':true}}}"));
            assertThat(car.desiredMetadata())
                    .isEqualTo(obj("{'cabin':{'heater':{'isOn':{'timestamp':" + T0 + ",'setBy':'speaker-1','expiresAt':"
                            + (T0 + 60 * MINUTE) + "}}}}"));
            assertThat(car.desiredOutcomes()).isEmpty();
            assertThat(car.nextDesiredExpiry()).hasValue(T0 + 60 * MINUTE);
        }

        @Test
        void ttlSecondsOfTheUpdateWinsOverTheModelsDefault() {
            ShadowDocument car = apply(
                    parkedCar(),
                    "admin",
                    "{'state':{'desired':{'cabin':{'heater':{'isOn':true}},'trunk':{'isLocked':false}}},'ttlSeconds':300}",
                    T0);

            assertThat(car.desiredMetadata().at("/cabin/heater/isOn/expiresAt").longValue())
                    .isEqualTo(T0 + 5 * MINUTE);
            assertThat(car.desiredMetadata().at("/trunk/isLocked/expiresAt").longValue())
                    .isEqualTo(T0 + 5 * MINUTE);
        }

        @Test
        void withoutTtlAndWithoutModelDefaultADesiredLeafNeverExpires() {
            ShadowDocument car = apply(parkedCar(), "admin", "{'state':{'desired':{'trunk':{'isLocked':false}}}}", T0);

            assertThat(car.desiredMetadata().at("/trunk/isLocked"))
                    .isEqualTo(obj("{'timestamp':" + T0 + ",'setBy':'admin'}"));
            assertThat(car.nextDesiredExpiry()).isEmpty();
            assertThat(ShadowAlgebra.expireDesired(car, Long.MAX_VALUE)).isEmpty();
        }

        @Test
        void updateAcceptedTellsTheWriterWhoAndUntilWhenOfThePendingLeavesItWrote() {
            UpdateOutcome outcome = ShadowAlgebra.apply(
                    parkedCar(),
                    update("{'state':{'desired':{'cabin':{'heater':{'isOn':true,'targetTemperature':18}}}}}"),
                    "speaker-1",
                    CAR,
                    T0,
                    ShadowLimits.DEFAULT);

            // targetTemperature 18 is what the car reports already: applied at once, no longer pending
            assertThat(ShadowPayloads.accepted(accepted(outcome)).get("metadata"))
                    .isEqualTo(obj("{'desired':{'cabin':{'heater':{'isOn':{'timestamp':" + T0 + ",'setBy':'speaker-1',"
                            + "'expiresAt':" + (T0 + 60 * MINUTE) + "},'targetTemperature':{'timestamp':" + T0
                            + "}}}}}"));
        }

        @Test
        void theDeltaMetadataCarriesSetByAndExpiresAt() {
            ShadowDocument car =
                    apply(parkedCar(), "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0);

            assertThat(ShadowPayloads.delta(car, T0 + 1).get("metadata"))
                    .isEqualTo(obj("{'cabin':{'heater':{'isOn':{'timestamp':" + T0 + ",'setBy':'speaker-1','expiresAt':"
                            + (T0 + 60 * MINUTE) + "}}}}"));
        }
    }

    @Nested
    class Applied {

        @Test
        void theHeaterRequestAt0630IsAppliedAt0631AndLeavesDesiredAndTheDelta() {
            // given the speaker's request at 06:30
            ShadowDocument requested =
                    apply(parkedCar(), "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0);
            assertThat(requested.delta()).isEqualTo(obj("{'cabin':{'heater':{'isOn':true}}}"));

            // when the car reports the heater on at 06:31
            ShadowDocument heating =
                    apply(requested, "car-1", "{'state':{'reported':{'cabin':{'heater':{'isOn':true}}}}}", T0 + MINUTE);

            // then
            assertThat(heating.desired()).isEmpty();
            assertThat(heating.delta()).isEmpty();
            assertThat(heating.desiredMetadata()).isEmpty();
            assertThat(heating.nextDesiredExpiry()).isEmpty();
            assertThat(heating.desiredOutcomes())
                    .isEqualTo(obj("{'cabin.heater.isOn':{'status':'applied','value':true,'setBy':'speaker-1','setAt':"
                            + T0 + ",'at':" + (T0 + MINUTE) + "}}"));
            assertThat(heating.version()).isEqualTo(requested.version() + 1);
        }

        @Test
        void numbersConvergeByValueAndOnlyTheConvergedLeafLeaves() {
            ShadowDocument requested = apply(
                    parkedCar(),
                    "speaker-1",
                    "{'state':{'desired':{'cabin':{'heater':{'isOn':true,'targetTemperature':21}}}}}",
                    T0);

            ShadowDocument warming = apply(
                    requested,
                    "car-1",
                    "{'state':{'reported':{'cabin':{'heater':{'targetTemperature':21.0}}}}}",
                    T0 + MINUTE);

            assertThat(warming.desired()).isEqualTo(obj("{'cabin':{'heater':{'isOn':true}}}"));
            assertThat(warming.desiredOutcomes().get("cabin.heater.targetTemperature"))
                    .isEqualTo(obj("{'status':'applied','value':21,'setBy':'speaker-1','setAt':" + T0 + ",'at':"
                            + (T0 + MINUTE) + "}"));
        }

        @Test
        void aWishTheThingAlreadyFulfilsIsAppliedAtOnce() {
            ShadowDocument car = apply(
                    parkedCar(),
                    "speaker-1",
                    "{'state':{'desired':{'cabin':{'heater':{'targetTemperature':18}}}}}",
                    T0);

            assertThat(car.desired()).isEmpty();
            assertThat(car.desiredOutcomes()
                            .at("/cabin.heater.targetTemperature/status")
                            .textValue())
                    .isEqualTo("applied");
        }

        @Test
        void aPropertyThatOptedOutStaysInDesiredAfterConverging() {
            ShadowDocument requested =
                    apply(parkedCar(), "admin", "{'state':{'desired':{'trunk':{'isLocked':false}}}}", T0);

            ShadowDocument unlocked =
                    apply(requested, "car-1", "{'state':{'reported':{'trunk':{'isLocked':false}}}}", T0 + MINUTE);

            assertThat(unlocked.desired()).isEqualTo(obj("{'trunk':{'isLocked':false}}"));
            assertThat(unlocked.delta()).isEmpty();
            assertThat(unlocked.desiredOutcomes()).isEmpty();
        }
    }

    @Nested
    class Superseded {

        @Test
        void aPendingValueReplacedByAnotherIsSuperseded() {
            ShadowDocument first = apply(
                    parkedCar(),
                    "speaker-1",
                    "{'state':{'desired':{'cabin':{'heater':{'targetTemperature':22}}}}}",
                    T0);

            ShadowDocument second = apply(
                    first,
                    "phone-app",
                    "{'state':{'desired':{'cabin':{'heater':{'targetTemperature':24}}}}}",
                    T0 + MINUTE);

            assertThat(second.desired()).isEqualTo(obj("{'cabin':{'heater':{'targetTemperature':24}}}"));
            assertThat(second.desiredMetadata()
                            .at("/cabin/heater/targetTemperature/setBy")
                            .textValue())
                    .isEqualTo("phone-app");
            assertThat(second.desiredOutcomes())
                    .isEqualTo(obj("{'cabin.heater.targetTemperature':{'status':'superseded','value':22,"
                            + "'setBy':'speaker-1','setAt':" + T0 + ",'at':" + (T0 + MINUTE) + "}}"));
        }

        @Test
        void theSameValueAgainIsNoNewWishButRenewsWhoAndUntilWhen() {
            ShadowDocument first =
                    apply(parkedCar(), "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0);

            ShadowDocument again =
                    apply(first, "phone-app", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0 + MINUTE);

            assertThat(again.desiredOutcomes()).isEmpty();
            assertThat(again.desiredMetadata().at("/cabin/heater/isOn"))
                    .isEqualTo(obj("{'timestamp':" + (T0 + MINUTE) + ",'setBy':'phone-app','expiresAt':"
                            + (T0 + 61 * MINUTE) + "}"));
        }

        @Test
        void aWithdrawnWishEndsWithoutAnOutcome() {
            ShadowDocument first =
                    apply(parkedCar(), "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0);

            ShadowDocument withdrawn =
                    apply(first, "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':null}}}}}", T0 + 1);
            ShadowDocument cleared = apply(first, "speaker-1", "{'state':{'desired':null}}", T0 + 1);

            assertThat(withdrawn.desired()).isEmpty();
            assertThat(withdrawn.desiredOutcomes()).isEmpty();
            assertThat(cleared.desiredOutcomes()).isEmpty();
        }
    }

    @Nested
    class Rejected {

        @Test
        void theThingRefusesAWishWithAReason() {
            ShadowDocument requested = apply(
                    parkedCar(),
                    "speaker-1",
                    "{'state':{'desired':{'cabin':{'heater':{'isOn':true,'targetTemperature':22}}}}}",
                    T0);

            ShadowDocument refused = apply(
                    requested,
                    "car-1",
                    "{'rejectDesired':{'cabin.heater.isOn':'battery below 10 %','cabin.heater.unknownButIgnored':'x'}}",
                    T0 + MINUTE);

            assertThat(refused.desired()).isEqualTo(obj("{'cabin':{'heater':{'targetTemperature':22}}}"));
            assertThat(refused.delta()).isEqualTo(obj("{'cabin':{'heater':{'targetTemperature':22}}}"));
            assertThat(refused.desiredOutcomes())
                    .isEqualTo(obj("{'cabin.heater.isOn':{'status':'rejected','value':true,'setBy':'speaker-1','setAt':"
                            + T0 + ",'at':" + (T0 + MINUTE) + ",'reason':'battery below 10 %'}}"));
        }

        @Test
        void refusingAnObjectRefusesEveryDesiredLeafUnderIt() {
            ShadowDocument requested = apply(
                    parkedCar(),
                    "speaker-1",
                    "{'state':{'desired':{'cabin':{'heater':{'isOn':true,'targetTemperature':22}}}}}",
                    T0);

            ShadowDocument refused =
                    apply(requested, "car-1", "{'rejectDesired':{'cabin.heater':'no fuel'}}", T0 + MINUTE);

            assertThat(refused.desired()).isEmpty();
            assertThat(refused.desiredOutcomes().properties())
                    .extracting(entry -> entry.getKey() + "="
                            + entry.getValue().get("status").textValue())
                    .containsExactly("cabin.heater.isOn=rejected", "cabin.heater.targetTemperature=rejected");
        }

        @Test
        void aPathNotDesiredIsIgnored() {
            ShadowDocument car = parkedCar();

            ShadowDocument after = apply(car, "car-1", "{'rejectDesired':{'cabin.heater.isOn':'not now'}}", T0);

            assertThat(after.desired()).isEmpty();
            assertThat(after.desiredOutcomes()).isEmpty();
            assertThat(after.reported()).isEqualTo(car.reported());
        }
    }

    @Nested
    class Expired {

        @Test
        void aWishExpiresAtExactlyItsExpiresAtNotAMillisecondBefore() {
            ShadowDocument requested =
                    apply(parkedCar(), "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0);
            long expiresAt = T0 + 60 * MINUTE;

            assertThat(ShadowAlgebra.expireDesired(requested, expiresAt - 1)).isEmpty();
            Optional<ShadowDocument> expired = ShadowAlgebra.expireDesired(requested, expiresAt);

            assertThat(expired).isPresent();
            assertThat(expired.get().desired()).isEmpty();
            assertThat(expired.get().delta()).isEmpty();
            assertThat(expired.get().version()).isEqualTo(requested.version() + 1);
            assertThat(expired.get().timestamp()).isEqualTo(expiresAt);
            assertThat(expired.get().reported()).isEqualTo(requested.reported());
            assertThat(expired.get().desiredOutcomes())
                    .isEqualTo(obj("{'cabin.heater.isOn':{'status':'expired','value':true,'setBy':'speaker-1','setAt':"
                            + T0 + ",'at':" + expiresAt + "}}"));
            // and the sweep after that finds nothing: no new version
            assertThat(ShadowAlgebra.expireDesired(expired.get(), expiresAt + 1))
                    .isEmpty();
        }

        @Test
        void anyUpdateAtOrAfterTheExpiryEndsTheWishToo() {
            ShadowDocument requested =
                    apply(parkedCar(), "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0);

            ShadowDocument later =
                    apply(requested, "car-1", "{'state':{'reported':{'trunk':{'isLocked':false}}}}", T0 + 60 * MINUTE);

            assertThat(later.desired()).isEmpty();
            assertThat(later.desiredOutcomes().at("/cabin.heater.isOn/status").textValue())
                    .isEqualTo("expired");
        }

        @Test
        void convergingAtTheLastMomentIsAppliedNotExpired() {
            ShadowDocument requested =
                    apply(parkedCar(), "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0);

            ShadowDocument converged = apply(
                    requested, "car-1", "{'state':{'reported':{'cabin':{'heater':{'isOn':true}}}}}", T0 + 60 * MINUTE);

            assertThat(converged
                            .desiredOutcomes()
                            .at("/cabin.heater.isOn/status")
                            .textValue())
                    .isEqualTo("applied");
        }

        @Test
        void onlyTheExpiredLeafGoesAndTheNextExpiryIsTheRemainingOne() {
            ShadowDocument first = apply(
                    parkedCar(),
                    "speaker-1",
                    "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}},'ttlSeconds':60}",
                    T0);
            ShadowDocument both = apply(
                    first,
                    "speaker-1",
                    "{'state':{'desired':{'cabin':{'heater':{'targetTemperature':22}}}},'ttlSeconds':120}",
                    T0 + 1);

            ShadowDocument expired =
                    ShadowAlgebra.expireDesired(both, T0 + MINUTE).orElseThrow();

            assertThat(expired.desired()).isEqualTo(obj("{'cabin':{'heater':{'targetTemperature':22}}}"));
            assertThat(expired.nextDesiredExpiry()).hasValue(T0 + 1 + 2 * MINUTE);
        }
    }

    @Nested
    class Outcomes {

        @Test
        void theLastOutcomePerPathIsKeptAndStoredAndServed() {
            ShadowDocument car = parkedCar();
            car = apply(car, "speaker-1", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0);
            car = apply(car, "car-1", "{'rejectDesired':{'cabin.heater.isOn':'battery below 10 %'}}", T0 + 1);
            car = apply(car, "phone-app", "{'state':{'desired':{'cabin':{'heater':{'isOn':true}}}}}", T0 + 2);
            car = apply(car, "car-1", "{'state':{'reported':{'cabin':{'heater':{'isOn':true}}}}}", T0 + 3);

            assertThat(car.desiredOutcomes())
                    .isEqualTo(obj("{'cabin.heater.isOn':{'status':'applied','value':true,'setBy':'phone-app','setAt':"
                            + (T0 + 2) + ",'at':" + (T0 + 3) + "}}"));
            ShadowDocument stored = ShadowDocument.fromStoredJson(car.toStoredJson());
            assertThat(stored).isEqualTo(car);
            assertThat(ShadowPayloads.get(car, T0 + 4, null).get("desiredOutcomes"))
                    .isEqualTo(car.desiredOutcomes());
            // a device reads get/accepted with the same reader and sees the outcomes too
            assertThat(ShadowDocument.fromStoredJson(ShadowPayloads.get(car, T0 + 4, null))
                            .desiredOutcomes())
                    .isEqualTo(car.desiredOutcomes());
        }

        @Test
        void aDocumentWithoutOutcomesIsStoredAsBefore() {
            ShadowDocument car = parkedCar();

            assertThat(car.toStoredJson().has("desiredOutcomes")).isFalse();
        }
    }

    @Nested
    class StoredBeforeTheLifecycle {

        /** As a store wrote it before desired values had a lifecycle: metadata leaves with a timestamp only. */
        private final ShadowDocument old = ShadowDocument.fromStoredJson(obj("{'state':{'reported':{'cabin':{'heater':"
                + "{'isOn':false}}},'desired':{'cabin':{'heater':{'isOn':true}}}},'metadata':{'reported':{'cabin':"
                + "{'heater':{'isOn':{'timestamp':" + (T0 - 1) + "}}}},'desired':{'cabin':{'heater':{'isOn':"
                + "{'timestamp':" + T0 + "}}}}},'version':7,'timestamp':" + T0 + "}"));

        @Test
        void readsWithItsMetadataAndNoOutcomes() {
            assertThat(old.desired()).isEqualTo(obj("{'cabin':{'heater':{'isOn':true}}}"));
            assertThat(old.desiredMetadata()).isEqualTo(obj("{'cabin':{'heater':{'isOn':{'timestamp':" + T0 + "}}}}"));
            assertThat(old.desiredOutcomes()).isEmpty();
            assertThat(old.nextDesiredExpiry()).isEmpty();
            assertThat(ShadowAlgebra.expireDesired(old, Long.MAX_VALUE)).isEmpty();
        }

        @Test
        void anOldWishIsAppliedWithoutSetBy() {
            ShadowDocument applied =
                    apply(old, "car-1", "{'state':{'reported':{'cabin':{'heater':{'isOn':true}}}}}", T0 + 5);

            assertThat(applied.desiredOutcomes())
                    .isEqualTo(obj("{'cabin.heater.isOn':{'status':'applied','value':true,'setAt':" + T0 + ",'at':"
                            + (T0 + 5) + "}}"));
        }

        @Test
        void untouchedOldLeavesKeepTheirMetadataBesideNewOnes() {
            ShadowDocument more = apply(old, "admin", "{'state':{'desired':{'trunk':{'isLocked':false}}}}", T0 + 5);

            assertThat(more.desiredMetadata())
                    .isEqualTo(obj("{'cabin':{'heater':{'isOn':{'timestamp':" + T0 + "}}},'trunk':{'isLocked':"
                            + "{'timestamp':" + (T0 + 5) + ",'setBy':'admin'}}}"));
        }
    }

    @Test
    void aClientPredictingWithoutAModelUsesTheDefaults() {
        ShadowDocument requested = accepted(ShadowAlgebra.apply(
                        ShadowDocument.empty(0),
                        update("{'state':{'desired':{'volume':7},'reported':{'volume':3}}}"),
                        T0,
                        ShadowLimits.DEFAULT))
                .current();

        assertThat(requested.desiredMetadata()).isEqualTo(obj("{'volume':{'timestamp':" + T0 + "}}"));
        assertThat(Set.copyOf(DesiredLifecycle.leaves(requested.desired()).keySet()))
                .containsExactly("volume");
        assertThat(SafeJson.writeString(requested.desiredOutcomes())).isEqualTo("{}");
    }
}
