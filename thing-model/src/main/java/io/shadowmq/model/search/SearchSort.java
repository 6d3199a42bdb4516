package io.shadowmq.model.search;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The order of search results: by {@code thingId} (the default) or by a numeric searchable property, rising or
 * falling. Only these two, because the index keeps thing ids in lexical order and numbers in score order; any
 * other order would mean sorting every match.
 *
 * @param path      {@code thingId} or a state path whose every model holds a number ({@code state.reported.range})
 * @param ascending rising ({@code +path} or {@code path}) or falling ({@code -path})
 */
public record SearchSort(@NotNull String path, boolean ascending) {

    /** {@code +thingId}: what a search without {@code sort} uses. */
    public static final SearchSort DEFAULT = new SearchSort(ThingView.THING_ID, true);

    public SearchSort {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("sort needs a path");
        }
    }

    /** Whether the results are ordered by thing id (else by the number at {@link #path}). */
    public boolean byThingId() {
        return path.equals(ThingView.THING_ID);
    }

    /**
     * The sort a request asks for: {@code +path}, {@code -path} or {@code path}; null or blank is
     * {@link #DEFAULT}. A leading blank counts as {@code +}, since that is what an unencoded {@code +} in a query
     * string becomes.
     *
     * @throws SearchQueryException (a 400) naming the sort when it is neither {@code thingId} nor a numeric
     *                              searchable property
     */
    public static @NotNull SearchSort parse(@NotNull SearchSchema schema, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        boolean ascending = !text.startsWith("-");
        String path = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text.strip();
        if (path.equals(ThingView.THING_ID) || schema.kindsOf(path).equals(Set.of(SearchSchema.Kind.NUMBER))) {
            return new SearchSort(path, ascending);
        }
        throw new SearchQueryException("sort: only thingId or a numeric searchable property, was '" + text
                + "'; numeric searchable properties: " + numericPaths(schema));
    }

    private static String numericPaths(SearchSchema schema) {
        return schema.statePaths().stream()
                .filter(path -> schema.kindsOf(path).equals(Set.of(SearchSchema.Kind.NUMBER)))
                .collect(Collectors.joining(", "));
    }
}
