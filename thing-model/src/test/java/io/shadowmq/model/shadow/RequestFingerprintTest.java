package io.shadowmq.model.shadow;

import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestFingerprintTest {

    private static final ThingId WASHER = ThingId.of("washer-1");

    private static String fingerprint(ThingId thing, String payload) {
        UpdateRequest request = ShadowRequests.parseUpdate(
                        payload.getBytes(StandardCharsets.UTF_8), ShadowLimits.DEFAULT)
                .orElseThrow();
        return RequestFingerprint.of(thing, request);
    }

    @Test
    void theSameRequestHasTheSameFingerprintWhateverTheOrderOfItsMembersAndItsClientToken() {
        String first = fingerprint(
                WASHER, "{\"state\":{\"desired\":{\"program\":\"wool\",\"command\":\"start\"}},\"clientToken\":\"a\"}");
        String again = fingerprint(
                WASHER, "{\"clientToken\":\"b\",\"state\":{\"desired\":{\"command\":\"start\",\"program\":\"wool\"}}}");

        assertThat(again).isEqualTo(first).hasSize(RequestFingerprint.LENGTH).matches("[0-9a-f]{64}");
    }

    @Test
    void anotherStateVersionOrTargetIsAnotherRequest() {
        String wool = fingerprint(WASHER, "{\"state\":{\"desired\":{\"program\":\"wool\"}}}");

        assertThat(fingerprint(WASHER, "{\"state\":{\"desired\":{\"program\":\"eco\"}}}"))
                .isNotEqualTo(wool);
        assertThat(fingerprint(WASHER, "{\"state\":{\"reported\":{\"program\":\"wool\"}}}"))
                .isNotEqualTo(wool);
        assertThat(fingerprint(WASHER, "{\"state\":{\"desired\":{\"program\":\"wool\"}},\"version\":3}"))
                .isNotEqualTo(wool);
        assertThat(fingerprint(ThingId.of("washer-2"), "{\"state\":{\"desired\":{\"program\":\"wool\"}}}"))
                .isNotEqualTo(wool);
        assertThat(fingerprint(WASHER, "{\"state\":{\"desired\":null}}"))
                .isNotEqualTo(fingerprint(WASHER, "{\"state\":{\"desired\":{\"program\":null}}}"));
    }

    @Test
    void stringContentCannotImitateStructure() {
        assertThat(fingerprint(WASHER, "{\"state\":{\"desired\":{\"a\":\"x\\\",\\\"b\\\":\\\"y\"}}}"))
                .isNotEqualTo(fingerprint(WASHER, "{\"state\":{\"desired\":{\"a\":\"x\",\"b\":\"y\"}}}"));
    }

    @Test
    void aRequesterIsAThingAnApiKeyOrTheAdminAndNothingElse() {
        assertThat(Requester.thing(WASHER).value()).isEqualTo("thing:washer-1");
        assertThat(Requester.apiKey("3f9a0c").value()).isEqualTo("key:3f9a0c");
        assertThat(Requester.admin().value()).isEqualTo("admin");
        assertThatThrownBy(() -> Requester.apiKey("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Requester("thing:")).isInstanceOf(IllegalArgumentException.class);
    }
}
