package io.shadowmq.extension.harness;

import org.awaitility.Awaitility;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The threads the extension and its store client run - Redisson's ({@code redisson-netty-*}, {@code
 * redisson-timer-*}) and the extension's own ({@code shadowmq-*}) - that were not there when the snapshot was taken:
 * what an extension start left running. Threads are the JVM's, so this sees those of an extension inside an embedded
 * broker as well.
 * <pre>{@code
 * ExtensionThreads threads = ExtensionThreads.snapshot();
 * ... start and stop the extension ...
 * threads.awaitNoneLeft();
 * }</pre>
 */
public final class ExtensionThreads {

    private final Set<Thread> before;

    private ExtensionThreads(Set<Thread> before) {
        this.before = before;
    }

    /** Remembers the threads alive now: they are not counted. */
    public static @NotNull ExtensionThreads snapshot() {
        return new ExtensionThreads(Set.copyOf(Thread.getAllStackTraces().keySet()));
    }

    /** The names of the extension's and Redisson's threads alive now that were not at the snapshot. */
    public @NotNull List<String> started() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !before.contains(thread))
                .map(Thread::getName)
                .filter(name -> name.startsWith("redisson") || name.startsWith("shadowmq-"))
                .sorted()
                .toList();
    }

    /** Waits (five seconds at most) until {@link #started()} is empty: threads end a little after their pool stops. */
    public void awaitNoneLeft() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(started()).as("threads left running").isEmpty());
    }

    /** Waits (ten seconds at most) until threads whose names start with each of {@code prefixes} run. */
    public void awaitRunning(@NotNull String... prefixes) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> started = started();
            for (String prefix : prefixes) {
                assertThat(started).as("threads running").anyMatch(name -> name.startsWith(prefix));
            }
        });
    }
}
