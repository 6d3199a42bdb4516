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
 * Requester.apiKey("3f9a0c", "kitchen tablet").name() // "kitchen tablet"
 * }</pre>
 *
 * @param value the requester's kind and id, {@code kind:id} (or {@code admin}); never holds a second {@code :}, so a
 *              client token appended after it cannot make two requesters' keys meet
 * @param name  how people know the requester, recorded as {@code setBy} of the desired values it sets: the thing id,
 *              the API key's name, or {@code admin}
 */
public record Requester(@NotNull String value, @NotNull String name) {

    private static final Pattern VALUE = Pattern.compile("^(admin|thing:[A-Za-z0-9_.-]+|key:[A-Za-z0-9_.-]+)$");

    public Requester {
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("requester must be admin, thing:<id> or key:<id>, was " + value);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("requester " + value + " needs a name");
        }
    }

    /** A requester named by its id: the thing id, the key id, or {@code admin}. */
    public Requester(@NotNull String value) {
        this(value, value == null ? "" : value.substring(value.indexOf(':') + 1));
    }

    /** A thing writing over MQTT (its own shadow, or as a household member another thing's desired state). */
    public static @NotNull Requester thing(@NotNull ThingId thing) {
        return new Requester("thing:" + thing.value(), thing.value());
    }

    /** A REST caller with an API key, by the key's id (and named by it). */
    public static @NotNull Requester apiKey(@NotNull String keyId) {
        return new Requester("key:" + keyId);
    }

    /** A REST caller with an API key, by the key's id, named by the key's name. */
    public static @NotNull Requester apiKey(@NotNull String keyId, @NotNull String keyName) {
        return new Requester("key:" + keyId, keyName);
    }

    /** The REST admin token. */
    public static @NotNull Requester admin() {
        return new Requester("admin", "admin");
    }

    @Override
    public String toString() {
        return value;
    }
}
