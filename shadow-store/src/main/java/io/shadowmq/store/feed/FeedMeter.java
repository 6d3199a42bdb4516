package io.shadowmq.store.feed;

import org.jetbrains.annotations.NotNull;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What following the feed costs one process: entries read, blocking reads issued, and the CPU time its reader
 * threads spent turning entries into events and handing them to the listener (thread CPU time, so a broker's feed
 * work can be told apart from everything else in its JVM). A node that is routed only its own things' changes reads
 * close to nothing while other nodes are busy; these figures are how that is measured.
 * <pre>{@code
 * FeedMeter meter = nodeFeed.meter();
 * long before = meter.cpuNanos();  ...  long spent = meter.cpuNanos() - before;
 * }</pre>
 */
public final class FeedMeter {

    /** Counts nothing (follows nobody measures). */
    static final FeedMeter NONE = new FeedMeter(false);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final boolean enabled;
    private final LongAdder entries = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder cpuNanos = new LongAdder();

    private FeedMeter(boolean enabled) {
        this.enabled = enabled && THREADS.isCurrentThreadCpuTimeSupported();
    }

    public static @NotNull FeedMeter counting() {
        return new FeedMeter(true);
    }

    /** Entries read since start. */
    public long entriesRead() {
        return entries.sum();
    }

    /** Blocking reads (XREAD) issued since start; an idle follow issues one per stream group per block period. */
    public long readCalls() {
        return reads.sum();
    }

    /** CPU time spent decoding and delivering entries since start, in nanoseconds (0 where the JVM cannot tell). */
    public long cpuNanos() {
        return cpuNanos.sum();
    }

    long cpuNow() {
        return enabled ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    void call() {
        if (enabled) {
            reads.increment();
        }
    }

    void read(int count, long cpuBefore) {
        if (enabled && count > 0) {
            entries.add(count);
            cpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpuBefore);
        }
    }
}
