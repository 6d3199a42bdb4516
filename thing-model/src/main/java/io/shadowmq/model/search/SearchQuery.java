package io.shadowmq.model.search;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One search request, checked against what the thing models make searchable: the filter, which fields to return,
 * the order and how many per page. {@link #parse} turns the request's query parameters into one, or into a
 * {@link SearchQueryException} (a 400) that names the parameter and what was wrong, so that a backend team fixes
 * its query from the message alone.
 *
 * @param filter which things (its {@code exists} nodes know their paths' kinds, so the plan looks in the right
 *               index)
 * @param fields what of each thing to return
 * @param sort   the order
 * @param limit  most things per page, 1..{@value #MAX_LIMIT}
 */
public record SearchQuery(
        @NotNull Filter filter,
        @NotNull Projection fields,
        @NotNull SearchSort sort,
        int limit) {

    /** Things per page when the request does not say. */
    public static final int DEFAULT_LIMIT = 25;

    /** Most things per page. */
    public static final int MAX_LIMIT = 1000;

    /** A filter shown to a client that sent none. */
    public static final String FILTER_EXAMPLE = "and(eq(type,\"car\"),lt(state.reported.fuel.level,20))";

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]{1,9}");

    public SearchQuery {
        if (filter == null || fields == null || sort == null) {
            throw new IllegalArgumentException("filter, fields and sort must not be null");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
    }

    /**
     * The query the request parameters say; {@code fields}, {@code sort} and {@code limit} may be absent (null or
     * blank) for their defaults, the filter may not.
     *
     * @throws SearchQueryException (a 400) naming the parameter and what was wrong with it
     */
    public static @NotNull SearchQuery parse(
            @NotNull SearchSchema schema,
            @Nullable String filter,
            @Nullable String fields,
            @Nullable String sort,
            @Nullable String limit) {
        return new SearchQuery(
                parseFilter(schema, filter),
                Projection.parse(fields),
                SearchSort.parse(schema, sort),
                parseLimit(limit));
    }

    /**
     * A filter parsed and checked against the schema: well-formed, every path searchable, every literal of a kind
     * the path can hold; {@code exists} nodes get their paths' kinds. Also what a subscription to search events
     * uses, which has a filter only.
     *
     * @throws SearchQueryException (a 400) starting {@code filter: }
     */
    public static @NotNull Filter parseFilter(@NotNull SearchSchema schema, @Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new SearchQueryException("filter: required, e.g. " + FILTER_EXAMPLE);
        }
        Filter filter;
        try {
            filter = Rql.parse(text);
        } catch (RqlSyntaxException e) {
            throw new SearchQueryException(e.getMessage(), e);
        }
        for (String path : filter.paths()) {
            if (!schema.isSearchable(path)) {
                throw new SearchQueryException(
                        "filter: " + path + " is not searchable; searchable: " + schema.describe());
            }
        }
        return checked(schema, filter);
    }

    /**
     * The page size a request asks for; null or blank is {@value #DEFAULT_LIMIT}.
     *
     * @throws SearchQueryException (a 400) when it is not a whole number 1..{@value #MAX_LIMIT}
     */
    public static int parseLimit(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        String trimmed = text.strip();
        if (!WHOLE_NUMBER.matcher(trimmed).matches()) {
            throw new SearchQueryException("limit: must be a whole number 1.." + MAX_LIMIT + ", was '" + text + "'");
        }
        int limit = Integer.parseInt(trimmed);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new SearchQueryException("limit: must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }

    /** Whether answering needs to know which things are connected: the filter or the fields name it. */
    public boolean needsPresence() {
        return filter.needsPresence() || fields.needsPresence();
    }

    /** The kinds of value a searchable path holds; built-ins and metadata timestamps by definition. */
    static @NotNull Set<SearchSchema.Kind> kindsOf(@NotNull SearchSchema schema, @NotNull String path) {
        switch (path) {
            case ThingView.THING_ID:
            case SearchSchema.TYPE:
            case SearchSchema.OWNER:
                return EnumSet.of(SearchSchema.Kind.STRING);
            case ThingView.CONNECTED:
                return EnumSet.of(SearchSchema.Kind.BOOLEAN);
            default:
                break;
        }
        if (schema.metadataTimestampOf(path).isPresent()) {
            return EnumSet.of(SearchSchema.Kind.NUMBER);
        }
        return schema.kindsOf(path);
    }

    /** The filter with each literal checked against its path's kinds and each exists given them. */
    private static Filter checked(SearchSchema schema, Filter filter) {
        if (filter instanceof Filter.Compare compare) {
            checkLiteral(schema, compare.path(), compare.value(), compare);
            if (compare.op().orders() && compare.value() instanceof Filter.Bool) {
                throw new SearchQueryException(
                        "filter: " + compare.toRql() + " can never match: booleans have no order, use eq or ne");
            }
            return filter;
        }
        if (filter instanceof Filter.In in) {
            in.values().forEach(value -> checkLiteral(schema, in.path(), value, in));
            return filter;
        }
        if (filter instanceof Filter.Like like) {
            checkLiteral(schema, like.path(), new Filter.Text(like.pattern()), like);
            return filter;
        }
        if (filter instanceof Filter.Exists exists) {
            return new Filter.Exists(exists.path(), kindsOf(schema, exists.path()));
        }
        if (filter instanceof Filter.And and) {
            return new Filter.And(checkedAll(schema, and.filters()));
        }
        if (filter instanceof Filter.Or or) {
            return new Filter.Or(checkedAll(schema, or.filters()));
        }
        return new Filter.Not(checked(schema, ((Filter.Not) filter).filter()));
    }

    private static List<Filter> checkedAll(SearchSchema schema, List<Filter> filters) {
        return filters.stream().map(filter -> checked(schema, filter)).toList();
    }

    private static void checkLiteral(SearchSchema schema, String path, Filter.Literal value, Filter node) {
        Set<SearchSchema.Kind> kinds = kindsOf(schema, path);
        if (value.kinds().stream().noneMatch(kinds::contains)) {
            throw new SearchQueryException("filter: " + path + " holds " + describe(kinds) + ", not " + value.describe()
                    + ": " + value.toRql() + " in " + node.toRql() + " can never be equal");
        }
    }

    /** {@code numbers}, {@code booleans or strings}, ... for an error message. */
    private static String describe(Set<SearchSchema.Kind> kinds) {
        return kinds.stream()
                .map(kind -> kind == SearchSchema.Kind.NUMBER
                        ? "numbers"
                        : kind == SearchSchema.Kind.BOOLEAN ? "booleans" : "strings")
                .distinct()
                .collect(Collectors.joining(" or "));
    }
}
