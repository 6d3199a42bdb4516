package io.shadowmq.store;

import org.awaitility.core.ConditionTimeoutException;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * How a test gives real external actors — writers under load, a Redis process being killed or resharded — wall time
 * to act: nothing in the store is waited for with this (that is a manual clock or an awaited event); only the load
 * the test itself creates is paced.
 */
final class Pacing {

    private Pacing() {}

    /** Lets what the test started (writers, a migration) run on for {@code span} of wall time. */
    static void letRunFor(@NotNull Duration span) {
        await().pollDelay(span).atMost(span.plusSeconds(10)).until(() -> true);
    }

    /**
     * Waits for {@code condition} for at most {@code atMost}, without failing: the assertions after it say what went
     * wrong, with the numbers.
     */
    static void awaitAtMost(@NotNull Duration atMost, @NotNull Callable<Boolean> condition) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(condition);
        } catch (ConditionTimeoutException notYet) {
            // reported by the caller's assertions
        }
    }
}
