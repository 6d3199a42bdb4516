package io.shadowmq.store.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;

/**
 * One page of a search: the matching things as the query's fields project them, in the query's sort order, and the
 * cursor of the next page ({@code null}: this is the last). A page may hold fewer than the limit and still have a
 * cursor, when the search looked at as many things as one request may (see {@link ThingSearch}).
 */
public record SearchPage(
        @NotNull List<ObjectNode> items, @Nullable String cursor) {

    public SearchPage {
        items = List.copyOf(items);
    }
}
