package io.shadowmq.model.shadow;

import org.jetbrains.annotations.NotNull;

import java.util.function.Function;

/**
 * The explicit result of anything that may be refused for an expected reason: a parsed request, a store call.
 * Callers switch over both cases; exceptions are kept for bugs and broken infrastructure.
 *
 * <pre>{@code
 * if (outcome instanceof Outcome.Ok<ShadowDocument> ok) {
 *     send(ok.value());
 * } else if (outcome instanceof Outcome.Rejected<ShadowDocument> no) {
 *     reject(no.rejection());
 * }
 * }</pre>
 */
public sealed interface Outcome<T> {

    record Ok<T>(@NotNull T value) implements Outcome<T> {}

    record Rejected<T>(@NotNull Rejection rejection) implements Outcome<T> {}

    static <T> @NotNull Outcome<T> ok(@NotNull T value) {
        return new Ok<>(value);
    }

    static <T> @NotNull Outcome<T> rejected(@NotNull Rejection rejection) {
        return new Rejected<>(rejection);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value; only to be called where {@link #isOk()} was checked (tests, assertions). */
    default @NotNull T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("rejected: " + ((Rejected<T>) this).rejection());
    }

    default <U> @NotNull Outcome<U> map(@NotNull Function<? super T, ? extends U> mapper) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(mapper.apply(ok.value()));
        }
        return new Rejected<>(((Rejected<T>) this).rejection());
    }
}
