package io.shadowmq.model.shadow;

import org.jetbrains.annotations.NotNull;

/**
 * The result of reading an untrusted request: the value, or the rejection to send back. Malformed input is an
 * expected case, so it is a value, not an exception.
 *
 * <pre>{@code
 * Parsed<UpdateRequest> parsed = ShadowRequests.parseUpdate(payload, ShadowLimits.DEFAULT);
 * if (parsed instanceof Parsed.Invalid<UpdateRequest> invalid) {
 *     reject(invalid.rejection());
 * } else if (parsed instanceof Parsed.Ok<UpdateRequest> ok) {
 *     store.update(thing, ok.value());
 * }
 * }</pre>
 *
 * @param <T> what a valid request becomes
 */
public sealed interface Parsed<T> permits Parsed.Ok, Parsed.Invalid {

    /** A valid request. */
    record Ok<T>(@NotNull T value) implements Parsed<T> {
        public Ok {
            if (value == null) {
                throw new IllegalArgumentException("value must not be null");
            }
        }
    }

    /** An invalid request and why; the code is 400 or 413. */
    record Invalid<T>(@NotNull Rejection rejection) implements Parsed<T> {
        public Invalid {
            if (rejection == null) {
                throw new IllegalArgumentException("rejection must not be null");
            }
        }
    }
}
