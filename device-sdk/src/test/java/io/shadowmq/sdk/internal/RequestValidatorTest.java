package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.sdk.TestJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

class RequestValidatorTest {

    private static final ThingModel CAR = ThingModels.bundled().get("car").orElseThrow();
    private static final RequestValidator CAR_VALIDATOR = new RequestValidator(CAR, ShadowLimits.DEFAULT);
    private static final RequestValidator WITHOUT_MODEL = new RequestValidator(null, ShadowLimits.DEFAULT);

    @Test
    void aReportThatFitsTheModelIsTheRequestThePlatformWillRead() {
        Outcome<UpdateRequest> checked = CAR_VALIDATOR.check(
                Section.REPORTED, obj("{'range':310,'cabin':{'temperature':-2.5}}"), "tok-1", null, List.of());

        assertThat(checked.orElseThrow().patch(Section.REPORTED))
                .contains(obj("{'range':310,'cabin':{'temperature':-2.5}}"));
        assertThat(checked.orElseThrow().clientToken()).isEqualTo("tok-1");
    }

    @Test
    void aWrongTypeIsRefusedWithThePlatformsMessage() {
        assertThat(rejection(CAR_VALIDATOR, Section.REPORTED, obj("{'range':'far'}")))
                .isEqualTo(new Rejection(422, "range: expected integer, got string"));
    }

    @Test
    void desiredOnAReadOnlyPropertyIsRefused() {
        assertThat(rejection(CAR_VALIDATOR, Section.DESIRED, obj("{'range':500}")))
                .isEqualTo(new Rejection(422, "range: readOnly, only the thing itself reports it"));
    }

    @Test
    void outOfRangeNamesThePropertyAndTheRule() {
        assertThat(rejection(CAR_VALIDATOR, Section.DESIRED, obj("{'cabin':{'heater':{'targetTemperature':35}}}")))
                .isEqualTo(new Rejection(422, "cabin.heater.targetTemperature: 35 > maximum 28"));
    }

    @Test
    void nestingDeeperThanEightLevelsIsMalformedBeforeTheModelIsAsked() {
        ObjectNode deep = obj("{'p1':{'p2':{'p3':{'p4':{'p5':{'p6':{'p7':{'p8':{'leaf':1}}}}}}}}}");

        assertThat(rejection(CAR_VALIDATOR, Section.REPORTED, deep))
                .isEqualTo(new Rejection(400, "state.reported.p1.p2.p3.p4.p5.p6.p7.p8: nested deeper than 8 levels"));
    }

    @Test
    void aPayloadOver64KiBIsTooLarge() {
        // given
        ObjectNode big = SafeJson.object();
        for (int i = 0; i < 70; i++) {
            big.put("p" + i, "x".repeat(1000));
        }
        int payloadBytes = RequestValidator.payload(Section.REPORTED, big, "tok-1").length;

        // then
        assertThat(rejection(WITHOUT_MODEL, Section.REPORTED, big))
                .isEqualTo(new Rejection(413, "payload is " + payloadBytes + " bytes, more than 65536"));
    }

    @Test
    void aStateThatWouldOutgrowTheLimitIsTooLargeCountingWhatTheShadowAlreadyHolds() {
        // given: 20 KB stored, 15 KB more to report
        ShadowDocument known = new ShadowDocument(
                sized("old", 20), SafeJson.object(), SafeJson.object(), SafeJson.object(), 4, 1_700_000_000_000L);
        ObjectNode patch = sized("new", 15);
        ObjectNode after = known.reported().deepCopy().setAll(patch);
        int expectedBytes = SafeJson.write(
                        SafeJson.object().<ObjectNode>set("reported", after).set("desired", SafeJson.object()))
                .length;

        // when
        Outcome<UpdateRequest> checked = WITHOUT_MODEL.check(Section.REPORTED, patch, "tok-1", known, List.of());

        // then
        assertThat(((Outcome.Rejected<UpdateRequest>) checked).rejection())
                .isEqualTo(new Rejection(413, "state would be " + expectedBytes + " bytes, more than 32768"));
        assertThat(WITHOUT_MODEL
                        .check(Section.REPORTED, patch, "tok-1", null, List.of())
                        .isOk())
                .isTrue();
    }

    @Test
    void reportsWaitingInTheBufferCountTowardsTheState() {
        ShadowDocument known = ShadowDocument.empty(0);

        Outcome<UpdateRequest> checked =
                WITHOUT_MODEL.check(Section.REPORTED, sized("b", 17), "tok-1", known, List.of(sized("a", 17)));

        assertThat(checked.isOk()).isFalse();
    }

    @Test
    void thePayloadIsWhatTheSdkPublishes() {
        assertThat(TestJson.read(RequestValidator.payload(Section.DESIRED, obj("{'volume':20}"), "t-9")))
                .isEqualTo(obj("{'state':{'desired':{'volume':20}},'clientToken':'t-9'}"));
    }

    /** An object of about {@code kilobytes} KB in 1 KB strings. */
    private static ObjectNode sized(String prefix, int kilobytes) {
        ObjectNode object = SafeJson.object();
        for (int i = 0; i < kilobytes; i++) {
            object.put(prefix + i, "y".repeat(1000));
        }
        return object;
    }

    private static Rejection rejection(RequestValidator validator, Section section, ObjectNode patch) {
        Outcome<UpdateRequest> checked = validator.check(section, patch, "tok-1", null, List.of());
        assertThat(checked).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected<UpdateRequest>) checked).rejection();
    }
}
