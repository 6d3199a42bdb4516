package io.shadowmq.service.auth;

import org.jetbrains.annotations.NotNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a bearer token: what this process keeps instead of the token (admin check, lookup cache keys). */
final class TokenDigest {

    private TokenDigest() {}

    static byte @NotNull [] sha256(@NotNull String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
