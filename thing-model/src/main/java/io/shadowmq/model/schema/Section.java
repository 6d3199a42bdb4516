package io.shadowmq.model.schema;

import org.jetbrains.annotations.NotNull;

import java.util.Arrays;
import java.util.Optional;

/**
 * The shadow section a patch is for. The thing itself writes {@code reported}; {@code desired} is what others
 * (or the thing) ask for, and may only touch writable properties.
 *
 * <pre>{@code Section.fromJsonName("desired")  // Optional[DESIRED]}</pre>
 */
public enum Section {
    REPORTED("reported"),
    DESIRED("desired");

    private final String jsonName;

    Section(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The key of this section under {@code state} in shadow documents: {@code "reported"} or {@code "desired"}. */
    public @NotNull String jsonName() {
        return jsonName;
    }

    /** The section whose {@link #jsonName()} is {@code jsonName}; empty for anything else (e.g. {@code "delta"}). */
    public static @NotNull Optional<Section> fromJsonName(@NotNull String jsonName) {
        return Arrays.stream(values())
                .filter(section -> section.jsonName.equals(jsonName))
                .findFirst();
    }
}
