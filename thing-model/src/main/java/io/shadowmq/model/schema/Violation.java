package io.shadowmq.model.schema;

import org.jetbrains.annotations.NotNull;

import java.util.Objects;

/**
 * One way a patch breaks its thing model: the dotted property path and the rule, worded for the person who sent
 * the patch.
 *
 * <pre>{@code
 * new Violation("cabin.heater.targetTemperature", "35 > maximum 28").message()
 *     // "cabin.heater.targetTemperature: 35 > maximum 28"
 * }</pre>
 *
 * @param path the dotted path of the property in the patch, e.g. {@code doors.frontLeft.isOpen}
 * @param rule what is wrong, e.g. {@code unknown property} or {@code expected integer, got string}
 */
public record Violation(@NotNull String path, @NotNull String rule) {

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        if (path.isEmpty() || rule.isBlank()) {
            throw new IllegalArgumentException("a violation needs a path and a rule");
        }
    }

    /** {@code path + ": " + rule}, the form used in rejection messages. */
    public @NotNull String message() {
        return path + ": " + rule;
    }

    @Override
    public String toString() {
        return message();
    }
}
