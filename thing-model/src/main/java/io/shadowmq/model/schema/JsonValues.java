package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * How this package reads JSON numbers (exactly, as decimals) and prints JSON values in messages: numbers plainly
 * ({@code 35}, {@code 21.5}, never {@code 35.0} or {@code 3.5E+1}), strings cut and with control characters escaped
 * so that a hostile value cannot bloat or break a rejection message or a log line.
 */
final class JsonValues {

    /**
     * Beyond this many digits a number is printed in scientific notation: {@code 1e300} as a plain string would be
     * a 301-character message, and {@code 1e1000000000} would not fit in memory.
     */
    private static final int MAX_PLAIN_DIGITS = 24;

    private JsonValues() {}

    /** The exact value of a JSON number; empty for non-numbers and for NaN/Infinity (which a lenient reader may produce). */
    static @NotNull Optional<BigDecimal> decimal(@NotNull JsonNode value) {
        if (!value.isNumber()) {
            return Optional.empty();
        }
        if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
            return Optional.empty();
        }
        return Optional.of(value.decimalValue());
    }

    /** True for whole numbers, whatever their notation: 21, 21.0 and 2.1E+1 are integral, 21.5 is not. */
    static boolean isIntegral(@NotNull BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /** A number as a person writes it: {@code 35}, {@code -5}, {@code 21.5}. */
    static @NotNull String plain(@NotNull BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        int integerDigits = Math.max(stripped.precision() - stripped.scale(), 1);
        int fractionDigits = Math.max(stripped.scale(), 0);
        if (integerDigits + fractionDigits > MAX_PLAIN_DIGITS) {
            return stripped.toString();
        }
        return stripped.toPlainString();
    }

    /** A value as it appears in a list of allowed values: {@code cotton}, {@code 35}, {@code true}. */
    static @NotNull String plain(@NotNull JsonNode value) {
        if (value.isTextual()) {
            return ThingId.printable(value.textValue());
        }
        return decimal(value).map(JsonValues::plain).orElseGet(value::toString);
    }

    /** A value someone sent, quoted if it is a string so that {@code 'boil'} and {@code ''} stand out. */
    static @NotNull String quoted(@NotNull JsonNode value) {
        return value.isTextual() ? "'" + plain(value) + "'" : plain(value);
    }

    /** The JSON type name of a value for "expected X, got Y": string, number, boolean, object, array or null. */
    static @NotNull String typeName(@NotNull JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING, BINARY -> "string";
            case NUMBER -> decimal(value).isPresent() ? "number" : value.asText();
            case BOOLEAN -> "boolean";
            case OBJECT, POJO -> "object";
            case ARRAY -> "array";
            case NULL -> "null";
            case MISSING -> "nothing";
        };
    }

    /** JSON value equality for enums: numbers compare by value (1 equals 1.0), everything else by Jackson equality. */
    static boolean sameValue(@NotNull JsonNode a, @NotNull JsonNode b) {
        Optional<BigDecimal> left = decimal(a);
        Optional<BigDecimal> right = decimal(b);
        if (left.isPresent() && right.isPresent()) {
            return left.get().compareTo(right.get()) == 0;
        }
        return a.equals(b);
    }
}
