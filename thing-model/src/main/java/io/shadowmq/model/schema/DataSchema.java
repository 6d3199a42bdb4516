package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.shadow.DesiredPolicy;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The schema of one thing model property (a subset of the W3C WoT data schema): a leaf of type boolean, integer,
 * number or string with its constraints, or an object whose nested {@link #properties()} are schemas again.
 *
 * <p>The compact constructor enforces what makes a schema usable, so a {@code DataSchema} that exists is valid:
 * {@code minimum <= maximum}, bounds and units only on numbers, enum values of the schema's own type, an object
 * has at least one property and a leaf has none. Its messages name the rule; {@link ThingModelParser} adds the
 * file and the path.
 *
 * <pre>{@code
 * DataSchema target = car.schemaAt("cabin.heater.targetTemperature").orElseThrow();
 * target.maximum();   // 28
 * target.unit();      // "celsius"
 * target.readOnly();  // false: others may put it into desired
 * }</pre>
 *
 * @param type        the value type
 * @param minimum     smallest allowed value, inclusive; integer and number only
 * @param maximum     largest allowed value, inclusive; integer and number only
 * @param enumValues  the only allowed values, scalars of {@code type}; empty means any value of the type
 * @param unit        the unit of a number, e.g. {@code "celsius"} (see docs/thing-models.md for the convention)
 * @param readOnly    true when only the thing itself reports the value; it then may not appear in {@code desired},
 *                    nor may anything nested under it
 * @param properties  an object's nested properties in model order; empty for leaves
 * @param title       a short human name
 * @param description a longer human explanation
 * @param desiredTtl  how long a desired value of this property (or of any leaf under this object) stays when its
 *                    update names no {@code ttlSeconds} ({@code "desiredTtlSeconds"}); {@code null}: no expiry, or
 *                    what an object above says
 * @param autoClear   false when a desired value of this property (or of any leaf under this object) stays in desired
 *                    after the thing reported the same value ({@code "autoClear": false}); true by default
 * @param household   what household members may do with this property and everything below it unless overridden
 *                    lower ({@code "shadowmq:household"}); {@code null}: what an object above says, else the default
 *                    (see {@link HouseholdRights})
 */
public record DataSchema(
        @NotNull SchemaType type,
        @Nullable BigDecimal minimum,
        @Nullable BigDecimal maximum,
        @NotNull List<JsonNode> enumValues,
        @Nullable String unit,
        boolean readOnly,
        @NotNull Map<String, DataSchema> properties,
        @Nullable String title,
        @Nullable String description,
        @Nullable Duration desiredTtl,
        boolean autoClear,
        @Nullable HouseholdRight household) {

    /**
     * Property names are camelCase identifiers. No dots, so a dotted path ({@code doors.frontLeft.isOpen}) is never
     * ambiguous; no {@code $}, spaces or control characters, so a name is safe in every message and store key.
     */
    public static final Pattern PROPERTY_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,63}$");

    public DataSchema {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(enumValues, "enumValues");
        Objects.requireNonNull(properties, "properties");
        if (!type.isNumeric() && (minimum != null || maximum != null)) {
            throw new IllegalArgumentException(
                    "minimum and maximum only apply to integer and number, not " + type.jsonName());
        }
        if (minimum != null && maximum != null && minimum.compareTo(maximum) > 0) {
            throw new IllegalArgumentException(
                    "minimum " + JsonValues.plain(minimum) + " > maximum " + JsonValues.plain(maximum));
        }
        if (unit != null && unit.isBlank()) {
            throw new IllegalArgumentException("unit must not be blank; leave it out instead");
        }
        if (type == SchemaType.OBJECT) {
            if (properties.isEmpty()) {
                throw new IllegalArgumentException("an object needs at least one property");
            }
            if (!enumValues.isEmpty()) {
                throw new IllegalArgumentException("enum does not apply to object");
            }
            if (unit != null) {
                throw new IllegalArgumentException("unit does not apply to object; put it on the leaves");
            }
        } else if (!properties.isEmpty()) {
            throw new IllegalArgumentException("properties only apply to object, not " + type.jsonName());
        }
        if (desiredTtl != null) {
            String problem = DesiredPolicy.ttlProblem(desiredTtl.getSeconds());
            if (problem != null || desiredTtl.getNano() != 0) {
                throw new IllegalArgumentException(
                        "desiredTtlSeconds " + (problem == null ? "must be whole seconds" : problem));
            }
        }
        if (readOnly && (desiredTtl != null || !autoClear)) {
            throw new IllegalArgumentException("desiredTtlSeconds and autoClear do not apply to a readOnly property: "
                    + "it never has a desired value");
        }
        if (readOnly && household == HouseholdRight.WRITE) {
            throw new IllegalArgumentException(
                    "shadowmq:household \"write\" does not apply to a readOnly property: nobody may write it");
        }
        enumValues = checkedEnum(type, enumValues);
        properties = checkedProperties(properties);
    }

    /** A schema without a household term: the default rights ({@link HouseholdRights}). */
    public DataSchema(
            @NotNull SchemaType type,
            @Nullable BigDecimal minimum,
            @Nullable BigDecimal maximum,
            @NotNull List<JsonNode> enumValues,
            @Nullable String unit,
            boolean readOnly,
            @NotNull Map<String, DataSchema> properties,
            @Nullable String title,
            @Nullable String description,
            @Nullable Duration desiredTtl,
            boolean autoClear) {
        this(
                type,
                minimum,
                maximum,
                enumValues,
                unit,
                readOnly,
                properties,
                title,
                description,
                desiredTtl,
                autoClear,
                null);
    }

    /** A schema without desired-lifecycle terms: no default time-to-live, auto-clear on. */
    public DataSchema(
            @NotNull SchemaType type,
            @Nullable BigDecimal minimum,
            @Nullable BigDecimal maximum,
            @NotNull List<JsonNode> enumValues,
            @Nullable String unit,
            boolean readOnly,
            @NotNull Map<String, DataSchema> properties,
            @Nullable String title,
            @Nullable String description) {
        this(type, minimum, maximum, enumValues, unit, readOnly, properties, title, description, null, true);
    }

    /** True for boolean, integer, number and string schemas: the ones that hold a value. */
    public boolean isLeaf() {
        return type != SchemaType.OBJECT;
    }

    /** The nested property {@code name} of an object schema; empty for leaves and unknown names. */
    public @NotNull Optional<DataSchema> property(@NotNull String name) {
        return Optional.ofNullable(properties.get(name));
    }

    private static List<JsonNode> checkedEnum(SchemaType type, List<JsonNode> enumValues) {
        List<JsonNode> seen = new ArrayList<>();
        for (JsonNode value : enumValues) {
            Objects.requireNonNull(value, "enum value");
            if (!type.accepts(value)) {
                throw new IllegalArgumentException(
                        "enum value " + JsonValues.quoted(value) + " is not " + type.jsonName());
            }
            if (seen.stream().anyMatch(earlier -> JsonValues.sameValue(earlier, value))) {
                throw new IllegalArgumentException("enum value " + JsonValues.quoted(value) + " is listed twice");
            }
            seen.add(value);
        }
        // Every accepted value is a scalar node (text, number, boolean), and those are immutable in Jackson.
        return List.copyOf(seen);
    }

    private static Map<String, DataSchema> checkedProperties(Map<String, DataSchema> properties) {
        Map<String, DataSchema> copy = new LinkedHashMap<>();
        properties.forEach((name, schema) -> {
            if (name == null || !PROPERTY_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "property name '" + ThingId.printable(name) + "' must match " + PROPERTY_NAME.pattern());
            }
            copy.put(name, Objects.requireNonNull(schema, "schema of " + name));
        });
        // Map.copyOf would lose the model's order, which docs and REST clients show to people.
        return Collections.unmodifiableMap(copy);
    }
}
