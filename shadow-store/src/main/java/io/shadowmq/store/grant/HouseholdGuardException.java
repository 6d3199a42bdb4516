package io.shadowmq.store.grant;

import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;

/**
 * Why {@link HouseholdGuard#access} could not answer (it completes exceptionally with this, possibly wrapped in a
 * {@link java.util.concurrent.CompletionException}): 503 when Redis did not answer, 404 when a thing is not there (or
 * not of the target's household). Callers refuse the request: fail closed.
 */
public final class HouseholdGuardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Rejection rejection;

    public HouseholdGuardException(@NotNull Rejection rejection) {
        super(rejection.code() + " " + rejection.message(), null, false, false);
        this.rejection = rejection;
    }

    public @NotNull Rejection rejection() {
        return rejection;
    }

    /** The rejection behind {@code error} when it is (or wraps) this exception; a 503 for anything else. */
    public static @NotNull Rejection of(@NotNull Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HouseholdGuardException guard) {
                return guard.rejection();
            }
        }
        return Rejection.storeUnavailable("store unavailable: household access unknown");
    }
}
