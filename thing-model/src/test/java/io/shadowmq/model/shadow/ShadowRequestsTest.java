package io.shadowmq.model.shadow;

import io.shadowmq.model.schema.Section;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static io.shadowmq.model.shadow.TestJson.bytes;
import static io.shadowmq.model.shadow.TestJson.invalid;
import static io.shadowmq.model.shadow.TestJson.obj;
import static io.shadowmq.model.shadow.TestJson.update;
import static org.assertj.core.api.Assertions.assertThat;

class ShadowRequestsTest {

    private static Rejection rejectionOf(String singleQuotedPayload) {
        return invalid(ShadowRequests.parseUpdate(bytes(singleQuotedPayload), ShadowLimits.DEFAULT));
    }

    /** {"state":{"reported":{"p1":{"p2":...{"pN":1}}}}}: N property names, N object levels below state. */
    private static String reportedNested(int objectLevels) {
        StringBuilder json = new StringBuilder("{'state':{'reported':");
        for (int i = 1; i < objectLevels; i++) {
            json.append("{'p").append(i).append("':");
        }
        json.append("{'leaf':1}");
        json.append("}".repeat(objectLevels - 1));
        return json.append("}}").toString();
    }

    @Nested
    class ValidUpdates {

        @Test
        void anUpdateWithBothSectionsVersionAndTokenIsRead() {
            // when
            UpdateRequest request = update("{'state':{'reported':{'volume':3},'desired':{'volume':7}},"
                    + "'version':4,'clientToken':'req-1'}");

            // then
            assertThat(request.patch(Section.REPORTED)).contains(obj("{'volume':3}"));
            assertThat(request.patch(Section.DESIRED)).contains(obj("{'volume':7}"));
            assertThat(request.version()).isEqualTo(4L);
            assertThat(request.clientToken()).isEqualTo("req-1");
            assertThat(request.state()).isEqualTo(obj("{'reported':{'volume':3},'desired':{'volume':7}}"));
        }

        @Test
        void anAbsentSectionIsNotTouched() {
            UpdateRequest request = update("{'state':{'desired':{'volume':7}}}");

            assertThat(request.touches(Section.REPORTED)).isFalse();
            assertThat(request.reported().isMissingNode()).isTrue();
            assertThat(request.patch(Section.REPORTED)).isEmpty();
            assertThat(request.clears(Section.REPORTED)).isFalse();
            assertThat(request.version()).isNull();
            assertThat(request.clientToken()).isNull();
        }

        @Test
        void aNullSectionClearsIt() {
            UpdateRequest request = update("{'state':{'desired':null}}");

            assertThat(request.touches(Section.DESIRED)).isTrue();
            assertThat(request.clears(Section.DESIRED)).isTrue();
            assertThat(request.patch(Section.DESIRED)).isEmpty();
            assertThat(request.state()).isEqualTo(obj("{'desired':null}"));
        }

        @Test
        void versionZeroIsAVersion() {
            assertThat(update("{'state':{'reported':{'on':true}},'version':0}").version())
                    .isEqualTo(0L);
        }

        @Test
        void aTokenOf64PrintableCharactersIncludingNonAsciiIsAccepted() {
            String token = "Küche-🚗-" + "x".repeat(56);
            assertThat(token.codePointCount(0, token.length())).isEqualTo(64);

            assertThat(update("{'state':{'reported':{'on':true}},'clientToken':'" + token + "'}")
                            .clientToken())
                    .isEqualTo(token);
        }
    }

