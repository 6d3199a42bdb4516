package io.shadowmq.model.schema;

import org.jetbrains.annotations.NotNull;

/**
 * The two writable sections of a shadow's state. The thing model validator checks a patch per section, because
 * {@code readOnly} properties may be reported but never desired.
 *
 * <pre>{@code String key = Section.DESIRED.jsonName(); // "desired"}</pre>
 */
public enum Section {
    REPORTED("reported"),
    DESIRED("desired");

    private final String jsonName;

    Section(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The section's key inside {@code state} and {@code metadata}. */
    public @NotNull String jsonName() {
        return jsonName;
    }
}
