package io.shadowmq.extension.auth;

import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * The form of a device CONNECT (docs/protocol.md): client identifier = user name = a valid thing id, and a
 * password (the thing's secret). Checked before any secret is hashed, so that malformed attempts cost nothing and
 * get a precise reason code.
 * <pre>{@code
 * ConnectCredentials.Form form = ConnectCredentials.check("car-1", Optional.of("car-1"), password);
 * if (form instanceof ConnectCredentials.Malformed malformed) {
 *     output.failAuthentication(malformed.code(), malformed.reason());
 * }
 * }</pre>
 * Reason codes: a client identifier that is no thing id gets {@code CLIENT_IDENTIFIER_NOT_VALID} (0x85; MQTT 3.1.1
 * return code 2, identifier rejected), as MQTT 5 §3.1.3.1 prescribes; a missing or different user name and a missing
 * password get {@code BAD_USER_NAME_OR_PASSWORD} (0x86; 3.1.1: 4).
 */
public final class ConnectCredentials {

    /**
     * Secrets are at least 256 bits in base64url (43 characters); 1 KiB leaves room for other formats while
     * bounding the work an attacker can make the hash do.
     */
    public static final int MAX_SECRET_BYTES = 1024;

    private ConnectCredentials() {}

    /** The outcome of {@link #check}. */
    public sealed interface Form {}

    /** Well-formed: verify {@code secret} for {@code thing}. */
    public record WellFormed(@NotNull ThingId thing, byte @NotNull [] secret) implements Form {

        public WellFormed {
            Objects.requireNonNull(thing, "thing");
            Objects.requireNonNull(secret, "secret");
        }

        /** Equal by the secret's bytes (compared in constant time), not by which array holds them. */
        @Override
        public boolean equals(Object other) {
            return other instanceof WellFormed that
                    && thing.equals(that.thing)
                    && MessageDigest.isEqual(secret, that.secret);
        }

        /** From the thing id alone: a hash of the secret is not to be handed around either. */
        @Override
        public int hashCode() {
            return thing.hashCode();
        }

        /** Never the secret. */
        @Override
        public String toString() {
            return "WellFormed[thing=" + thing + ", secret=" + secret.length + " bytes]";
        }
    }

    /** Refuse the CONNECT with {@code code}; {@code reason} is sent to MQTT 5 clients and never echoes input. */
    public record Malformed(
            @NotNull ConnackReasonCode code, @NotNull String reason) implements Form {

        public Malformed {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public static @NotNull Form check(
            @NotNull String clientId, @NotNull Optional<String> userName, @NotNull Optional<ByteBuffer> password) {
        if (!ThingId.isValid(clientId)) {
            return new Malformed(
                    ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client identifier must be the thing id: " + ThingId.PATTERN.pattern());
        }
        if (userName.isEmpty() || !userName.get().equals(clientId)) {
            return new Malformed(
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "user name must equal the client identifier (the thing id)");
        }
        if (password.isEmpty() || !password.get().hasRemaining()) {
            return new Malformed(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "password must be the thing's secret");
        }
        if (password.get().remaining() > MAX_SECRET_BYTES) {
            return new Malformed(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "password is too long");
        }
        // The SDK's buffer is read-only and may be shared: copy through a duplicate, leave its position alone.
        byte[] secret = new byte[password.get().remaining()];
        password.get().duplicate().get(secret);
        return new WellFormed(ThingId.of(clientId), secret);
    }
}