    @Nested
    class UpdatesThatChangeNothing {

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "{'state':{'reported':{}}}                      | state.reported: an empty object",
                    "{'state':{'desired':{}},'clientToken':'t-1'}   | state.desired: an empty object",
                    "{'state':{'desired':{'cabin':{'heater':{}}}}}  | state.desired: only empty objects",
                    "{'state':{'reported':{},'desired':{'on':true}}} | state.reported: an empty object"
                })
        void anUpdateThatNamesNoPropertyIsMalformedInsteadOfBurningAVersion(String payload, String start) {
            assertThat(rejectionOf(payload))
                    .isEqualTo(new Rejection(
                            400, start + " changes nothing; name at least one property, or leave the section out"));
        }

        @Test
        void deletingAPropertyThatMayNotExistStillChangesSomething() {
            assertThat(update("{'state':{'desired':{'cabin':{'heater':null}}}}").touches(Section.DESIRED))
                    .isTrue();
        }
    }

    @Nested
    class PropertyNames {

        private static final String RULE = " is not a property name (1 to 64 letters, digits and _, starting with a "
                + "letter: ^[A-Za-z][A-Za-z0-9_]{0,63}$)";

        private Rejection rejectionOfRaw(String json) {
            return invalid(ShadowRequests.parseUpdate(json.getBytes(StandardCharsets.UTF_8), ShadowLimits.DEFAULT));
        }

        @Test
        void anEmptyPropertyNameIsMalformedAndTheMessageNamesWhereItIs() {
            assertThat(rejectionOf("{'state':{'reported':{'':1}},'clientToken':'x'}"))
                    .isEqualTo(new Rejection(400, "state.reported: ''" + RULE));
            assertThat(rejectionOf("{'state':{'desired':{'doors':{'':null}}}}"))
                    .isEqualTo(new Rejection(400, "state.desired.doors: ''" + RULE));
        }

        @Test
        void whitespaceDotsAndControlCharactersAreNoPropertyNames() {
            assertThat(rejectionOf("{'state':{'reported':{'   ':1}}}"))
                    .isEqualTo(new Rejection(400, "state.reported: '   '" + RULE));
            assertThat(rejectionOf("{'state':{'reported':{'a.b':1}}}"))
                    .isEqualTo(new Rejection(400, "state.reported: 'a.b'" + RULE));
            assertThat(rejectionOfRaw("{\"state\":{\"reported\":{\"a\\u0000b\":1}}}"))
                    .isEqualTo(new Rejection(400, "state.reported: 'a\\u0000b'" + RULE));
        }

        @Test
        void aTenThousandCharacterNameIsMalformedAndTheMessageStaysShort() {
            Rejection rejection = rejectionOf("{'state':{'reported':{'" + "k".repeat(10_000) + "':1}}}");

            assertThat(rejection.code()).isEqualTo(400);
            assertThat(rejection.message())
                    .startsWith("state.reported: 'kkkk")
                    .endsWith(RULE)
                    .hasSizeLessThan(250);
        }

        @Test
        void namesInsideArraysFollowTheSameRule() {
            assertThat(rejectionOf("{'state':{'reported':{'list':[{'ok':1},{'':2}]}}}"))
                    .isEqualTo(new Rejection(400, "state.reported.list[1]: ''" + RULE));
        }

        @Test
        void aSixtyFourCharacterCamelCaseNameIsAProperty() {
            String name = "a" + "B".repeat(63);

            assertThat(update("{'state':{'reported':{'" + name + "':1}}}").state())
                    .isEqualTo(obj("{'reported':{'" + name + "':1}}"));
        }
    }

    @Nested
    class Encoding {

        @Test
        void anOverlongNulIsInvalidUtf8NotANul() {
            // given: {"state":{"reported":{"a<C0 80>":1}}}
            byte[] head = "{\"state\":{\"reported\":{\"a".getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\":1}}}".getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[head.length + 2 + tail.length];
            System.arraycopy(head, 0, payload, 0, head.length);
            payload[head.length] = (byte) 0xC0;
            payload[head.length + 1] = (byte) 0x80;
            System.arraycopy(tail, 0, payload, head.length + 2, tail.length);

            // when
            Rejection rejection = invalid(ShadowRequests.parseUpdate(payload, ShadowLimits.DEFAULT));

            // then
            assertThat(rejection).isEqualTo(new Rejection(400, "not JSON: invalid UTF-8 at byte " + head.length));
        }

        @Test
        void anEscapedLoneSurrogateIsMalformed() {
            assertThat(rejectionOf("{'state':{'reported':{'name':'\\ud800'}}}"))
                    .isEqualTo(new Rejection(400, "not JSON: a lone surrogate \\ud800 in a string"));
        }

        @Test
        void anEscapedSurrogatePairIsOneCharacter() {
            assertThat(update("{'state':{'reported':{'name':'\\ud83d\\ude97'}}}")
                            .state())
                    .isEqualTo(obj("{'reported':{'name':'\ud83d\ude97'}}"));
        }
    }

    @Nested
    class Malformed {

        @Test
        void aPayloadOverTheLimitIsTooLarge() {
            // given a payload one byte over 64 KiB
            byte[] payload = new byte[65537];

            // when
            Rejection rejection = invalid(ShadowRequests.parseUpdate(payload, ShadowLimits.DEFAULT));

            // then
            assertThat(rejection).isEqualTo(new Rejection(413, "payload is 65537 bytes, more than 65536"));
        }

        @Test
        void notJsonIsMalformed() {
            assertThat(rejectionOf("{'state':")).isEqualTo(new Rejection(400, "not JSON: unexpected end of input"));
        }

        @Test
        void aDuplicateKeyIsMalformed() {
            assertThat(rejectionOf("{'state':{'reported':{}},'state':{'desired':{}}}"))
                    .isEqualTo(new Rejection(400, "not JSON: duplicate key 'state'"));
        }

        @Test
        void trailingContentIsMalformed() {
            assertThat(rejectionOf("{'state':{'reported':{}}}{'state':{}}"))
                    .isEqualTo(new Rejection(400, "not JSON: trailing content after the document"));
        }

        @Test
        void aDocumentThatIsNotAnObjectIsMalformed() {
            assertThat(rejectionOf("[{'state':{}}]"))
                    .isEqualTo(new Rejection(400, "expected a JSON object, got array"));
        }

        @Test
        void anUpdateWithoutStateIsMalformed() {
            assertThat(rejectionOf("{'version':3}")).isEqualTo(new Rejection(400, "missing state"));
        }

        @Test
        void aStateThatIsNotAnObjectIsMalformed() {
            assertThat(rejectionOf("{'state':'on'}"))
                    .isEqualTo(new Rejection(400, "state: expected an object, got string"));
            assertThat(rejectionOf("{'state':null}"))
                    .isEqualTo(new Rejection(400, "state: expected an object, got null"));
        }

        @Test
        void aStateWithAnotherKeyThanReportedOrDesiredIsMalformed() {
            assertThat(rejectionOf("{'state':{'reported':{},'delta':{'a':1}}}"))
                    .isEqualTo(
                            new Rejection(400, "state: unknown key 'delta': only reported and desired can be updated"));
        }

        @Test
        void anEmptyStateIsMalformed() {
            assertThat(rejectionOf("{'state':{}}"))
                    .isEqualTo(new Rejection(400, "state: expected reported and/or desired"));
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '"',
                value = {"'on'   | string", "[1]    | array", "3      | number", "true   | boolean"})
        void aSectionThatIsNeitherObjectNorNullIsMalformed(String value, String type) {
            assertThat(rejectionOf("{'state':{'reported':" + value + "}}"))
                    .isEqualTo(new Rejection(400, "state.reported: expected an object or null, got " + type));
            assertThat(rejectionOf("{'state':{'desired':" + value + "}}"))
                    .isEqualTo(new Rejection(400, "state.desired: expected an object or null, got " + type));
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '"',
                value = {
                    "-1     | -1",
                    "1.5    | 1.5",
                    "3.0    | 3.0",
                    "'3'    | string",
                    "null   | null",
                    "{}     | object"
                })
        void aVersionThatIsNotANonNegativeIntegerIsMalformed(String value, String got) {
            assertThat(rejectionOf("{'state':{'reported':{'on':true}},'version':" + value + "}"))
                    .isEqualTo(new Rejection(400, "version: expected a non-negative integer, got " + got));
        }

        @Test
        void aClientTokenThatIsNotAStringIsMalformed() {
            assertThat(rejectionOf("{'state':{'reported':{'on':true}},'clientToken':42}"))
                    .isEqualTo(new Rejection(
                            400, "clientToken: expected a string of 1 to 64 printable characters, got number"));
        }

        @Test
        void anEmptyClientTokenIsMalformed() {
            assertThat(rejectionOf("{'state':{'reported':{'on':true}},'clientToken':''}"))
                    .isEqualTo(new Rejection(
                            400, "clientToken: expected 1 to 64 printable characters, got an empty string"));
        }

        @Test
        void aClientTokenOf65CharactersIsMalformed() {
            assertThat(rejectionOf("{'state':{'reported':{'on':true}},'clientToken':'" + "x".repeat(65) + "'}"))
                    .isEqualTo(new Rejection(400, "clientToken: expected 1 to 64 printable characters, got 65"));
        }

        @Test
        void aClientTokenWithAControlCharacterIsMalformed() {
            assertThat(rejectionOf("{'state':{'reported':{'on':true}},'clientToken':'a\\nb'}"))
                    .isEqualTo(
                            new Rejection(
                                    400,
                                    "clientToken: expected 1 to 64 printable characters, got a control, format or unassigned character"));
        }

        @Test
        void anUnknownTopLevelKeyIsMalformed() {
            assertThat(rejectionOf("{'state':{'reported':{}},'metadata':{}}"))
                    .isEqualTo(new Rejection(
                            400,
                            "unknown key 'metadata': an update may only hold state, version, clientToken, ttlSeconds and "
                                    + "rejectDesired"));
        }
    }

    @Nested
    class Depth {

        @Test
        void eightObjectLevelsBelowStateAreAccepted() {
            // {"state":{"reported":{"p1":{"p2":{"p3":{"p4":{"p5":{"p6":{"p7":{"leaf":1}}}}}}}}}}
            String payload = reportedNested(8);

            UpdateRequest request = update(payload);

            assertThat(request.patch(Section.REPORTED)).isPresent();
        }

        @Test
        void nineObjectLevelsBelowStateAreMalformedNamingTheDeepestPath() {
            String payload = reportedNested(9);

            assertThat(rejectionOf(payload))
                    .isEqualTo(
                            new Rejection(400, "state.reported.p1.p2.p3.p4.p5.p6.p7.p8: nested deeper than 8 levels"));
        }

        @Test
        void arraysCountAsLevelsToo() {
            // reported(1) > a(2) > 6 more arrays = 8 levels: accepted; one more array: 9.
            assertThat(update("{'state':{'desired':{'a':[[[[[[[1]]]]]]]}}}").touches(Section.DESIRED))
                    .isTrue();
            assertThat(rejectionOf("{'state':{'desired':{'a':[[[[[[[[1]]]]]]]]}}}"))
                    .isEqualTo(new Rejection(400, "state.desired.a[0][0][0][0][0][0][0]: nested deeper than 8 levels"));
        }

        @Test
        void aSmallerConfiguredDepthIsEnforced() {
            ShadowLimits shallow = new ShadowLimits(65536, 32768, 2);

            assertThat(ShadowRequests.parseUpdate(bytes("{'state':{'reported':{'a':{'b':1}}}}"), shallow))
                    .isInstanceOf(Outcome.Ok.class);
            assertThat(invalid(
                            ShadowRequests.parseUpdate(bytes("{'state':{'reported':{'a':{'b':{'c':1}}}}}"), shallow)))
                    .isEqualTo(new Rejection(400, "state.reported.a.b: nested deeper than 2 levels"));
        }

        @Test
        void nesting17DeepIsRefusedByTheReaderItself() {
            // root(1) > state(2) > reported(3) > 14 more = 17 JSON levels
            String payload = reportedNested(15);

            assertThat(rejectionOf(payload)).isEqualTo(new Rejection(400, "not JSON: nesting deeper than 16"));
        }
    }

    @Nested
    class ClientRequests {

        @Test
        void anEmptyPayloadHasNoToken() {
            assertThat(ShadowRequests.parseClientRequest(new byte[0]))
                    .isEqualTo(new Outcome.Ok<>(new ClientRequest(null)));
        }

        @Test
        void anEmptyObjectHasNoToken() {
            assertThat(ShadowRequests.parseClientRequest(bytes("{}")))
                    .isEqualTo(new Outcome.Ok<>(new ClientRequest(null)));
        }

        @Test
        void theTokenIsRead() {
            assertThat(ShadowRequests.parseClientRequest(bytes("{'clientToken':'get-1'}")))
                    .isEqualTo(new Outcome.Ok<>(new ClientRequest("get-1")));
        }

        @Test
        void anyOtherKeyIsMalformed() {
            assertThat(invalid(ShadowRequests.parseClientRequest(bytes("{'clientToken':'get-1','version':3}"))))
                    .isEqualTo(new Rejection(
                            400, "unknown key 'version': a get or delete request may only hold clientToken"));
        }

        @Test
        void aBadTokenIsMalformed() {
            assertThat(invalid(ShadowRequests.parseClientRequest(bytes("{'clientToken':7}"))))
                    .isEqualTo(new Rejection(
                            400, "clientToken: expected a string of 1 to 64 printable characters, got number"));
        }

        @Test
        void somethingElseThanAnObjectIsMalformed() {
            assertThat(invalid(ShadowRequests.parseClientRequest(bytes("'get-1'"))))
                    .isEqualTo(new Rejection(400, "expected an empty payload or a JSON object, got string"));
            assertThat(invalid(ShadowRequests.parseClientRequest(bytes("{"))))
                    .isEqualTo(new Rejection(400, "not JSON: unexpected end of input"));
        }

        @Test
        void aHugePayloadIsTooLarge() {
            assertThat(invalid(ShadowRequests.parseClientRequest(new byte[70000])))
                    .isEqualTo(new Rejection(413, "payload is 70000 bytes, more than 65536"));
        }
    }

    @Nested
    class SalvageClientToken {

        @Test
        void theTokenOfAnOtherwiseInvalidUpdateIsFound() {
            assertThat(ShadowRequests.salvageClientToken(bytes("{'clientToken':'req-9','state':'oops'}")))
                    .contains("req-9");
        }

        @Test
        void theTokenAfterOtherKeysIsFound() {
            assertThat(
                            ShadowRequests.salvageClientToken(
                                    bytes(
                                            "{'state':{'reported':{'a':[1,{'clientToken':'inner'}]}},'version':-1,'clientToken':'outer'}")))
                    .contains("outer");
        }

        @Test
        void theTokenOfJsonThatTheReaderRefusesIsStillFound() {
            assertThat(ShadowRequests.salvageClientToken(bytes("{'state':{},'state':{},'clientToken':'dup'}")))
                    .contains("dup");
            assertThat(ShadowRequests.salvageClientToken(bytes("{'clientToken':'cut','state':{'reported':")))
                    .contains("cut");
            assertThat(ShadowRequests.salvageClientToken(bytes("{'clientToken':'tail'} garbage")))
                    .contains("tail");
        }

        @Test
        void aTokenNestedDeeperThanTheTopLevelIsNotTheRequestsToken() {
            assertThat(ShadowRequests.salvageClientToken(bytes("{'state':{'clientToken':'inner'}}")))
                    .isEmpty();
        }

        @Test
        void anInvalidTokenIsNotSalvaged() {
            assertThat(ShadowRequests.salvageClientToken(bytes("{'clientToken':'" + "x".repeat(65) + "'}")))
                    .isEmpty();
            assertThat(ShadowRequests.salvageClientToken(bytes("{'clientToken':42}")))
                    .isEmpty();
        }

        @Test
        void garbageYieldsNothingAndNeverThrows() {
            assertThat(ShadowRequests.salvageClientToken(null)).isEmpty();
            assertThat(ShadowRequests.salvageClientToken(new byte[0])).isEmpty();
            assertThat(ShadowRequests.salvageClientToken("not json".getBytes(StandardCharsets.UTF_8)))
                    .isEmpty();
            assertThat(ShadowRequests.salvageClientToken(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}))
                    .isEmpty();
        }

        @Test
        void aTokenBeyondTheFirst64KiBIsNotLookedFor() {
            assertThat(ShadowRequests.salvageClientToken(
                            bytes("{'a':'" + "x".repeat(30000) + "','clientToken':'near'}")))
                    .contains("near");
            assertThat(ShadowRequests.salvageClientToken(
                            bytes("{'a':'" + "x".repeat(70000) + "','clientToken':'far'}")))
                    .isEmpty();
        }
    }
}
