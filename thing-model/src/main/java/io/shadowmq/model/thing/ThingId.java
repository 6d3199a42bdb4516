package io.shadowmq.model.thing;

import org.jetbrains.annotations.NotNull;

import java.util.regex.Pattern;

/**
 * The id of a thing, and of an owner (household): the one place the identifier rule of docs/protocol.md lives.
 * No {@code / + # $}, whitespace or control character can ever reach a topic or a Redis key through it.
 *
 * <pre>{@code ThingId car = ThingId.of("car-1");}</pre>
 */
public record ThingId(@NotNull String value) {

    /** {@code ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$}, shared by thing ids and owners. */
    public static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

    public ThingId {
        if (!isValid(value)) {
            throw new IllegalArgumentException(
                    "invalid id '" + printable(value) + "': must match " + PATTERN.pattern());
        }
    }

    public static @NotNull ThingId of(@NotNull String value) {
        return new ThingId(value);
    }

    /** True when {@code value} is a valid thing id or owner. */
    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    /** The value cut to 80 characters with control characters escaped, safe to put into an error message or log. */
    public static @NotNull String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 80; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > 80 ? out + "..." : out.toString();
    }

    @Override
    public String toString() {
        return value;
    }
}
