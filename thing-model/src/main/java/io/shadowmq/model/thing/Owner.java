package io.shadowmq.model.thing;

import org.jetbrains.annotations.NotNull;

/**
 * A household (account). Things with the same owner may read each other's shadows and write each other's desired
 * state. Same identifier rule as {@link ThingId}.
 */
public record Owner(@NotNull String value) {

    public Owner {
        if (!ThingId.isValid(value)) {
            throw new IllegalArgumentException(
                    "invalid owner '" + ThingId.printable(value) + "': must match " + ThingId.PATTERN.pattern());
        }
    }

    public static @NotNull Owner of(@NotNull String value) {
        return new Owner(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
