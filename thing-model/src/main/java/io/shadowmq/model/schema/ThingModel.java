package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.DesiredPolicy;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The model of one thing type ({@code car}, {@code speaker}, ...): which properties its shadow may hold, their
 * types, ranges and units, and which of them others may write. Loaded from {@code config/models/<type>.json} by
 * {@link ThingModelParser}; answers whether a {@code reported} or {@code desired} patch keeps to it.
 *
 * <pre>{@code
 * ThingModel car = ThingModels.bundled().get("car").orElseThrow();
 * ObjectNode patch = (ObjectNode) mapper.readTree("{\"cabin\":{\"heater\":{\"targetTemperature\":35}}}");
 * car.check(Section.DESIRED, patch);
 *     // Optional[Rejection[code=422, message=cabin.heater.targetTemperature: 35 > maximum 28]]
 * }</pre>
 *
 * @param type        the type id, the model's file name without {@code .json}; follows the {@link ThingId} rule
 * @param title       the model's human name, e.g. {@code "Car"}
 * @param description a longer human explanation
 * @param properties  the top-level properties in model order
 * @param raw         the model file's JSON as written, for serving over REST unchanged
 * @param actions     the actions others may invoke on things of this type ({@link ActionModel}), in model order
 */
public record ThingModel(
        @NotNull String type,
        @NotNull String title,
        @Nullable String description,
        @NotNull Map<String, DataSchema> properties,
        @NotNull JsonNode raw,
        @NotNull Map<String, ActionModel> actions) {

    /**
     * Longest string value a patch may carry, in Unicode code points. Shadow values are states and settings, not
     * documents; the cap keeps one property from eating the 32 KiB state budget.
     */
    public static final int MAX_STRING_CODE_POINTS = 1024;

    /** How many violations a rejection message spells out; the rest are counted. */
    static final int VIOLATIONS_IN_MESSAGE = 3;

    public ThingModel {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(actions, "actions");
        if (!ThingId.isValid(type)) {
            throw new IllegalArgumentException(
                    "invalid type id '" + ThingId.printable(type) + "': must match " + ThingId.PATTERN.pattern());
        }
        if (title.isBlank()) {
            throw new IllegalArgumentException("a thing model needs a title");
        }
        if (properties.isEmpty()) {
            throw new IllegalArgumentException("a thing model needs at least one property");
        }
        if (!raw.isObject()) {
            throw new IllegalArgumentException("the raw model must be a JSON object");
        }
        // Same rules for the top level as for the properties of a nested object.
        new DataSchema(SchemaType.OBJECT, null, null, List.of(), null, false, properties, title, description);
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        actions.forEach((name, action) -> {
            if (!name.equals(action.name())) {
                throw new IllegalArgumentException("action " + name + " is named " + action.name());
            }
        });
        actions = Collections.unmodifiableMap(new LinkedHashMap<>(actions));
        // Jackson trees are mutable: keep a private copy so that no caller can change the model behind our back.
        raw = raw.deepCopy();
    }

    /** A model without actions. */
    public ThingModel(
            @NotNull String type,
            @NotNull String title,
            @Nullable String description,
            @NotNull Map<String, DataSchema> properties,
            @NotNull JsonNode raw) {
        this(type, title, description, properties, raw, Map.of());
    }

    /** The action {@code name}; empty when this model has no such action. */
    public @NotNull Optional<ActionModel> action(@NotNull String name) {
        return Optional.ofNullable(actions.get(name));
    }

    /** The model file's JSON as written. A fresh copy on every call, so callers may change it freely. */
    @Override
    public @NotNull JsonNode raw() {
        return raw.deepCopy();
    }

    /**
     * The schema at a dotted path, e.g. {@code "doors.frontLeft.isOpen"} or {@code "cabin.heater"}; empty when
     * the model has no such property.
     */
    public @NotNull Optional<DataSchema> schemaAt(@NotNull String dottedPath) {
        Map<String, DataSchema> level = properties;
        DataSchema found = null;
        // split with limit -1 keeps empty segments, so "cabin..heater" and "cabin." find nothing.
        for (String name : dottedPath.split("\\.", -1)) {
            found = level.get(name);
            if (found == null) {
                return Optional.empty();
            }
            level = found.properties();
        }
        return Optional.ofNullable(found);
    }

    /**
     * Every way {@code patch} breaks this model when merged into {@code section}, in document order; empty when it
     * keeps to the model. {@code patch} is the section's content, e.g. {@code {"volume":30}}; {@code null} values
     * (merge-patch deletions) are always allowed. See docs/thing-models.md for the rules and messages.
     */
    public @NotNull List<Violation> validate(@NotNull Section section, @NotNull ObjectNode patch) {
        return PatchValidator.validate(properties, section, patch);
    }

    /**
     * The 422 rejection for a patch that breaks this model, naming the first three violations, or empty when the
     * patch is fine.
     *
     * <pre>{@code cabin.heater.targetTemperature: 35 > maximum 28; range: readOnly, only the thing itself reports it}</pre>
     */
    public @NotNull Optional<Rejection> check(@NotNull Section section, @NotNull ObjectNode patch) {
        return rejectionOf(validate(section, patch));
    }

    /** The 422 naming the first three of {@code violations}, or empty when there are none. */
    static @NotNull Optional<Rejection> rejectionOf(@NotNull List<Violation> violations) {
        if (violations.isEmpty()) {
            return Optional.empty();
        }
        String message = violations.stream()
                .limit(VIOLATIONS_IN_MESSAGE)
                .map(Violation::message)
                .collect(Collectors.joining("; "));
        if (violations.size() > VIOLATIONS_IN_MESSAGE) {
            message += "; and " + (violations.size() - VIOLATIONS_IN_MESSAGE) + " more";
        }
        return Optional.of(Rejection.modelViolation(message));
    }

    /**
     * What household members (other things of the owner) may do by default: per leaf none, read or write, and which
     * actions they may invoke ({@code shadowmq:household}); grants widen it ({@code io.shadowmq.model.access.Access}).
     */
    public @NotNull HouseholdRights householdRights() {
        return HouseholdRights.of(properties, actions);
    }

    /** What this model says about the life of desired values: auto-clear and default time-to-live per property. */
    public @NotNull DesiredPolicy desiredPolicy() {
        return new DesiredTerms(properties);
    }

    /**
     * The 422 rejection for a {@code rejectDesired} path this model does not know, or empty when every path names a
     * property (a leaf, or an object whose desired leaves are all refused).
     */
    public @NotNull Optional<Rejection> checkRejectDesired(@NotNull Collection<String> dottedPaths) {
        return dottedPaths.stream()
                .filter(path -> schemaAt(path).isEmpty())
                .findFirst()
                .map(path -> Rejection.modelViolation(
                        "rejectDesired." + ThingId.printable(path) + ": " + PatchValidator.UNKNOWN_PROPERTY));
    }
}
