package io.shadowmq.model.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.schema.ThingModels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For every payload a device or an HTTP client can send, the request parser and everything that runs on what it
 * accepts (thing-model validation, the shadow algebra, the response payloads) end in an accepted or a rejected
 * outcome, never an exception. The generators aim at the edges: keys that are empty, blank, hold control characters
 * or lone surrogates or are 10,000 characters long; duplicate keys; deep nesting; numbers beyond every range;
 * overlong and otherwise invalid UTF-8.
 */
class RequestParsingPropertyTest {

    private static final ThingModel CAR = ThingModels.bundled().get("car").orElseThrow();
    private static final long NOW = 1_700_000_000_000L;
    private static final List<Integer> REQUEST_CODES = List.of(Rejection.MALFORMED, Rejection.TOO_LARGE);

    @Property(tries = 1000)
    void anyUpdatePayloadIsAcceptedOrRejectedAndAcceptedOnesGoThroughTheWholeModel(
            @ForAll("updatePayloads") byte[] payload) {
        // when
        Outcome<UpdateRequest> parsed = ShadowRequests.parseUpdate(payload, ShadowLimits.DEFAULT);

        // then
        if (parsed instanceof Outcome.Rejected<UpdateRequest> rejected) {
            assertThat(rejected.rejection().code()).isIn(REQUEST_CODES);
            assertThat(ShadowRequests.salvageClientToken(payload)).isNotNull();
            return;
        }
        UpdateRequest request = ((Outcome.Ok<UpdateRequest>) parsed).value();
        assertThat(keysOf(request.state()))
                .allMatch(key -> DataSchema.PROPERTY_NAME.matcher(key).matches());
        for (Section section : Section.values()) {
            request.patch(section).ifPresent(patch -> CAR.check(section, patch));
        }
        UpdateOutcome outcome = ShadowAlgebra.apply(ShadowDocument.empty(0), request, NOW, ShadowLimits.DEFAULT);
        if (outcome instanceof UpdateOutcome.Accepted accepted) {
            assertThat(readBack(ShadowPayloads.accepted(accepted))).isNotNull();
            assertThat(readBack(ShadowPayloads.delta(accepted.current(), NOW))).isNotNull();
        }
    }

    @Property(tries = 500)
    void anyGetOrDeletePayloadIsAcceptedOrRejected(@ForAll("updatePayloads") byte[] payload) {
        Outcome<ClientRequest> parsed = ShadowRequests.parseClientRequest(payload);

        if (parsed instanceof Outcome.Rejected<ClientRequest> rejected) {
            assertThat(rejected.rejection().code()).isIn(REQUEST_CODES);
        }
    }

    @Property(tries = 500)
    void payloadsWithInvalidUtf8AreRejectedAsInvalidUtf8(
            @ForAll("validPayloads") String valid,
            @ForAll("invalidUtf8") byte[] bad,
            @ForAll("positions") double where) {
        // given: an invalid sequence spliced into an otherwise valid update
        byte[] text = valid.getBytes(StandardCharsets.UTF_8);
        int at = insideAString(text, where);
        byte[] payload = new byte[text.length + bad.length];
        System.arraycopy(text, 0, payload, 0, at);
        System.arraycopy(bad, 0, payload, at, bad.length);
        System.arraycopy(text, at, payload, at + bad.length, text.length - at);

        // when
        Outcome<UpdateRequest> parsed = ShadowRequests.parseUpdate(payload, ShadowLimits.DEFAULT);

        // then
        assertThat(parsed).isInstanceOf(Outcome.Rejected.class);
        Rejection rejection = ((Outcome.Rejected<UpdateRequest>) parsed).rejection();
        assertThat(rejection.code()).isEqualTo(400);
        assertThat(rejection.message()).startsWith("not JSON: invalid UTF-8 at byte ");
    }

    @Property(tries = 300)
    void anyBytesAtAllAreAcceptedOrRejected(@ForAll("anyBytes") byte[] payload) {
        Outcome<UpdateRequest> update = ShadowRequests.parseUpdate(payload, ShadowLimits.DEFAULT);
        Outcome<ClientRequest> get = ShadowRequests.parseClientRequest(payload);

        assertThat(List.of(update, get))
                .allMatch(outcome -> outcome instanceof Outcome.Ok<?>
                        || REQUEST_CODES.contains(
                                ((Outcome.Rejected<?>) outcome).rejection().code()));
    }

