package io.shadowmq.extension;

import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What the extension has started so far (a store client, threads, metrics), each with how to stop it, and the step
 * it is at. {@link #close()} stops them last-started first - also halfway through a start, so that a failed start
 * leaves nothing running. A part that fails to stop is logged and the others are stopped all the same. Not
 * thread-safe: its owner ({@link ShadowExtension}) holds its lock around every call.
 * <pre>{@code
 * parts.step("connecting the shadow store");
 * ShadowStore store = parts.keep("the shadow store", ShadowStore.connect(storeConfig, models));
 * ...
 * parts.close();   // stops the store last
 * }</pre>
 */
final class StartedParts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StartedParts.class);

    private record Part(@NotNull String name, @NotNull AutoCloseable stop) {}

    private final Deque<Part> started = new ArrayDeque<>();
    private @NotNull String step = "starting";

    /** Names what is being done now: a failure is reported as having happened while doing it. */
    void step(@NotNull String what) {
        step = what;
    }

    /** What was being done last (e.g. {@code "connecting the shadow store"}). */
    @NotNull
    String step() {
        return step;
    }

    /** Keeps {@code part}, started, to be closed with the rest ({@code parts.keep("gauges", metrics::remove)} too). */
    <T extends AutoCloseable> @NotNull T keep(@NotNull String name, @NotNull T part) {
        started.push(new Part(name, part));
        return part;
    }

    /** The names of what is kept, last-started first (what {@link #close()} would stop, in order). */
    @NotNull
    List<String> names() {
        return started.stream().map(Part::name).toList();
    }

    /** Stops everything kept, last-started first; keeps nothing afterwards. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            Part part = started.pop();
            try {
                part.stop().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("ShadowMQ: interrupted while stopping {}", part.name());
            } catch (Exception | LinkageError e) {
                log.warn("ShadowMQ: stopping {} failed; stopping the rest", part.name(), e);
            }
        }
    }
}
