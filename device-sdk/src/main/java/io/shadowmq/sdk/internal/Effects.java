package io.shadowmq.sdk.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Work collected under the session's lock - publishing, completing futures, calling listeners - and run after it is
 * released, on the thread that caused it, so that nothing slow or foreign runs under the lock.
 *
 * <pre>{@code
 * Effects effects = new Effects();
 * synchronized (lock) { effects.add(() -> future.complete(answer)); }
 * effects.run();
 * }</pre>
 */
final class Effects {

    private static final System.Logger log = System.getLogger(Effects.class.getName());

    private final List<Runnable> actions = new ArrayList<>();

    void add(Runnable action) {
        actions.add(action);
    }

    void run() {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "a shadow client callback failed", e);
            }
        }
        actions.clear();
    }
}
