package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static io.shadowmq.model.shadow.TestJson.bytes;
import static io.shadowmq.model.shadow.TestJson.invalid;
import static io.shadowmq.model.shadow.TestJson.update;
import static org.assertj.core.api.Assertions.assertThat;

/** The update payload's ttlSeconds and rejectDesired. */
class DesiredRequestsTest {

    private static Rejection rejectionOf(String singleQuotedPayload) {
        return invalid(ShadowRequests.parseUpdate(bytes(singleQuotedPayload), ShadowLimits.DEFAULT));
    }

    @Test
    void ttlSecondsIsReadForTheDesiredValuesTheUpdateSets() {
        UpdateRequest request = update("{'state':{'desired':{'volume':7}},'ttlSeconds':600}");

        assertThat(request.ttlSeconds()).isEqualTo(600L);
        assertThat(request.rejectsDesired()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0       | ttlSeconds: must be between 1 and 604800 seconds (7 days), was 0",
                "604801  | ttlSeconds: must be between 1 and 604800 seconds (7 days), was 604801",
                "-5      | ttlSeconds: must be between 1 and 604800 seconds (7 days), was -5",
                "1.5     | ttlSeconds: expected a whole number of seconds, got 1.5",
                "'\"60\"' | ttlSeconds: expected a whole number of seconds, got string",
            })
    void ttlSecondsOutsideOneSecondToSevenDaysIs400(String ttl, String message) {
        assertThat(rejectionOf("{'state':{'desired':{'volume':7}},'ttlSeconds':" + ttl + "}"))
                .isEqualTo(new Rejection(400, message));
    }

    @Test
    void ttlSecondsWithoutDesiredValuesIs400() {
        assertThat(rejectionOf("{'state':{'reported':{'volume':7}},'ttlSeconds':60}"))
                .isEqualTo(new Rejection(
                        400, "ttlSeconds: applies to the desired values the update sets, and it sets none"));
        assertThat(rejectionOf("{'state':{'desired':null},'ttlSeconds':60}").code())
                .isEqualTo(400);
    }

    @Test
    void rejectDesiredMayComeAloneOrWithAReport() {
        UpdateRequest alone = update("{'rejectDesired':{'cabin.heater.isOn':'battery below 10 %'},'clientToken':'r'}");
        UpdateRequest withReport = update(
                "{'state':{'reported':{'fuel':{'level':8}}},'rejectDesired':{'cabin.heater.isOn':'battery below 10 %'}}");

        assertThat(alone.rejectDesired()).isEqualTo(Map.of("cabin.heater.isOn", "battery below 10 %"));
        assertThat(alone.touches(Section.REPORTED)).isFalse();
        assertThat(alone.touches(Section.DESIRED)).isFalse();
        assertThat(withReport.rejectsDesired()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"x\"                        | rejectDesired: expected an object of dotted paths to reasons, got string",
                "{}                           | rejectDesired: an empty object refuses nothing; name at least one desired path",
                "{'cabin..isOn':'r'}          | rejectDesired.cabin..isOn: not a dotted property path (names matching ^[A-Za-z][A-Za-z0-9_]{0,63}$, joined by dots)",
                "{'cabin.heater.isOn':true}   | rejectDesired.cabin.heater.isOn: expected the reason as a non-blank string, got boolean",
                "{'cabin.heater.isOn':' '}    | rejectDesired.cabin.heater.isOn: expected the reason as a non-blank string, got a blank string",
                "{'a.b.c.d.e.f.g.h.i':'r'}    | rejectDesired.a.b.c.d.e.f.g.h.i: nested deeper than 8 levels",
            })
    void malformedRejectDesiredIs400(String value, String message) {
        assertThat(rejectionOf("{'rejectDesired':" + value + "}")).isEqualTo(new Rejection(400, message));
    }

    @Test
    void aReasonLongerThan256CharactersIs400() {
        assertThat(rejectionOf("{'rejectDesired':{'a':'" + "x".repeat(257) + "'}}"))
                .isEqualTo(new Rejection(400, "rejectDesired.a: a reason of 257 characters is longer than 256"));
    }

    @Test
    void ttlAndRefusalsMakeADifferentRequestUnderTheSameToken() {
        ThingId thing = ThingId.of("car-1");
        String plain = RequestFingerprint.of(thing, update("{'state':{'desired':{'volume':7}}}"));
        String withTtl = RequestFingerprint.of(thing, update("{'state':{'desired':{'volume':7}},'ttlSeconds':60}"));
        String refusing = RequestFingerprint.of(thing, update("{'rejectDesired':{'volume':'no'}}"));
        String refusingOther = RequestFingerprint.of(thing, update("{'rejectDesired':{'volume':'never'}}"));

        assertThat(Set.of(plain, withTtl, refusing, refusingOther)).hasSize(4);
        assertThat(plain)
                .isEqualTo(RequestFingerprint.of(
                        thing, UpdateRequest.of(MissingNode.getInstance(), TestJson.obj("{'volume':7}"), null, null)));
    }
}
