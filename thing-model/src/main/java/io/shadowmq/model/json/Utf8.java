package io.shadowmq.model.json;

/**
 * Strict UTF-8 (RFC 3629), checked before Jackson sees the bytes: Jackson decodes the overlong form {@code C0 80} as
 * NUL and would let a hidden control character or a second spelling of a key through. Refused: overlong forms,
 * surrogates ({@code ED A0 80}..{@code ED BF BF}), code points above U+10FFFF, stray continuation bytes and
 * truncated sequences.
 *
 * <pre>{@code
 * Utf8.firstInvalidByte(new byte[] {'a', (byte) 0xC0, (byte) 0x80}) // 1
 * }</pre>
 */
final class Utf8 {

    private Utf8() {}

    /** The offset of the first byte that starts no valid UTF-8 sequence, or -1 when all of {@code bytes} is valid. */
    static int firstInvalidByte(byte[] bytes) {
        int i = 0;
        int length = bytes.length;
        while (i < length) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int size;
            int min;
            int max = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                size = 2;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                size = 3;
                // E0 needs A0.. (no overlong); ED needs ..9F (no surrogates).
                min = lead == 0xE0 ? 0xA0 : 0x80;
                max = lead == 0xED ? 0x9F : 0xBF;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                size = 4;
                // F0 needs 90.. (no overlong); F4 needs ..8F (nothing above U+10FFFF).
                min = lead == 0xF0 ? 0x90 : 0x80;
                max = lead == 0xF4 ? 0x8F : 0xBF;
            } else {
                // C0, C1 (always overlong), F5..FF, or a continuation byte without a lead.
                return i;
            }
            if (i + size > length) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < size; k++) {
                int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += size;
        }
        return -1;
    }
}
