package io.shadowmq.sdk.internal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Work whose future nobody reads, started so that what goes wrong in it is logged instead of vanishing with that
 * future.
 */
final class Async {

    private static final System.Logger log = System.getLogger(Async.class.getName());

    private Async() {}

    /**
     * As {@code stage.whenComplete(action)} for an {@code action} that handles the outcome, failure included, itself:
     * what the action throws is logged (WARNING) with {@code what}.
     */
    static <T> void whenComplete(
            CompletionStage<T> stage, String what, BiConsumer<? super T, ? super Throwable> action) {
        stage.whenComplete((value, error) -> {
            try {
                action.accept(value, error);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "shadow client: handling the outcome of " + what + " failed", e);
            }
        });
    }

    /** Logs (WARNING) a failure of {@code stage}, started on purpose without anyone waiting for it. */
    static void logFailure(CompletionStage<?> stage, String what) {
        whenComplete(stage, what, (value, error) -> {
            if (error != null) {
                log.log(System.Logger.Level.WARNING, "shadow client: " + what + " failed", error);
            }
        });
    }

    /** Runs {@code task} once after {@code delay}; what it throws is logged (WARNING) with {@code what}. */
    // The returned future would hold nothing but the task's failure, which the wrapper logs; nor is it needed to
    // cancel: the scheduler is the client's own, shut down (pending tasks dropped) when the client closes.
    @SuppressWarnings("FutureReturnValueIgnored")
    static void later(ScheduledExecutorService scheduler, String what, Runnable task, long delay, TimeUnit unit) {
        scheduler.schedule(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.log(System.Logger.Level.WARNING, "shadow client: " + what + " failed", e);
                    }
                },
                delay,
                unit);
    }
}
