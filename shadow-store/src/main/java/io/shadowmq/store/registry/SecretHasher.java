package io.shadowmq.store.registry;

import io.shadowmq.store.Pepper;
import org.jetbrains.annotations.NotNull;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes and checks platform secrets. A secret is 256 random bits, base64url; only its HMAC-SHA-256 under a
 * server-side pepper is stored, bound to the subject it belongs to, so a leaked database alone neither reveals a
 * secret nor lets one thing's hash be copied onto another. Comparison is constant-time.
 *
 * <pre>{@code
 * String secret = hasher.newSecret();
 * String stored = hasher.hash("thing", "car-1", secret);
 * boolean ok = hasher.matches("thing", "car-1", secret, stored);
 * }</pre>
 */
public final class SecretHasher {

    public static final int SECRET_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    // Mac is not thread-safe; one per thread avoids both contention and re-initialisation per call.
    private final ThreadLocal<Mac> macs;

    public SecretHasher(@NotNull Pepper pepper) {
        this.key = new SecretKeySpec(pepper.bytes(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public @NotNull String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Random id of {@code bytes} bytes, hex. */
    public @NotNull String newId(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    public @NotNull String hash(@NotNull String purpose, @NotNull String subject, @NotNull String secret) {
        Mac mac = macs.get();
        mac.reset();
        mac.update((purpose + '\n' + subject + '\n').getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
    }

    public boolean matches(
            @NotNull String purpose, @NotNull String subject, @NotNull String secret, @NotNull String storedHash) {
        byte[] expected = storedHash.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = hash(purpose, subject, secret).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
