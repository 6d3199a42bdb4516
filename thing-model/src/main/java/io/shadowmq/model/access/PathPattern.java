package io.shadowmq.model.access;

import io.shadowmq.model.schema.DataSchema;
import io.shadowmq.model.schema.HouseholdRights;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;

/**
 * A dotted property path in a grant: {@code range} (that property and everything below it), {@code doors.**} (the
 * same, said explicitly), {@code doors.*.isOpen} ({@code *} is exactly one level). Checked against a model by
 * {@link GrantRequest#checkAgainst}.
 *
 * <pre>{@code
 * PathPattern.parse("doors.*.isOpen").matches("doors.rearLeft.isOpen");   // true
 * PathPattern.parse("cabin.heater").matches("cabin.heater.isOn");          // true
 * }</pre>
 *
 * <p>Matching walks the text segment by segment (no regular expression, no allocation).
 */
public record PathPattern(@NotNull String text) {

    /** Longest pattern accepted, in characters. */
    public static final int MAX_LENGTH = 512;

    private static final String ONE_LEVEL = "*";
    private static final String EVERYTHING_BELOW = "**";
    private static final String RULE = "dotted property names, * for exactly one level, a last ** for everything below";

    /** How a pattern relates to a dotted path. */
    enum Relation {
        /** The pattern names the path, or a property above it. */
        COVERS,
        /** The pattern names something below the path. */
        BELOW,
        /** Neither. */
        NONE
    }

    /** @throws IllegalArgumentException when the text is not a pattern; {@link #parse} says why instead */
    public PathPattern {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** 422 naming the pattern when it is not dotted names, {@code *} and a last {@code **}. */
    public static @NotNull Outcome<PathPattern> parse(@NotNull String text) {
        String problem = problem(text);
        return problem == null
                ? Outcome.ok(new PathPattern(text))
                : Outcome.rejected(Rejection.modelViolation(problem));
    }

    /** Whether the leaf (or object) at {@code dottedPath} is covered. */
    public boolean matches(@NotNull String dottedPath) {
        return relationTo(dottedPath) == Relation.COVERS;
    }

    /**
     * 422 {@code <field>[i]: no property 'locaton' in model car} for the first pattern that names no property of the
     * model; empty when each names at least one.
     *
     * @param field the name of the list in the request ({@code read}, {@code paths}), for the message
     */
    public static @NotNull Optional<Rejection> firstUnknown(
            @NotNull String field, @NotNull List<PathPattern> patterns, @NotNull ThingModel model) {
        HouseholdRights rights = model.householdRights();
        for (int i = 0; i < patterns.size(); i++) {
            PathPattern pattern = patterns.get(i);
            if (rights.leaves().stream().noneMatch(leaf -> pattern.matches(leaf.path()))) {
                return Optional.of(noProperty(field + "[" + i + "]", pattern, model));
            }
        }
        return Optional.empty();
    }

    static Rejection noProperty(String where, PathPattern pattern, ThingModel model) {
        return Rejection.modelViolation(where + ": no property '" + pattern.text() + "' in model " + model.type());
    }

    /**
     * Walks pattern and path one segment at a time. The pattern is valid (checked on construction), so {@code **}
     * only comes last.
     */
    Relation relationTo(String path) {
        int i = 0;
        int j = 0;
        boolean pathLeft = !path.isEmpty();
        while (i <= text.length()) {
            int patternEnd = segmentEnd(text, i);
            int length = patternEnd - i;
            if (length == 2 && text.startsWith(EVERYTHING_BELOW, i)) {
                return Relation.COVERS;
            }
            if (!pathLeft || j > path.length()) {
                return Relation.BELOW;
            }
            int pathEnd = segmentEnd(path, j);
            boolean any = length == 1 && text.charAt(i) == '*';
            if (!any && (length != pathEnd - j || !text.regionMatches(i, path, j, length))) {
                return Relation.NONE;
            }
            i = patternEnd + 1;
            j = pathEnd + 1;
        }
        return Relation.COVERS;
    }

    private static int segmentEnd(String text, int from) {
        int dot = text.indexOf('.', from);
        return dot < 0 ? text.length() : dot;
    }

    private static String problem(String text) {
        if (text == null) {
            return "a path pattern must be a string";
        }
        String quoted = "'" + ThingId.printable(text) + "'";
        if (text.length() > MAX_LENGTH) {
            return quoted + " is not a path pattern: longer than " + MAX_LENGTH + " characters";
        }
        String[] segments = text.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean wildcard =
                    segment.equals(ONE_LEVEL) || segment.equals(EVERYTHING_BELOW) && i == segments.length - 1;
            if (!wildcard && !DataSchema.PROPERTY_NAME.matcher(segment).matches()) {
                return quoted + " is not a path pattern (" + RULE + ")";
            }
        }
        return null;
    }
}
