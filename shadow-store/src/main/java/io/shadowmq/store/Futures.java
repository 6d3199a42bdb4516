package io.shadowmq.store;

import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Work whose future nobody waits for, started without losing what goes wrong in it: a failure of a future that no one
 * reads would otherwise vanish without a trace.
 *
 * <pre>{@code
 * Futures.logFailure(store.removeAsync(key), log, "thing " + thing + ": dropping its stale watch");
 * Futures.whenComplete(publish, log, "delta of " + thing, (delivered, error) -> ...);
 * }</pre>
 */
public final class Futures {

    private Futures() {}

    /**
     * Fire-and-forget on purpose: logs a failure of {@code stage} at WARN as "{@code what} failed", the only place it
     * would show.
     */
    public static void logFailure(@NotNull CompletionStage<?> stage, @NotNull Logger log, @NotNull String what) {
        stage.whenComplete((value, error) -> {
            if (error != null) {
                log.warn("{} failed", what, error);
            }
        });
    }

    /**
     * As {@code stage.whenComplete(action)} for an {@code action} that handles the outcome, failure included, itself:
     * what the action throws is logged at ERROR with {@code what} instead of failing a stage nobody reads.
     */
    public static <T> void whenComplete(
            @NotNull CompletionStage<T> stage,
            @NotNull Logger log,
            @NotNull String what,
            @NotNull BiConsumer<? super T, ? super Throwable> action) {
        stage.whenComplete((value, error) -> {
            try {
                action.accept(value, error);
            } catch (RuntimeException e) {
                log.error("{}: handling its outcome failed", what, e);
            }
        });
    }
}
