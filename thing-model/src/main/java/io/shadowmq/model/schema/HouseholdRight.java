package io.shadowmq.model.schema;

import org.jetbrains.annotations.NotNull;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a household member (another thing of the same owner) may do with a property by default, the value of the
 * {@code shadowmq:household} term ({@link ThingModelParser#HOUSEHOLD}): nothing, read it, or read it and set or
 * withdraw it in {@code desired}. The owner, the thing itself and owner-level REST callers may always do everything;
 * grants widen a member's rights (docs/thing-models.md, "Household rights").
 *
 * <pre>{@code
 * "location": {"type": "object", "shadowmq:household": "none", "properties": {...}}
 * }</pre>
 */
public enum HouseholdRight {
    /** Owner only. */
    NONE("none"),
    /** Household members read it. */
    READ("read"),
    /** Household members read it and may put it into {@code desired}; only for writable properties. */
    WRITE("write");

    private final String jsonName;

    HouseholdRight(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The term's value as written in a model: {@code none}, {@code read}, {@code write}. */
    public @NotNull String jsonName() {
        return jsonName;
    }

    /** Whether this right includes reading. */
    public boolean reads() {
        return this != NONE;
    }

    public static @NotNull Optional<HouseholdRight> fromJsonName(@NotNull String name) {
        return Arrays.stream(values())
                .filter(right -> right.jsonName.equals(name))
                .findFirst();
    }
}
