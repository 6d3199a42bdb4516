package io.shadowmq.platform.up;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.MetricRegistryListener;
import com.codahale.metrics.Sampling;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows the ShadowMQ extension's broker metrics (HiveMQ's Dropwizard registry, names under
 * {@code com.hivemq.extensions.shadowmq.}) on the REST service's {@code /metrics} of a one-machine platform, renamed
 * under {@code shadowmq.broker.}: {@code com.hivemq.extensions.shadowmq.updates.accepted} is scraped as
 * {@code shadowmq_broker_updates_accepted_total}. Counters and meters become counters, gauges gauges, timers and
 * histograms a {@code .samples} counter plus {@code quantile} gauges (0.5, 0.99, 1 = max; timers in seconds). Metrics the extension
 * registers later (one per rejection code) show from then on; each is read by name at every scrape, so one
 * registered again (on an extension restart) shows its new value and one removed shows NaN. docs/deploy.md lists them.
 *
 * <pre>{@code
 * BrokerMetricsExport export = BrokerMetricsExport.start(broker.metrics(), service.meterRegistry());
 * }</pre>
 */
public final class BrokerMetricsExport implements AutoCloseable {

    /** Where the extension registers its metrics in HiveMQ's registry. */
    public static final String EXTENSION_PREFIX = "com.hivemq.extensions.shadowmq.";
    /** What they are called on {@code /metrics} (before Prometheus turns dots into underscores). */
    public static final String EXPORTED_PREFIX = "shadowmq.broker.";

    private static final double NANOS_PER_SECOND = 1e9;

    private final MetricRegistry source;
    private final MeterRegistry target;
    private final Map<String, List<io.micrometer.core.instrument.Meter>> exported = new ConcurrentHashMap<>();
    /** Only additions matter: every exported meter reads the metric by name when scraped (NaN once it is gone). */
    private final MetricRegistryListener listener = new MetricRegistryListener.Base() {
        @Override
        public void onGaugeAdded(String name, Gauge<?> gauge) {
            export(
                    name,
                    exportedName -> List.of(io.micrometer.core.instrument.Gauge.builder(
                                    exportedName,
                                    () -> current(name) instanceof Gauge<?> now
                                                    && now.getValue() instanceof Number number
                                            ? number.doubleValue()
                                            : Double.NaN)
                            .register(target)));
        }

        @Override
        public void onCounterAdded(String name, Counter counter) {
            export(name, exportedName -> List.of(counter(exportedName, name)));
        }

        @Override
        public void onMeterAdded(String name, Meter meter) {
            export(name, exportedName -> List.of(counter(exportedName, name)));
        }

        @Override
        public void onHistogramAdded(String name, Histogram histogram) {
            export(name, exportedName -> sampled(exportedName, name, 1));
        }

        @Override
        public void onTimerAdded(String name, Timer timer) {
            export(name, exportedName -> sampled(exportedName + ".seconds", name, NANOS_PER_SECOND));
        }
    };

    private BrokerMetricsExport(MetricRegistry source, MeterRegistry target) {
        this.source = source;
        this.target = target;
    }

    /** Exports the extension's metrics registered now and from now on, until {@link #close()}. */
    public static @NotNull BrokerMetricsExport start(@NotNull MetricRegistry broker, @NotNull MeterRegistry service) {
        BrokerMetricsExport export = new BrokerMetricsExport(broker, service);
        // Calls back for every metric already registered, then for each one added or removed later.
        broker.addListener(export.listener);
        return export;
    }

    /** {@code com.hivemq.extensions.shadowmq.feed.things-watched} → {@code shadowmq.broker.feed.things-watched}. */
    public static @NotNull String exportedName(@NotNull String extensionName) {
        return EXPORTED_PREFIX + extensionName.substring(EXTENSION_PREFIX.length());
    }

    @Override
    public void close() {
        source.removeListener(listener);
        List.copyOf(exported.keySet()).forEach(this::unexport);
    }

    private interface Exporter {
        List<io.micrometer.core.instrument.Meter> export(String exportedName);
    }

    /** Exports an extension metric the first time its name is registered; a re-registration is read live. */
    private void export(String name, Exporter exporter) {
        if (name.startsWith(EXTENSION_PREFIX)) {
            exported.computeIfAbsent(name, key -> exporter.export(exportedName(key)));
        }
    }

    private void unexport(String name) {
        List<io.micrometer.core.instrument.Meter> meters = exported.remove(name);
        if (meters != null) {
            meters.forEach(target::remove);
        }
    }

    private @Nullable Metric current(String name) {
        return source.getMetrics().get(name);
    }

    private FunctionCounter counter(String exportedName, String name) {
        return FunctionCounter.builder(
                        exportedName,
                        this,
                        self -> self.current(name) instanceof Counting counting ? counting.getCount() : Double.NaN)
                .register(target);
    }

    private List<io.micrometer.core.instrument.Meter> sampled(String exportedName, String name, double scale) {
        List<io.micrometer.core.instrument.Meter> meters = new ArrayList<>();
        meters.add(counter(exportedName + ".samples", name));
        for (double quantile : new double[] {0.5, 0.99, 1.0}) {
            meters.add(io.micrometer.core.instrument.Gauge.builder(exportedName, () -> {
                        if (!(current(name) instanceof Sampling sampling)) {
                            return Double.NaN;
                        }
                        Snapshot snapshot = sampling.getSnapshot();
                        return (quantile == 1.0 ? snapshot.getMax() : snapshot.getValue(quantile)) / scale;
                    })
                    .tag("quantile", quantile == 1.0 ? "1" : Double.toString(quantile))
                    .register(target));
        }
        return meters;
    }
}
