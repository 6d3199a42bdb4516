package io.shadowmq.sdk;

/**
 * How a {@link CommandHandler} tells the invoker how far it got: each report publishes {@code running} with the
 * progress. Reports after the command ended are ignored.
 *
 * <pre>{@code progress.report(35);}</pre>
 */
@FunctionalInterface
public interface CommandProgress {

    /**
     * Reports {@code percent} (0..100) done.
     *
     * @throws IllegalArgumentException outside 0..100
     */
    void report(int percent);
}
