package io.shadowmq.model.summary;

import org.jetbrains.annotations.NotNull;

/**
 * Which property paths a caller may read, asked once per leaf with the dotted path ({@code doors.rearLeft.isOpen}).
 * A summary says nothing, and lists no fact, about a leaf its caller may not read: not its value, not a word that
 * counts it in ("all doors are locked" is only said when every door's leaves may be read).
 *
 * <pre>{@code
 * ReadFilter onlyRange = path -> path.equals("range");
 * }</pre>
 */
@FunctionalInterface
public interface ReadFilter {

    /** Every path: what the thing itself and owner-level callers may read ({@code Access.FULL}). */
    ReadFilter ALL = path -> true;

    boolean mayRead(@NotNull String dottedPath);
}
