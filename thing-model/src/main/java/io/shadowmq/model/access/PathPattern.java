package io.shadowmq.model.access;

import io.shadowmq.model.shadow.Outcome;
import org.jetbrains.annotations.NotNull;

/**
 * A dotted property path in a grant: {@code range} (that property and everything below it), {@code doors.**} (the
 * same, said explicitly), {@code doors.*.isOpen} ({@code *} is exactly one level). Checked against a model by
 * {@link GrantRequest#checkAgainst}.
 *
 * <pre>{@code
 * PathPattern.parse("doors.*.isOpen").matches("doors.rearLeft.isOpen");   // true
 * PathPattern.parse("cabin.heater").matches("cabin.heater.isOn");          // true
 * }</pre>
 */
public record PathPattern(@NotNull String text) {

    /** 422 naming the pattern when it is not dotted names, {@code *} and a last {@code **}. */
    public static @NotNull Outcome<PathPattern> parse(@NotNull String text) {
        throw new UnsupportedOperationException("to be built");
    }

    /** Whether the leaf (or object) at {@code dottedPath} is covered. */
    public boolean matches(@NotNull String dottedPath) {
        throw new UnsupportedOperationException("to be built");
    }
}