    @Provide
    Arbitrary<byte[]> updatePayloads() {
        return Arbitraries.oneOf(validPayloads(), requests()).map(json -> json.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> validPayloads() {
        Arbitrary<String> names = Arbitraries.strings()
                .alpha()
                .ofMinLength(1)
                .ofMaxLength(8)
                .filter(name -> Character.isLetter(name.charAt(0)));
        return Combinators.combine(
                        Arbitraries.of("reported", "desired"),
                        names,
                        Arbitraries.strings().ofMaxLength(10))
                .as((section, name, value) -> "{\"state\":{\"" + section + "\":{\"" + name + "\":" + quoted(value)
                        + "}},\"clientToken\":\"t-1\"}");
    }

    /** Update-shaped JSON text: the right top-level keys mostly, with anything inside. */
    private Arbitrary<String> requests() {
        Arbitrary<String> section =
                Arbitraries.frequencyOf(Tuple.of(8, objects()), Tuple.of(1, values()), Tuple.of(1, deepNesting()));
        Arbitrary<String> sections = Combinators.combine(section.optional(), section.optional(), keys().optional())
                .as((reported, desired, extra) -> {
                    List<String> members = new ArrayList<>();
                    reported.ifPresent(value -> members.add("\"reported\":" + value));
                    desired.ifPresent(value -> members.add("\"desired\":" + value));
                    extra.ifPresent(key -> members.add(quoted(key) + ":1"));
                    return "{" + String.join(",", members) + "}";
                });
        Arbitrary<String> version = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf), leaves());
        Arbitrary<String> token =
                Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(70).map(this::quoted), leaves());
        return Combinators.combine(sections, version.optional(), token.optional(), Arbitraries.of(false, true))
                .as((state, v, t, duplicate) -> {
                    List<String> members = new ArrayList<>();
                    members.add("\"state\":" + state);
                    v.ifPresent(value -> members.add("\"version\":" + value));
                    t.ifPresent(value -> members.add("\"clientToken\":" + value));
                    if (duplicate) {
                        members.add("\"state\":" + state);
                    }
                    return "{" + String.join(",", members) + "}";
                });
    }

    private Arbitrary<String> values() {
        return Arbitraries.recursive(this::leaves, this::containers, 0, 5);
    }

    private Arbitrary<String> objects() {
        return members(values());
    }

    private Arbitrary<String> containers(Arbitrary<String> inner) {
        return Arbitraries.oneOf(
                members(inner), inner.list().ofMaxSize(3).map(list -> "[" + String.join(",", list) + "]"));
    }

    private Arbitrary<String> members(Arbitrary<String> inner) {
        return Combinators.combine(keys(), inner)
                .as((key, value) -> quoted(key) + ":" + value)
                .list()
                .ofMaxSize(4)
                .map(list -> "{" + String.join(",", list) + "}");
    }

    private Arbitrary<String> deepNesting() {
        return Arbitraries.integers()
                .between(1, 24)
                .map(levels -> "{\"cabin\":".repeat(levels) + "1" + "}".repeat(levels));
    }

    private Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "",
                        " ",
                        "\t",
                        "\u0000",
                        "a\u0001b",
                        "a\u007fb",
                        "a\u0085b",
                        "a.b",
                        "\ud800",
                        "x\udc00",
                        "cabin",
                        "heater",
                        "isOn",
                        "targetTemperature",
                        "doors",
                        "frontLeft",
                        "isOpen",
                        "range",
                        "Küche",
                        "__proto__",
                        "$set",
                        "k".repeat(64),
                        "k".repeat(65),
                        "k".repeat(10_000)),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings()
                        .alpha()
                        .numeric()
                        .withChars('_')
                        .ofMinLength(1)
                        .ofMaxLength(70));
    }

    private Arbitrary<String> leaves() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "null",
                        "true",
                        "false",
                        "0",
                        "-0",
                        "-0.0",
                        "1e400",
                        "-1e400",
                        "1E-400",
                        "4.9e-324",
                        "1.7976931348623157e308",
                        "9223372036854775807",
                        "9223372036854775808",
                        "-9223372036854775809",
                        "99999999999999999999999999999999",
                        "1" + "0".repeat(70),
                        "21",
                        "28.5",
                        "\"cotton\"",
                        "\"\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(20).map(this::quoted));
    }

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(
                new byte[] {(byte) 0xC0, (byte) 0x80}, // overlong NUL
                new byte[] {(byte) 0xC1, (byte) 0xBF}, // overlong
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong 3-byte
                new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate as CESU-8
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                new byte[] {(byte) 0x80}, // stray continuation
                new byte[] {(byte) 0xE2, (byte) 0x82}, // truncated
                new byte[] {(byte) 0xFF});
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    /** JSON string text; control characters and every surrogate escaped, so lone surrogates reach the parser. */
    private String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** An offset just after a quote, so the bad bytes land inside a key or a string. */
    private static int insideAString(byte[] text, double where) {
        int start = (int) (where * (text.length - 1));
        for (int i = start; i < text.length; i++) {
            if (text[i] == '"') {
                return i + 1;
            }
        }
        return 1;
    }

    private static List<String> keysOf(JsonNode node) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> section : node.properties()) {
            collectKeys(section.getValue(), keys);
        }
        return keys;
    }

    private static void collectKeys(JsonNode node, List<String> keys) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                keys.add(member.getKey());
                collectKeys(member.getValue(), keys);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectKeys(element, keys));
        }
    }

    private static JsonNode readBack(ObjectNode payload) {
        try {
            return SafeJson.read(SafeJson.write(payload));
        } catch (MalformedJsonException e) {
            throw new AssertionError("a response payload does not read back: " + e.getMessage(), e);
        }
    }
}
