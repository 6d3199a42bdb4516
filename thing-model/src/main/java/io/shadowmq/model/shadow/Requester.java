package io.shadowmq.model.shadow;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.regex.Pattern;

/**
 * Who sent a request, as far as its {@code clientToken} is concerned: a thing over MQTT, an API key or the admin over
 * REST. A client token belongs to its requester — two requesters that happen to pick the same token never see each
 * other's results.
 *
 * <pre>{@code
 * Requester.thing(ThingId.of("speaker-1")).value()  // "thing:speaker-1"
 * Requester.apiKey("3f9a0c").value()                // "key:3f9a0c"
 * }</pre>
 *
 * @param value the requester's kind and id, {@code kind:id} (or {@code admin}); never holds a second {@code :}, so a
 *              client token appended after it cannot make two requesters' keys meet
 */
public record Requester(@NotNull String value) {

    private static final Pattern VALUE = Pattern.compile("^(admin|thing:[A-Za-z0-9_.-]+|key:[A-Za-z0-9_.-]+)$");

    public Requester {
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("requester must be admin, thing:<id> or key:<id>, was " + value);
        }
    }

    /** A thing writing over MQTT (its own shadow, or as a household member another thing's desired state). */
    public static @NotNull Requester thing(@NotNull ThingId thing) {
        return new Requester("thing:" + thing.value());
    }

    /** A REST caller with an API key, by the key's id. */
    public static @NotNull Requester apiKey(@NotNull String keyId) {
        return new Requester("key:" + keyId);
    }

    /** The REST admin token. */
    public static @NotNull Requester admin() {
        return new Requester("admin");
    }

    @Override
    public String toString() {
        return value;
    }
}
