package io.shadowmq.model.search;

/**
 * A filter that is not well-formed RQL, with the character offset where reading it failed, so that a client sees
 * exactly what to fix: {@code filter: expected ',' or ')' at position 17}.
 */
public final class RqlSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    /**
     * @param problem  what was wrong, without the position ({@code expected ',' or ')'})
     * @param position 0-based character offset in the filter text; the text's length for its end
     */
    public RqlSyntaxException(String problem, int position) {
        super("filter: " + problem + " at position " + position);
        this.position = position;
    }

    /** The 0-based character offset in the filter text where the problem is. */
    public int position() {
        return position;
    }
}
