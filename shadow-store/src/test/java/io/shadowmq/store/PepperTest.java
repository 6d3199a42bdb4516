package io.shadowmq.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PepperTest {

    @Test
    void plainStringIsItsUtf8Bytes() throws Exception {
        Pepper pepper = Pepper.parse("a long passphrase");

        assertThat(pepper.bytes()).isEqualTo("a long passphrase".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void base64PrefixDecodesStandardAndUrlSafeBase64() throws Exception {
        byte[] random = new byte[32];
        for (int i = 0; i < random.length; i++) {
            random[i] = (byte) (i * 37 + 250); // includes bytes that encode to + / and - _
        }

        assertThat(Pepper.parse("base64:" + Base64.getEncoder().encodeToString(random))
                        .bytes())
                .isEqualTo(random);
        assertThat(Pepper.parse("base64:"
                                + Base64.getUrlEncoder().withoutPadding().encodeToString(random))
                        .bytes())
                .isEqualTo(random);
    }

    @Test
    void sixteenBytesIsEnoughFifteenIsNot() throws Exception {
        assertThat(Pepper.parse("0123456789abcdef").length()).isEqualTo(16);
        assertThatThrownBy(() -> Pepper.parse("0123456789abcde"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pepper must be at least 16 bytes, has 15");
    }

    @Test
    void lengthCountsDecodedBytesNotBase64Characters() {
        String fifteenBytes = Base64.getEncoder().encodeToString(new byte[15]); // 20 characters

        assertThatThrownBy(() -> Pepper.parse("base64:" + fifteenBytes))
                .hasMessage("pepper must be at least 16 bytes, has 15");
    }

    @Test
    void brokenBase64IsRefusedWithoutRepeatingTheValue() {
        assertThatThrownBy(() -> Pepper.parse("base64:not*base64*at*all!secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret")
                .hasMessageContaining("not base64");
    }

    @Test
    void toStringNeverShowsTheKey() throws Exception {
        Pepper pepper = Pepper.parse("my-very-secret-pepper");

        assertThat(pepper.toString()).isEqualTo("Pepper[21 bytes]").doesNotContain("secret");
    }

    @Test
    void bytesIsADefensiveCopy() throws Exception {
        Pepper pepper = Pepper.parse("0123456789abcdef");
        pepper.bytes()[0] = 'X';

        assertThat(pepper.bytes()[0]).isEqualTo((byte) '0');
    }

    @Test
    void equalKeysAreEqualPeppers() throws Exception {
        assertThat(Pepper.parse("0123456789abcdef"))
                .isEqualTo(Pepper.parse("base64:"
                        + Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.UTF_8))))
                .hasSameHashCodeAs(Pepper.parse("0123456789abcdef"));
    }
}
