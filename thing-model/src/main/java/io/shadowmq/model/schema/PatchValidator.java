package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.thing.ThingId;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Walks a merge patch alongside a model's properties and collects every violation, in document order. It only
 * descends into properties the model knows, so the walk is bounded by the model's depth, not the patch's.
 */
final class PatchValidator {

    static final String UNKNOWN_PROPERTY = "unknown property";
    static final String READ_ONLY = "readOnly, only the thing itself reports it";

    private PatchValidator() {}

    static List<Violation> validate(Map<String, DataSchema> properties, Section section, ObjectNode patch) {
        List<Violation> violations = new ArrayList<>();
        validateObject("", properties, section, patch, true, violations);
        return List.copyOf(violations);
    }

    /**
     * The violations of a whole value (an action's input or output, named {@code prefix}): as a reported patch, but
     * {@code null} is a value here, not a deletion, and so breaks the type it stands for.
     */
    static List<Violation> validateValue(String prefix, Map<String, DataSchema> properties, ObjectNode value) {
        List<Violation> violations = new ArrayList<>();
        validateObject(prefix, properties, Section.REPORTED, value, false, violations);
        return List.copyOf(violations);
    }

    private static void validateObject(
            String prefix,
            Map<String, DataSchema> properties,
            Section section,
            ObjectNode patch,
            boolean nullDeletes,
            List<Violation> violations) {
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            // The name may come from a stranger: escaped and cut before it goes into a message. The request parsers
            // refuse keys that are not property names; one built in code still gets a message, not an exception.
            String name = entry.getKey().isEmpty() ? "''" : ThingId.printable(entry.getKey());
            String path = (prefix.isEmpty() ? "" : prefix + ".") + name;
            JsonNode value = entry.getValue();
            if (value.isNull() && nullDeletes) {
                // Merge-patch deletion. Allowed for every key, also unknown ones, so stale keys (from an older
                // model, or stored before a model changed) can always be cleaned up.
                continue;
            }
            DataSchema schema = properties.get(entry.getKey());
            if (schema == null) {
                violations.add(new Violation(path, UNKNOWN_PROPERTY));
                continue;
            }
            if (section == Section.DESIRED && schema.readOnly()) {
                // Stops here: everything under a read-only object is read-only too, one message says so.
                violations.add(new Violation(path, READ_ONLY));
                continue;
            }
            if (schema.type() == SchemaType.OBJECT) {
                if (value.isObject()) {
                    validateObject(path, schema.properties(), section, (ObjectNode) value, nullDeletes, violations);
                } else {
                    violations.add(new Violation(path, "expected object, got " + JsonValues.typeName(value)));
                }
            } else {
                leafRule(schema, value).ifPresent(rule -> violations.add(new Violation(path, rule)));
            }
        }
    }

    /** The first rule a leaf value breaks, or empty. One rule per leaf: the rest would only repeat the point. */
    private static Optional<String> leafRule(DataSchema schema, JsonNode value) {
        SchemaType type = schema.type();
        if (!type.accepts(value)) {
            // "got 21.5" says more than "got number" when an integer was expected.
            boolean fractional =
                    type == SchemaType.INTEGER && JsonValues.decimal(value).isPresent();
            return Optional.of("expected " + type.jsonName() + ", got "
                    + (fractional ? JsonValues.plain(value) : JsonValues.typeName(value)));
        }
        if (type == SchemaType.STRING) {
            String text = value.textValue();
            int length = text.codePointCount(0, text.length());
            if (length > ThingModel.MAX_STRING_CODE_POINTS) {
                return Optional.of("string of " + length + " characters is longer than the maximum "
                        + ThingModel.MAX_STRING_CODE_POINTS);
            }
        }
        if (!schema.enumValues().isEmpty()
                && schema.enumValues().stream().noneMatch(allowed -> JsonValues.sameValue(allowed, value))) {
            return Optional.of(JsonValues.quoted(value) + " is not one of "
                    + schema.enumValues().stream().map(JsonValues::plain).collect(Collectors.joining(", ", "[", "]")));
        }
        if (type.isNumeric()) {
            BigDecimal number = value.decimalValue();
            if (schema.maximum() != null && number.compareTo(schema.maximum()) > 0) {
                return Optional.of(JsonValues.plain(number) + " > maximum " + JsonValues.plain(schema.maximum()));
            }
            if (schema.minimum() != null && number.compareTo(schema.minimum()) < 0) {
                return Optional.of(JsonValues.plain(number) + " < minimum " + JsonValues.plain(schema.minimum()));
            }
        }
        return Optional.empty();
    }
}
