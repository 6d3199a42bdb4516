package io.shadowmq.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One action of a thing model (a W3C WoT {@code actions} entry): something others ask the thing to do, such as the
 * washer's {@code start}, as opposed to a state it keeps. Invoking it makes a command (shadow-store's command
 * package); the command's input and the thing's output are checked here, with the same rules and messages as
 * property patches.
 *
 * <pre>{@code
 * ActionModel start = washer.action("start").orElseThrow();
 * start.checkInput(mapper.readTree("{\"program\":\"boil\"}"));
 *     // Optional[Rejection[code=422, message=input.program: 'boil' is not one of [cotton, synthetics, ...]]]
 * }</pre>
 *
 * @param name          the action's name in the model ({@link #ACTION_NAME})
 * @param title         a short human name
 * @param description   a longer human explanation
 * @param input         the schema of the input (an object), or null when the action takes none
 * @param output        the schema of what the thing reports when it succeeded (an object), or null for none
 * @param critical      {@code "safety": "critical"}: invoking it needs the {@code actions:critical} permission
 * @param defaultTtl    how long a command of this action may wait for a final state ({@code ttlSeconds})
 * @param concurrent    whether its commands may run beside others instead of one at a time
 * @param requiredInput   the input members that must be present ({@code input.required})
 * @param householdInvoke whether a household member (another thing of the owner) may invoke it without a grant
 *                        ({@code "shadowmq:household"}: {@code "invoke"}, the default, or {@code "none"}); never
 *                        for a critical action
 */
public record ActionModel(
        @NotNull String name,
        @Nullable String title,
        @Nullable String description,
        @Nullable DataSchema input,
        @Nullable DataSchema output,
        boolean critical,
        @NotNull Duration defaultTtl,
        boolean concurrent,
        @NotNull Set<String> requiredInput,
        boolean householdInvoke) {

    /** Action names follow the property name rule, so they are safe in MQTT topic levels, keys and messages. */
    public static final Pattern ACTION_NAME = DataSchema.PROPERTY_NAME;

    /** The time-to-live of a command whose action and invocation name none. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(600);

    /** The shortest time-to-live a command may have. */
    public static final Duration MIN_TTL = Duration.ofSeconds(1);

    /** The longest time-to-live a command may have: 7 days. */
    public static final Duration MAX_TTL = Duration.ofSeconds(604_800);

    public ActionModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(requiredInput, "requiredInput");
        if (!ACTION_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("action name must match " + ACTION_NAME.pattern());
        }
        if (input != null && input.type() != SchemaType.OBJECT) {
            throw new IllegalArgumentException(
                    "input must be an object schema, not " + input.type().jsonName());
        }
        if (output != null && output.type() != SchemaType.OBJECT) {
            throw new IllegalArgumentException(
                    "output must be an object schema, not " + output.type().jsonName());
        }
        if (!isValidTtl(defaultTtl)) {
            throw new IllegalArgumentException("ttlSeconds must be 1.." + MAX_TTL.toSeconds());
        }
        for (String member : requiredInput) {
            if (input == null || !input.properties().containsKey(member)) {
                throw new IllegalArgumentException("required input " + member + " is not a property of the input");
            }
        }
        if (critical && householdInvoke) {
            throw new IllegalArgumentException(
                    "a critical action is never a household member's to invoke, not even with a grant");
        }
        requiredInput = Set.copyOf(requiredInput);
    }

    /** An action with the default household right: members may invoke it unless it is critical. */
    public ActionModel(
            @NotNull String name,
            @Nullable String title,
            @Nullable String description,
            @Nullable DataSchema input,
            @Nullable DataSchema output,
            boolean critical,
            @NotNull Duration defaultTtl,
            boolean concurrent,
            @NotNull Set<String> requiredInput) {
        this(name, title, description, input, output, critical, defaultTtl, concurrent, requiredInput, !critical);
    }

    /** Whether a command may live this long: {@link #MIN_TTL} .. {@link #MAX_TTL}. */
    public static boolean isValidTtl(@NotNull Duration ttl) {
        return ttl.compareTo(MIN_TTL) >= 0 && ttl.compareTo(MAX_TTL) <= 0;
    }

    /**
     * The 422 for an input that breaks this action's input schema, naming the rule as property violations do
     * ({@code input.program: 'boil' is not one of [...]}), or empty. No input is {@code MissingNode}, {@code null} or
     * {@code {}}: fine for an action without input, and for one whose input has no required member.
     */
    public @NotNull Optional<Rejection> checkInput(@NotNull JsonNode input) {
        return check("input", this.input, requiredInput, input);
    }

    /** As {@link #checkInput}, for the output a thing reports with {@code succeeded} ({@code output.x: ...}). */
    public @NotNull Optional<Rejection> checkOutput(@NotNull JsonNode output) {
        return check("output", this.output, Set.of(), output);
    }

    private static Optional<Rejection> check(String what, DataSchema schema, Set<String> required, JsonNode value) {
        boolean none = value.isMissingNode() || value.isNull() || value.isObject() && value.isEmpty();
        if (schema == null) {
            return none
                    ? Optional.empty()
                    : Optional.of(Rejection.modelViolation(what + ": this action takes no " + what));
        }
        if (!none && !value.isObject()) {
            return Optional.of(Rejection.modelViolation(what + ": expected object, got " + JsonValues.typeName(value)));
        }
        List<Violation> violations = new ArrayList<>();
        schema.properties().keySet().stream()
                .filter(required::contains)
                .filter(member -> none || !value.has(member))
                .forEach(member -> violations.add(new Violation(what + "." + member, "required")));
        if (!none) {
            violations.addAll(PatchValidator.validateValue(what, schema.properties(), (ObjectNode) value));
        }
        return ThingModel.rejectionOf(violations);
    }
}
