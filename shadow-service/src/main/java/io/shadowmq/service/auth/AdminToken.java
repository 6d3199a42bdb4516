package io.shadowmq.service.auth;

import org.jetbrains.annotations.NotNull;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin bearer token, kept only as its SHA-256 digest and compared in constant time. The token itself is either
 * given (env {@code SHADOWMQ_ADMIN_TOKEN}) or generated at start and shown once.
 *
 * <pre>{@code
 * AdminToken admin = AdminToken.of(System.getenv("SHADOWMQ_ADMIN_TOKEN"));
 * admin.matches(presentedToken);
 * }</pre>
 */
public final class AdminToken {

    /** 256 bits, as for thing secrets. */
    static final int GENERATED_BYTES = 32;

    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    public static @NotNull AdminToken of(@NotNull String token) {
        return new AdminToken(TokenDigest.sha256(token));
    }

    /** A fresh random token (base64url, 43 characters); the caller shows it once and keeps only the AdminToken. */
    public static @NotNull String generate() {
        byte[] raw = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /**
     * Constant time in the token's content: both sides are digests of equal length, so MessageDigest.isEqual never
     * returns early on the first differing byte of the secret.
     */
    public boolean matches(@NotNull String presented) {
        return MessageDigest.isEqual(digest, TokenDigest.sha256(presented));
    }

    @Override
    public String toString() {
        return "AdminToken[***]";
    }
}
