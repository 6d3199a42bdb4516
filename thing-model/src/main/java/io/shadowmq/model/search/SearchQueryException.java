package io.shadowmq.model.search;

/**
 * A search request a client got wrong (a 400): the message names the parameter and what was wrong with it, e.g.
 * {@code limit: must be 1..1000, was 5000} or {@code filter: state.reported.foo is not searchable; searchable: ...}.
 */
public final class SearchQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SearchQueryException(String message) {
        super(message);
    }

    public SearchQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
