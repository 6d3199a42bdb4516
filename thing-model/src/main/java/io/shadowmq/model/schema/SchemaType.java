package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The value types a thing model property may have: the WoT data schema types without {@code array} and
 * {@code null}, which no shadow property needs ({@code null} in a patch means "delete", never a value).
 *
 * <pre>{@code SchemaType.fromJsonName("integer")  // Optional[INTEGER]}</pre>
 */
public enum SchemaType {
    BOOLEAN("boolean"),
    INTEGER("integer"),
    NUMBER("number"),
    STRING("string"),
    OBJECT("object");

    /** The accepted names, for messages: {@code boolean, integer, number, string, object}. */
    static final String ALL_JSON_NAMES =
            Arrays.stream(values()).map(SchemaType::jsonName).collect(Collectors.joining(", "));

    private final String jsonName;

    SchemaType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in model files and in messages, e.g. {@code "integer"}. */
    public @NotNull String jsonName() {
        return jsonName;
    }

    /** True for {@link #INTEGER} and {@link #NUMBER}, the types {@code minimum}, {@code maximum} and a unit apply to. */
    public boolean isNumeric() {
        return this == INTEGER || this == NUMBER;
    }

    /** The type named {@code jsonName} in a model file, if there is one (case-sensitive, as in WoT). */
    public static @NotNull Optional<SchemaType> fromJsonName(@NotNull String jsonName) {
        return Arrays.stream(values())
                .filter(type -> type.jsonName.equals(jsonName))
                .findFirst();
    }

    /** True when {@code value} has this type, ignoring every other constraint (21.0 is an integer, 21.5 is not). */
    boolean accepts(@NotNull JsonNode value) {
        return switch (this) {
            case BOOLEAN -> value.isBoolean();
            case STRING -> value.isTextual();
            case OBJECT -> value.isObject();
            case NUMBER -> JsonValues.decimal(value).isPresent();
            case INTEGER ->
                JsonValues.decimal(value).filter(JsonValues::isIntegral).isPresent();
        };
    }
}
