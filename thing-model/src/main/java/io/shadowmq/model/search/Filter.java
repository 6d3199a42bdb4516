package io.shadowmq.model.search;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parsed search filter (Eclipse Ditto's RQL over dotted paths, see docs/search.md): what {@link Rql#parse} makes
 * of {@code and(eq(type,"car"),lt(state.reported.fuel.level,20))}. It answers two questions the store asks: does a
 * thing match exactly ({@link #matches}), and which things may match according to the index ({@link #plan}, a
 * superset the store narrows with {@link #matches}).
 *
 * <p>Values are the numbers, booleans and strings a thing holds at a path ({@link ThingView#valueAt}); objects,
 * arrays and nulls count as no value. Numbers compare as the index keeps them (doubles), strings exactly and by
 * {@link String#compareTo} order, booleans only for equality.
 */
public sealed interface Filter {

    /** Whether the thing matches, exactly; reads nothing but the view. */
    boolean matches(@NotNull ThingView thing);

    /**
     * The index plan: which things may match, in the prefix notation of docs/search.md ({@code and 2 val type scar
     * num state.reported.fuel.level -inf (20}). Every thing that {@link #matches} is accepted by the plan; the
     * plan may accept more.
     */
    default @NotNull List<String> plan() {
        return Planner.plan(this);
    }

    /** Every path the filter names, in the order they appear. */
    @NotNull
    Set<String> paths();

    /** Whether matching needs to know which things are connected now (the filter names {@code connected}). */
    default boolean needsPresence() {
        return paths().contains(ThingView.CONNECTED);
    }

    /** The filter as RQL text that {@link Rql#parse} reads back to an equal filter. */
    @NotNull
    String toRql();

    /** A comparison operator and its RQL name. */
    enum Comparison {
        EQ,
        NE,
        GT,
        GE,
        LT,
        LE;

        /** The RQL name: {@code eq}, {@code ne}, ... */
        public @NotNull String rqlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether it orders values rather than testing equality. */
        public boolean orders() {
            return this != EQ && this != NE;
        }
    }

    /** A literal value in a filter: a string, a number or a boolean. */
    sealed interface Literal {

        /** Whether the value at a path equals this literal: same JSON type and equal (numbers by value). */
        boolean equalsValue(@Nullable JsonNode value);

        /** The literal as RQL text. */
        @NotNull
        String toRql();

        /** The kind a path must hold for this literal ever to equal its value. */
        @NotNull
        Set<SearchSchema.Kind> kinds();

        /** How the literal's type is called in an error message ({@code a number}). */
        @NotNull
        String describe();
    }

    /** A string literal; {@code "..."} with {@code \"} and {@code \\} escapes in RQL. */
    record Text(@NotNull String value) implements Literal {
        public Text {
            if (value == null) {
                throw new IllegalArgumentException("text must not be null");
            }
        }

        @Override
        public boolean equalsValue(@Nullable JsonNode node) {
            return node != null && node.isTextual() && node.textValue().equals(value);
        }

        @Override
        public @NotNull String toRql() {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }

        @Override
        public @NotNull Set<SearchSchema.Kind> kinds() {
            return EnumSet.of(SearchSchema.Kind.STRING, SearchSchema.Kind.ENUM);
        }

        @Override
        public @NotNull String describe() {
            return "a string";
        }
    }

    /** A number literal, kept as the double the index compares. */
    record Num(double value) implements Literal {
        public Num {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a number literal must be finite, was " + value);
            }
            value = value == 0 ? 0.0 : value; // one zero: -0.0 equals 0.0 as a number
        }

        @Override
        public boolean equalsValue(@Nullable JsonNode node) {
            return node != null && node.isNumber() && node.doubleValue() == value;
        }

        @Override
        public @NotNull String toRql() {
            return Planner.number(value);
        }

        @Override
        public @NotNull Set<SearchSchema.Kind> kinds() {
            return EnumSet.of(SearchSchema.Kind.NUMBER);
        }

        @Override
        public @NotNull String describe() {
            return "a number";
        }
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements Literal {
        @Override
        public boolean equalsValue(@Nullable JsonNode node) {
            return node != null && node.isBoolean() && node.booleanValue() == value;
        }

        @Override
        public @NotNull String toRql() {
            return Boolean.toString(value);
        }

        @Override
        public @NotNull Set<SearchSchema.Kind> kinds() {
            return EnumSet.of(SearchSchema.Kind.BOOLEAN);
        }

        @Override
        public @NotNull String describe() {
            return "a boolean";
        }
    }

    /**
     * {@code eq}, {@code ne}, {@code gt}, {@code ge}, {@code lt}, {@code le}. {@code ne} is "not eq", so it matches
     * a thing without a value at the path; the orderings match only values of the literal's type (numbers by
     * value, strings by {@link String#compareTo}), never booleans and never a missing value.
     */
    record Compare(
            @NotNull Comparison op,
            @NotNull String path,
            @NotNull Literal value) implements Filter {
        public Compare {
            requirePath(path);
            if (op == null || value == null) {
                throw new IllegalArgumentException("operator and value must not be null");
            }
        }

        @Override
        public boolean matches(@NotNull ThingView thing) {
            JsonNode actual = thing.valueAt(path);
            switch (op) {
                case EQ:
                    return value.equalsValue(actual);
                case NE:
                    return !value.equalsValue(actual);
                default:
                    break;
            }
            int order;
            if (actual == null) {
                return false;
            } else if (value instanceof Num num && actual.isNumber()) {
                double number = actual.doubleValue();
                order = number < num.value() ? -1 : number > num.value() ? 1 : 0; // -0.0 equals 0.0
            } else if (value instanceof Text text && actual.isTextual()) {
                order = actual.textValue().compareTo(text.value());
            } else {
                return false;
            }
            switch (op) {
                case GT:
                    return order > 0;
                case GE:
                    return order >= 0;
                case LT:
                    return order < 0;
                default:
                    return order <= 0;
            }
        }

        @Override
        public @NotNull Set<String> paths() {
            return Set.of(path);
        }

        @Override
        public @NotNull String toRql() {
            return op.rqlName() + "(" + path + "," + value.toRql() + ")";
        }
    }

    /** {@code in(path, v1, v2, ...)}: the value at the path equals one of the literals. */
    record In(@NotNull String path, @NotNull List<Literal> values) implements Filter {
        public In {
            requirePath(path);
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("in needs at least one value");
            }
            values = List.copyOf(values);
        }

        @Override
        public boolean matches(@NotNull ThingView thing) {
            JsonNode actual = thing.valueAt(path);
            for (Literal value : values) {
                if (value.equalsValue(actual)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public @NotNull Set<String> paths() {
            return Set.of(path);
        }

        @Override
        public @NotNull String toRql() {
            return "in(" + path + "," + values.stream().map(Literal::toRql).collect(Collectors.joining(",")) + ")";
        }
    }

    /**
     * {@code like(path, "glob")}: the value at the path is a string the whole of which the glob matches; {@code *}
     * stands for any run of characters (also none), {@code ?} for exactly one. Case matters.
     */
    record Like(@NotNull String path, @NotNull String pattern) implements Filter {
        public Like {
            requirePath(path);
            if (pattern == null) {
                throw new IllegalArgumentException("pattern must not be null");
            }
        }

        @Override
        public boolean matches(@NotNull ThingView thing) {
            JsonNode actual = thing.valueAt(path);
            return actual != null && actual.isTextual() && Glob.matches(pattern, actual.textValue());
        }

        @Override
        public @NotNull Set<String> paths() {
            return Set.of(path);
        }

        @Override
        public @NotNull String toRql() {
            return "like(" + path + "," + new Text(pattern).toRql() + ")";
        }
    }

    /**
     * {@code exists(path)}: the thing holds a number, a boolean or a string there; of one of {@code kinds} when
     * they are known (a shadow the models validated holds nothing else, and the plan looks only where such values
     * are indexed).
     *
     * @param kinds what the path may hold, for the plan; empty when not known (as after {@link Rql#parse}: the plan
     *              then looks for both numbers and other values). {@link SearchQuery#parse} fills it in from the
     *              schema. Not part of the RQL text.
     */
    record Exists(@NotNull String path, @NotNull Set<SearchSchema.Kind> kinds) implements Filter {
        public Exists {
            requirePath(path);
            kinds = Set.copyOf(kinds);
        }

        /** Exists on a path whose kinds are not known. */
        public Exists(@NotNull String path) {
            this(path, Set.of());
        }

        @Override
        public boolean matches(@NotNull ThingView thing) {
            JsonNode value = thing.valueAt(path);
            if (value == null || kinds.isEmpty()) {
                return value != null;
            }
            return value.isNumber()
                    ? kinds.contains(SearchSchema.Kind.NUMBER)
                    : value.isBoolean()
                            ? kinds.contains(SearchSchema.Kind.BOOLEAN)
                            : kinds.contains(SearchSchema.Kind.STRING) || kinds.contains(SearchSchema.Kind.ENUM);
        }

        @Override
        public @NotNull Set<String> paths() {
            return Set.of(path);
        }

        @Override
        public @NotNull String toRql() {
            return "exists(" + path + ")";
        }
    }

    /** {@code and(f1, f2, ...)}: every filter matches. */
    record And(@NotNull List<Filter> filters) implements Filter {
        public And {
            filters = requireFilters("and", filters);
        }

        @Override
        public boolean matches(@NotNull ThingView thing) {
            for (Filter filter : filters) {
                if (!filter.matches(thing)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public @NotNull Set<String> paths() {
            return pathsOf(filters);
        }

        @Override
        public @NotNull String toRql() {
            return "and(" + filters.stream().map(Filter::toRql).collect(Collectors.joining(",")) + ")";
        }
    }

    /** {@code or(f1, f2, ...)}: at least one filter matches. */
    record Or(@NotNull List<Filter> filters) implements Filter {
        public Or {
            filters = requireFilters("or", filters);
        }

        @Override
        public boolean matches(@NotNull ThingView thing) {
            for (Filter filter : filters) {
                if (filter.matches(thing)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public @NotNull Set<String> paths() {
            return pathsOf(filters);
        }

        @Override
        public @NotNull String toRql() {
            return "or(" + filters.stream().map(Filter::toRql).collect(Collectors.joining(",")) + ")";
        }
    }

    /** {@code not(f)}: the filter does not match. */
    record Not(@NotNull Filter filter) implements Filter {
        public Not {
            if (filter == null) {
                throw new IllegalArgumentException("not needs a filter");
            }
        }

        @Override
        public boolean matches(@NotNull ThingView thing) {
            return !filter.matches(thing);
        }

        @Override
        public @NotNull Set<String> paths() {
            return filter.paths();
        }

        @Override
        public @NotNull String toRql() {
            return "not(" + filter.toRql() + ")";
        }
    }

    private static void requirePath(@Nullable String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("a filter needs a path");
        }
    }

    private static List<Filter> requireFilters(String op, @Nullable List<Filter> filters) {
        if (filters == null || filters.isEmpty()) {
            throw new IllegalArgumentException(op + " needs at least one filter");
        }
        return List.copyOf(filters);
    }

    private static Set<String> pathsOf(List<Filter> filters) {
        Set<String> paths = new LinkedHashSet<>();
        filters.forEach(filter -> paths.addAll(filter.paths()));
        return Collections.unmodifiableSet(paths);
    }
}
