package io.shadowmq.store;

import org.jetbrains.annotations.NotNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The server-side key of the HMAC-SHA-256 that hashes thing secrets (docs/protocol.md). Without it a stolen Redis dump
 * does not let anyone check guessed secrets offline, so it never appears in a log line or an exception message.
 * <p>
 * Written as a plain string (its UTF-8 bytes are the key) or as {@code base64:} followed by standard or URL-safe
 * base64; either way at least {@value #MIN_BYTES} bytes:
 * <pre>{@code
 * Pepper.parse("base64:q83vEjRWeJq83vEjRWeJqw==");   // 16 random bytes
 * Pepper.parse("a long passphrase, not a word");    // its UTF-8 bytes
 * }</pre>
 * The broker extension and the REST service both read it with this one rule, so the same text is the same key.
 */
public final class Pepper {

    /** 128 bits: below that the pepper adds little against an offline guess. */
    public static final int MIN_BYTES = 16;

    public static final String BASE64_PREFIX = "base64:";

    private final byte[] key;

    private Pepper(byte[] key) {
        this.key = key;
    }

    /**
     * @throws IllegalArgumentException when the value is too short or not valid base64; the message never repeats it
     */
    public static @NotNull Pepper parse(@NotNull String value) {
        byte[] key;
        if (value.startsWith(BASE64_PREFIX)) {
            key = decodeBase64(value.substring(BASE64_PREFIX.length()).strip());
        } else {
            key = value.getBytes(StandardCharsets.UTF_8);
        }
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("pepper must be at least " + MIN_BYTES + " bytes, has " + key.length);
        }
        return new Pepper(key);
    }

    private static byte[] decodeBase64(String encoded) {
        try {
            return encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(encoded)
                    : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the offending character; keep even that out of logs.
            throw new IllegalArgumentException("pepper starts with '" + BASE64_PREFIX + "' but the rest is not base64");
        }
    }

    /** A copy of the key bytes, for building a {@code javax.crypto.Mac}. */
    public byte @NotNull [] bytes() {
        return key.clone();
    }

    public int length() {
        return key.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pepper pepper && Arrays.equals(key, pepper.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    /** Never the key: this ends up in log lines that print the whole configuration. */
    @Override
    public String toString() {
        return "Pepper[" + key.length + " bytes]";
    }
}
