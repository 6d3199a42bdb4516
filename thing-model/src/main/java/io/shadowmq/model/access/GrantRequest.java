package io.shadowmq.model.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.schema.ActionModel;
import io.shadowmq.model.schema.HouseholdRights;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A grant as a client asks for it ({@code POST /api/v1/owners/{owner}/grants}), before the store gives it an id:
 * {@code {"grantee":"speaker-1"|"type:speaker","target":"car-1"|"type:car","read":[...],"write":[...],
 * "invoke":[...],"expiresAt":ms?}}.
 *
 * <pre>{@code
 * Outcome<GrantRequest> parsed = GrantRequest.parse(body, now);     // 400/422 naming the field
 * Optional<Rejection> wrong = parsed.value().checkAgainst(carModel); // 422 "write[0]: no property 'cabin.heeter' in model car"
 * }</pre>
 */
public record GrantRequest(
        @NotNull String grantee,
        @NotNull String target,
        @NotNull List<String> read,
        @NotNull List<String> write,
        @NotNull List<String> invoke,
        @Nullable Long expiresAt) {

    /** Most entries one list of a grant may hold. */
    public static final int MAX_ENTRIES = 64;

    private static final String GRANTEE = "grantee";
    private static final String TARGET = "target";
    private static final String READ = "read";
    private static final String WRITE = "write";
    private static final String INVOKE = "invoke";
    private static final String EXPIRES_AT = "expiresAt";
    private static final Set<String> FIELDS = Set.of(GRANTEE, TARGET, READ, WRITE, INVOKE, EXPIRES_AT);

    public GrantRequest {
        read = List.copyOf(read);
        write = List.copyOf(write);
        invoke = List.copyOf(invoke);
    }

    /**
     * The request from its JSON body; 422 naming the field for a missing or malformed grantee/target, a pattern
     * that does not parse, an unknown field, an empty grant (nothing to read, write or invoke), or an
     * {@code expiresAt} not after {@code nowMillis}. A body that is not a JSON object is 400.
     */
    public static @NotNull Outcome<GrantRequest> parse(@NotNull JsonNode body, long nowMillis) {
        if (!body.isObject()) {
            return Outcome.rejected(Rejection.malformed("a grant must be a JSON object"));
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                return invalid(ThingId.printable(field.getKey())
                        + ": unknown field; a grant holds grantee, target, read, write, invoke and expiresAt");
            }
        }
        List<String> problems = new ArrayList<>(1);
        String grantee = party(body, GRANTEE, problems);
        String target = party(body, TARGET, problems);
        List<String> read = strings(body, READ, true, problems);
        List<String> write = strings(body, WRITE, true, problems);
        List<String> invoke = strings(body, INVOKE, false, problems);
        Long expiresAt = expiresAt(body, nowMillis, problems);
        if (problems.isEmpty() && grantee.equals(target) && typeOf(target).isEmpty()) {
            problems.add(TARGET + ": '" + target + "' is the grantee; a thing may always do everything on itself");
        }
        if (problems.isEmpty() && read.isEmpty() && write.isEmpty() && invoke.isEmpty()) {
            problems.add("empty grant: name at least one path to read or write, or an action to invoke");
        }
        if (!problems.isEmpty()) {
            return invalid(problems.get(0));
        }
        return Outcome.ok(new GrantRequest(grantee, target, read, write, invoke, expiresAt));
    }

    /**
     * 422 naming the field ({@code read[1]}, {@code invoke[0]}) when a pattern matches no property of the target's
     * model, a write pattern names only readOnly properties, an action is unknown, or an action is critical (no grant
     * lets a thing invoke a critical action).
     */
    public @NotNull Optional<Rejection> checkAgainst(@NotNull ThingModel targetModel) {
        Optional<Rejection> unknown = PathPattern.firstUnknown(READ, patterns(read), targetModel)
                .or(() -> PathPattern.firstUnknown(WRITE, patterns(write), targetModel));
        if (unknown.isPresent()) {
            return unknown;
        }
        List<HouseholdRights.LeafRight> leaves = targetModel.householdRights().leaves();
        for (int i = 0; i < write.size(); i++) {
            PathPattern pattern = new PathPattern(write.get(i));
            if (leaves.stream().noneMatch(leaf -> leaf.writable() && pattern.matches(leaf.path()))) {
                return Optional.of(
                        Rejection.modelViolation(WRITE + "[" + i + "]: '" + pattern.text() + "' is readOnly"));
            }
        }
        for (int i = 0; i < invoke.size(); i++) {
            String name = invoke.get(i);
            Optional<ActionModel> action = targetModel.action(name);
            String where = INVOKE + "[" + i + "]: ";
            if (action.isEmpty()) {
                return Optional.of(
                        Rejection.modelViolation(where + "no action '" + name + "' in model " + targetModel.type()));
            }
            if (action.get().critical()) {
                return Optional.of(Rejection.modelViolation(
                        where + "'" + name + "' is critical: no grant lets a thing invoke it"));
            }
        }
        return Optional.empty();
    }

    /**
     * The model type a grantee or target names ({@code car} for {@code type:car}); empty for a thing id. The caller
     * checks that the type has a model (404/422 is its choice) with {@code ThingModels}.
     */
    public static @NotNull Optional<String> typeOf(@NotNull String granteeOrTarget) {
        return granteeOrTarget.startsWith(Grant.TYPE_PREFIX)
                ? Optional.of(granteeOrTarget.substring(Grant.TYPE_PREFIX.length()))
                : Optional.empty();
    }

    /** The grant the store keeps. */
    public @NotNull Grant toGrant(@NotNull String id, @NotNull Owner owner, long createdAt, @NotNull String createdBy) {
        return new Grant(id, owner, grantee, target, read, write, invoke, expiresAt, createdAt, createdBy);
    }

    private static List<PathPattern> patterns(List<String> texts) {
        return texts.stream().map(PathPattern::new).toList();
    }

    private static String party(JsonNode body, String field, List<String> problems) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            problems.add(
                    field + ": " + (value == null ? "missing" : "must be a string") + "; a thing id or type:<model>");
            return "";
        }
        String text = value.textValue();
        String id = typeOf(text).orElse(text);
        if (!ThingId.isValid(id)) {
            problems.add(field + ": '" + ThingId.printable(text) + "' is not a thing id or type:<model> (ids match "
                    + ThingId.PATTERN.pattern() + ")");
        }
        return text;
    }

    private static List<String> strings(JsonNode body, String field, boolean paths, List<String> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            problems.add(field + ": must be an array of " + (paths ? "path patterns" : "action names"));
            return List.of();
        }
        if (value.size() > MAX_ENTRIES) {
            problems.add(field + ": at most " + MAX_ENTRIES + " entries, got " + value.size());
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode entry = value.get(i);
            String where = field + "[" + i + "]: ";
            if (!entry.isTextual()) {
                problems.add(where + "must be a string");
                return List.of();
            }
            String text = entry.textValue();
            if (paths && PathPattern.parse(text) instanceof Outcome.Rejected<PathPattern> bad) {
                problems.add(where + bad.rejection().message());
                return List.of();
            }
            if (!paths && !ActionModel.ACTION_NAME.matcher(text).matches()) {
                problems.add(where + "'" + ThingId.printable(text) + "' is not an action name");
                return List.of();
            }
            texts.add(text);
        }
        return texts;
    }

    private static @Nullable Long expiresAt(JsonNode body, long nowMillis, List<String> problems) {
        JsonNode value = body.get(EXPIRES_AT);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problems.add(EXPIRES_AT + ": must be epoch milliseconds (a whole number)");
            return null;
        }
        if (value.longValue() <= nowMillis) {
            problems.add(EXPIRES_AT + ": " + value.longValue() + " is not in the future (now is " + nowMillis + ")");
            return null;
        }
        return value.longValue();
    }

    private static <T> Outcome<T> invalid(String message) {
        return Outcome.rejected(Rejection.modelViolation(message));
    }
}
