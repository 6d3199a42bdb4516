package io.shadowmq.store.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;

/**
 * A schedule's {@code when}: the occurrence fires only if the target's reported value at {@code path} is below,
 * above or equal to {@code value} (numbers compared by value).
 *
 * <pre>{@code {"path":"exteriorTemperature","below":5}}</pre>
 */
public record ScheduleCondition(
        @NotNull String path,
        @NotNull String operator,
        @NotNull JsonNode value) {

    static final String BELOW = "below";
    static final String ABOVE = "above";
    static final String EQUALS = "equals";

    /** The condition {@code when} describes, checked against {@code model}; 422 naming the field otherwise. */
    static @NotNull Outcome<ScheduleCondition> parse(@NotNull JsonNode when, @NotNull ThingModel model) {
        if (!when.isObject()) {
            return invalid("when: must be an object {\"path\":...,\"below\"|\"above\"|\"equals\":...}");
        }
        for (var member : when.properties()) {
            String name = member.getKey();
            if (!name.equals("path") && !name.equals(BELOW) && !name.equals(ABOVE) && !name.equals(EQUALS)) {
                return invalid("when." + name + ": unknown member; use path with one of below, above, equals");
            }
        }
        JsonNode path = when.path("path");
        if (!path.isTextual()) {
            return invalid("when.path: required, a dotted property path");
        }
        Optional<DataSchema> schema = model.schemaAt(path.asText());
        if (schema.isEmpty() || !schema.get().isLeaf()) {
            return invalid("when.path: the " + model.type() + " model has no property " + path.asText());
        }
        int given = (when.has(BELOW) ? 1 : 0) + (when.has(ABOVE) ? 1 : 0) + (when.has(EQUALS) ? 1 : 0);
        if (given != 1) {
            return invalid("when: give exactly one of below, above, equals");
        }
        String operator = when.has(BELOW) ? BELOW : when.has(ABOVE) ? ABOVE : EQUALS;
        JsonNode value = when.get(operator);
        if (!operator.equals(EQUALS) && !value.isNumber()) {
            return invalid("when." + operator + ": must be a number");
        }
        return Outcome.ok(new ScheduleCondition(path.asText(), operator, value.deepCopy()));
    }

    private static <T> Outcome<T> invalid(String message) {
        return Outcome.rejected(Rejection.modelViolation(message));
    }

    /** The reported value at {@code path}; missing when not reported. */
    @NotNull
    JsonNode valueIn(@NotNull JsonNode reported) {
        JsonNode node = reported;
        for (String name : path.split("\\.", -1)) {
            node = node.path(name);
        }
        return node;
    }

    /** Whether {@code seen} (the reported value) meets the condition; a missing value never does. */
    boolean holdsFor(@NotNull JsonNode seen) {
        if (seen.isMissingNode() || seen.isNull()) {
            return false;
        }
        return switch (operator) {
            case BELOW -> seen.isNumber() && seen.decimalValue().compareTo(value.decimalValue()) < 0;
            case ABOVE -> seen.isNumber() && seen.decimalValue().compareTo(value.decimalValue()) > 0;
            default ->
                seen.isNumber() && value.isNumber()
                        ? seen.decimalValue().compareTo(value.decimalValue()) == 0
                        : seen.equals(value);
        };
    }

    /** Why an occurrence was skipped when {@code seen} did not meet the condition. */
    @NotNull
    String whyNot(@NotNull JsonNode seen) {
        if (seen.isMissingNode() || seen.isNull()) {
            return path + " is not reported";
        }
        return path + " is " + seen + ", not " + operator + " " + value;
    }

    @NotNull
    ObjectNode toJson() {
        ObjectNode json = SafeJson.object();
        json.put("path", path);
        json.set(operator, value);
        return json;
    }
}
