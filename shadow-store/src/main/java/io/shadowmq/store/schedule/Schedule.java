package io.shadowmq.store.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ActionModel;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A household's schedule: when ({@link ScheduleTiming}), on which thing ({@code target}), what (a desired write or an
 * action), and under which condition ({@link ScheduleCondition}, optional).
 *
 * @param desired     the desired patch each occurrence writes, or null when it invokes an action
 * @param action      the action each occurrence invokes, or null when it writes desired
 * @param actionInput the action's input ({@code MissingNode} for none)
 */
public record Schedule(
        @NotNull String id,
        @NotNull Owner owner,
        @NotNull String name,
        @NotNull ScheduleTiming timing,
        @NotNull ThingId target,
        @Nullable ObjectNode desired,
        @Nullable String action,
        @NotNull JsonNode actionInput,
        @Nullable ScheduleCondition when,
        boolean enabled,
        long createdAt,
        long updatedAt) {

    /** The members a schedule's JSON may hold (POST body). */
    public static final Set<String> FIELDS = Set.of(
            "name", "timezone", "at", "days", "months", "cron", "target", "desired", "action", "when", "enabled");

    /** The members only a stored schedule holds besides {@link #FIELDS}. */
    private static final Set<String> STORED_FIELDS = Set.of("id", "owner", "createdAt", "updatedAt");

    static final int MAX_NAME_LENGTH = 100;

    /** How the schedule's effects name it ({@code setBy} of its desired values, {@code invokedBy} of its commands). */
    public @NotNull String setBy() {
        return "schedule:" + name;
    }

    /** The target named by a schedule's JSON; 422 naming {@code target} when absent or invalid. */
    public static @NotNull Outcome<ThingId> targetOf(@NotNull JsonNode json) {
        JsonNode target = json.path("target");
        if (!target.isTextual() || !ThingId.isValid(target.asText())) {
            return invalid("target: required, a thing id matching " + ThingId.PATTERN.pattern());
        }
        return Outcome.ok(ThingId.of(target.asText()));
    }

    /** The schedule's name as {@code json} gives it; 422 naming {@code name} when absent, blank or too long. */
    static @NotNull Outcome<String> nameOf(@NotNull JsonNode name) {
        if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME_LENGTH) {
            return invalid("name: required, 1 .. " + MAX_NAME_LENGTH + " characters");
        }
        return Outcome.ok(name.asText());
    }

    /**
     * The schedule a POST body (or a stored schedule) describes, checked against the target's {@code model}; 422
     * naming the field for anything impossible.
     */
    public static @NotNull Outcome<Schedule> parse(
            @NotNull ObjectNode json, @NotNull String id, @NotNull Owner owner, @NotNull ThingModel model, long now) {
        for (var member : json.properties()) {
            if (!FIELDS.contains(member.getKey()) && !STORED_FIELDS.contains(member.getKey())) {
                return invalid(member.getKey() + ": unknown member");
            }
        }
        Outcome<String> name = nameOf(json.path("name"));
        if (name instanceof Outcome.Rejected<String> no) {
            return Outcome.rejected(no.rejection());
        }
        Outcome<ScheduleTiming> timing = ScheduleTiming.parse(json);
        if (timing instanceof Outcome.Rejected<ScheduleTiming> no) {
            return Outcome.rejected(no.rejection());
        }
        Outcome<ThingId> target = targetOf(json);
        if (target instanceof Outcome.Rejected<ThingId> no) {
            return Outcome.rejected(no.rejection());
        }
        boolean hasDesired = json.has("desired");
        if (hasDesired == json.has("action")) {
            return invalid("desired: give exactly one of desired and action");
        }
        ObjectNode desired = null;
        String action = null;
        JsonNode input = MissingNode.getInstance();
        if (hasDesired) {
            if (!(json.get("desired") instanceof ObjectNode patch) || patch.isEmpty()) {
                return invalid("desired: must be a non-empty object of desired values");
            }
            Optional<Rejection> broken = model.check(Section.DESIRED, patch);
            if (broken.isPresent()) {
                return invalid("desired: " + broken.get().message());
            }
            desired = patch.deepCopy();
        } else {
            JsonNode invocation = json.get("action");
            if (!invocation.isObject() || !invocation.path("name").isTextual()) {
                return invalid("action.name: required, the name of an action of the " + model.type() + " model");
            }
            action = invocation.get("name").asText();
            Optional<ActionModel> actionModel = model.action(action);
            if (actionModel.isEmpty()) {
                return invalid("action.name: the " + model.type() + " model has no action " + action);
            }
            input = invocation.path("input").deepCopy();
            Optional<Rejection> broken = actionModel.get().checkInput(input);
            if (broken.isPresent()) {
                return invalid("action." + broken.get().message());
            }
        }
        ScheduleCondition when = null;
        if (json.has("when")) {
            Outcome<ScheduleCondition> parsed = ScheduleCondition.parse(json.get("when"), model);
            if (parsed instanceof Outcome.Rejected<ScheduleCondition> no) {
                return Outcome.rejected(no.rejection());
            }
            when = parsed.orElseThrow();
        }
        JsonNode enabled = json.path("enabled");
        if (!enabled.isMissingNode() && !enabled.isBoolean()) {
            return invalid("enabled: must be true or false");
        }
        long createdAt = json.path("createdAt").asLong(now);
        return Outcome.ok(new Schedule(
                id,
                owner,
                name.orElseThrow(),
                timing.orElseThrow(),
                target.orElseThrow(),
                desired,
                action,
                input,
                when,
                enabled.asBoolean(true),
                createdAt,
                json.path("updatedAt").asLong(now)));
    }

    private static <T> Outcome<T> invalid(String message) {
        return Outcome.rejected(Rejection.modelViolation(message));
    }

    /** The same schedule, enabled or not and named {@code name}, changed at {@code now}. */
    @NotNull
    Schedule with(boolean enabledNow, @NotNull String nameNow, long now) {
        return new Schedule(
                id, owner, nameNow, timing, target, desired, action, actionInput, when, enabledNow, createdAt, now);
    }

    /** The next occurrence strictly after {@code afterMillis}, if any. */
    public @NotNull Optional<Long> nextAfter(long afterMillis) {
        return timing.next(Instant.ofEpochMilli(afterMillis)).map(Instant::toEpochMilli);
    }

    /** The REST shape (and what is stored): the POST body's members plus {@code id}, {@code owner}, timestamps. */
    public @NotNull ObjectNode toJson() {
        ObjectNode json = SafeJson.object();
        json.put("id", id);
        json.put("owner", owner.value());
        json.put("name", name);
        timing.writeTo(json);
        json.put("target", target.value());
        if (desired != null) {
            json.set("desired", desired.deepCopy());
        } else {
            ObjectNode invocation = json.putObject("action");
            invocation.put("name", action);
            if (!actionInput.isMissingNode()) {
                invocation.set("input", actionInput.deepCopy());
            }
        }
        if (when != null) {
            json.set("when", when.toJson());
        }
        json.put("enabled", enabled);
        json.put("createdAt", createdAt);
        json.put("updatedAt", updatedAt);
        return json;
    }
}
