package io.shadowmq.extension.routing;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.shadowmq.extension.shadow.ShadowMetrics;
import io.shadowmq.store.feed.NodeFeed;
import org.jetbrains.annotations.NotNull;

/**
 * What this node's share of the change feed costs, as gauges in HiveMQ's metric registry under
 * {@code com.hivemq.extensions.shadowmq.feed.*}: things watched, entries read, blocking reads issued, and the CPU
 * time (ns) its reader threads spent on the entries. A node whose things are idle reads near nothing, however busy
 * the other nodes are.
 */
public final class FeedMetrics {

    public static final String THINGS_WATCHED = ShadowMetrics.PREFIX + "feed.things-watched";
    public static final String ENTRIES_READ = ShadowMetrics.PREFIX + "feed.entries-read";
    public static final String READ_CALLS = ShadowMetrics.PREFIX + "feed.read-calls";
    public static final String CPU_NANOS = ShadowMetrics.PREFIX + "feed.cpu-nanos";

    private final MetricRegistry registry;
    private final NodeFeed node;

    public FeedMetrics(@NotNull MetricRegistry registry, @NotNull NodeFeed node) {
        this.registry = registry;
        this.node = node;
    }

    /** Registers the gauges, replacing those of an earlier start of the extension in the same broker. */
    public void register() {
        gauge(THINGS_WATCHED, node::watched);
        gauge(ENTRIES_READ, () -> node.meter().entriesRead());
        gauge(READ_CALLS, () -> node.meter().readCalls());
        gauge(CPU_NANOS, () -> node.meter().cpuNanos());
    }

    /** Removes the gauges (at stop: they read a feed that is no longer followed). */
    public void remove() {
        for (String name : new String[] {THINGS_WATCHED, ENTRIES_READ, READ_CALLS, CPU_NANOS}) {
            registry.remove(name);
        }
    }

    private <T> void gauge(String name, Gauge<T> gauge) {
        ShadowMetrics.replaceGauge(registry, name, gauge);
    }
}
