package io.shadowmq.extension.shadow;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.shadowmq.store.shadow.ShadowRepository;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The extension's metrics in HiveMQ's metric registry, under {@code com.hivemq.extensions.shadowmq.*}: updates
 * accepted, requests rejected by code, store latency, authentication failures, deltas sent. No per-device names:
 * the registry must not grow with the fleet.
 */
public final class ShadowMetrics {

    public static final String PREFIX = "com.hivemq.extensions.shadowmq.";

    private final MetricRegistry registry;
    private final Counter accepted;
    private final Counter authFailures;
    private final Counter deltas;
    private final Timer storeLatency;
    private final ConcurrentMap<Integer, Counter> rejectedByCode = new ConcurrentHashMap<>();

    public ShadowMetrics(@NotNull MetricRegistry registry) {
        this.registry = registry;
        this.accepted = registry.counter(PREFIX + "updates.accepted");
        this.authFailures = registry.counter(PREFIX + "auth.failures");
        this.deltas = registry.counter(PREFIX + "deltas.published");
        this.storeLatency = registry.timer(PREFIX + "store.latency");
    }

    public void accepted() {
        accepted.inc();
    }

    public void rejected(int code) {
        rejectedByCode
                .computeIfAbsent(code, c -> registry.counter(PREFIX + "requests.rejected." + c))
                .inc();
    }

    public void authFailure() {
        authFailures.inc();
    }

    public void deltaPublished() {
        deltas.inc();
    }

    /**
     * Registers gauges of the store's update admission: {@code updates.in-flight} now and {@code updates.shed} so far
     * (answered 503 {@code store busy} at once), replacing those of an earlier start in the same broker.
     */
    public void watchUpdates(@NotNull ShadowRepository shadows) {
        replaceGauge(registry, PREFIX + "updates.in-flight", shadows::updatesInFlight);
        replaceGauge(registry, PREFIX + "updates.shed", shadows::updatesShed);
    }

    /** Registers {@code gauge} under {@code name}, replacing one an earlier start of the extension left there. */
    public static <T> void replaceGauge(
            @NotNull MetricRegistry registry, @NotNull String name, @NotNull Gauge<T> gauge) {
        registry.remove(name);
        registry.register(name, gauge);
    }

    public void storeLatency(long nanos) {
        storeLatency.update(nanos, TimeUnit.NANOSECONDS);
    }
}
