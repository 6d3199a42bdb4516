package io.shadowmq.model.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafeJsonTest {

    @Test
    void readsAnObjectAndWritesItBackCompactly() throws Exception {
        // given
        String json = "{ \"state\" : { \"reported\" : { \"volume\" : 7, \"name\" : \"Küche\" } } }";

        // when
        JsonNode node = SafeJson.read(json);

        // then
        assertThat(SafeJson.writeString(node))
                .isEqualTo("{\"state\":{\"reported\":{\"volume\":7,\"name\":\"Küche\"}}}");
        assertThat(new String(SafeJson.write(node), StandardCharsets.UTF_8)).isEqualTo(SafeJson.writeString(node));
    }

    @Test
    void integersStayExactLongs() throws Exception {
        // 2^53 + 1 cannot be a double: a long keeps it exact.
        JsonNode node = SafeJson.read("{\"big\":9007199254740993,\"max\":9223372036854775807}");

        assertThat(node.get("big").isIntegralNumber()).isTrue();
        assertThat(node.get("big").longValue()).isEqualTo(9007199254740993L);
        assertThat(node.get("max").longValue()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void fractionsAreDoubles() throws Exception {
        JsonNode node = SafeJson.read("{\"t\":20.5}");

        assertThat(node.get("t").isDouble()).isTrue();
        assertThat(node.get("t").doubleValue()).isEqualTo(20.5);
    }

    @Test
    void aKeyTwiceInOneObjectIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> SafeJson.read("{\"state\":{},\"state\":{}}"))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessage("not JSON: duplicate key 'state'");
    }

    @Test
    void aKeyTwiceInANestedObjectIsRefusedToo() {
        assertThatThrownBy(() -> SafeJson.read("{\"state\":{\"reported\":{\"on\":true,\"on\":false}}}"))
                .hasMessage("not JSON: duplicate key 'on'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "{} x", "{}}", "{\"a\":1} [", "1 2", "{} \"x\""})
    void contentAfterTheDocumentIsRefused(String json) {
        assertThatThrownBy(() -> SafeJson.read(json))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessage("not JSON: trailing content after the document");
    }

    @Test
    void whitespaceAfterTheDocumentIsFine() throws Exception {
        assertThat(SafeJson.read("{\"a\":1} \n\t ").get("a").intValue()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{\"a\":1", "[1,2", "{\"a\":\"unterminated"})
    void aTruncatedDocumentIsAnUnexpectedEnd(String json) {
        assertThatThrownBy(() -> SafeJson.read(json)).hasMessage("not JSON: unexpected end of input");
    }

    @Test
    void nestingOf16IsRead() throws Exception {
        JsonNode node = SafeJson.read("[".repeat(16) + "]".repeat(16));

        assertThat(node.isArray()).isTrue();
    }

    @Test
    void nestingOf17IsRefused() {
        String json = "{\"a\":".repeat(16) + "{}" + "}".repeat(16);

        assertThatThrownBy(() -> SafeJson.read(json)).hasMessage("not JSON: nesting deeper than 16");
    }

    @Test
    void aStringLongerThan32KiBIsRefused() {
        String json = "{\"a\":\"" + "x".repeat(32769) + "\"}";

        assertThatThrownBy(() -> SafeJson.read(json)).hasMessage("not JSON: a string longer than 32768 characters");
    }

    @Test
    void aStringOf32KiBIsRead() throws Exception {
        assertThat(SafeJson.read("{\"a\":\"" + "x".repeat(32768) + "\"}")
                        .get("a")
                        .textValue())
                .hasSize(32768);
    }

    @Test
    void aKeyLongerThan32KiBIsRefused() {
        String json = "{\"" + "k".repeat(32769) + "\":1}";

        assertThatThrownBy(() -> SafeJson.read(json)).hasMessage("not JSON: a string longer than 32768 characters");
    }

    @Test
    void aNumberLongerThan64CharactersIsRefused() {
        assertThatThrownBy(() -> SafeJson.read("{\"n\":1" + "0".repeat(64) + "}"))
                .hasMessage("not JSON: a number longer than 64 characters");
    }

    @Test
    void anIntegerBeyond64BitsIsRefused() {
        assertThatThrownBy(() -> SafeJson.read("{\"n\":9223372036854775808}"))
                .hasMessage("not JSON: integer 9223372036854775808 does not fit 64 bits");
    }

    @Test
    void aNumberThatOverflowsADoubleIsRefused() {
        assertThatThrownBy(() -> SafeJson.read("{\"n\":[1e400]}")).hasMessage("not JSON: number out of range");
    }

    @Test
    void aDocumentLongerThan64KiBIsRefused() {
        byte[] json = ("[\"" + "x".repeat(30000) + "\",\"" + "x".repeat(30000) + "\",\"" + "x".repeat(6000) + "\"]")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(json.length).isGreaterThan(65536);

        assertThatThrownBy(() -> SafeJson.read(json)).hasMessage("not JSON: longer than 65536 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void nothingIsNotADocument(String json) {
        assertThatThrownBy(() -> SafeJson.read(json)).hasMessage("not JSON: empty document");
    }

    @Test
    void nonStandardJsonIsRefused() {
        assertThatThrownBy(() -> SafeJson.read("{\"a\":NaN}"))
                .hasMessage("not JSON: NaN and Infinity are not JSON numbers");
        assertThatThrownBy(() -> SafeJson.read("{'a':1}"))
                .hasMessage("not JSON: unexpected character ''' at line 1, column 2");
        assertThatThrownBy(() -> SafeJson.read("{\"a\":1 /* why */}"))
                .hasMessageStartingWith("not JSON: unexpected character '/'");
        assertThatThrownBy(() -> SafeJson.read("{\"a\":tru}"))
                .hasMessage("not JSON: unrecognized token 'tru' at line 1, column 6");
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] json = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};

        assertThatThrownBy(() -> SafeJson.read(json)).hasMessageStartingWith("not JSON: invalid UTF-8");
    }

    @Test
    void messagesCarryNoJacksonNoise() {
        assertThatThrownBy(() -> SafeJson.read("[1,2"))
                .message()
                .doesNotContain("Source", "REDACTED", "jackson", "StreamReadConstraints", "\n");
        assertThatThrownBy(() -> SafeJson.read("{\"a\":\"\u0001\"}"))
                .hasMessage("not JSON: unescaped control character in a string at line 1, column 7");
    }

    @Test
    void objectIsANewEmptyObjectEachTime() {
        ObjectNode first = SafeJson.object();
        first.put("a", 1);

        assertThat(SafeJson.object().isEmpty()).isTrue();
    }
}
