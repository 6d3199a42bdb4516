package io.shadowmq.platform.up;

import com.codahale.metrics.MetricRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The extension's metrics in HiveMQ's registry show on the REST service's Prometheus scrape, renamed. */
class BrokerMetricsExportTest {

    private final MetricRegistry broker = new MetricRegistry();
    private final PrometheusMeterRegistry service = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void countersGaugesAndTimersRegisteredBeforeAndAfterAreScraped() {
        broker.counter("com.hivemq.extensions.shadowmq.updates.accepted").inc(3);
        broker.counter("com.hivemq.messages.incoming.total.count").inc(); // HiveMQ's own: not exported

        try (BrokerMetricsExport export = BrokerMetricsExport.start(broker, service)) {
            broker.counter("com.hivemq.extensions.shadowmq.requests.rejected.429")
                    .inc(2);
            broker.register("com.hivemq.extensions.shadowmq.feed.things-watched", (com.codahale.metrics.Gauge<Integer>)
                    () -> 7);
            broker.timer("com.hivemq.extensions.shadowmq.store.latency").update(4, TimeUnit.MILLISECONDS);

            String scrape = service.scrape();

            assertThat(scrape)
                    .contains("shadowmq_broker_updates_accepted_total 3.0")
                    .contains("shadowmq_broker_requests_rejected_429_total 2.0")
                    .contains("shadowmq_broker_feed_things_watched 7.0")
                    .contains("shadowmq_broker_store_latency_seconds_samples_total 1.0")
                    .contains("shadowmq_broker_store_latency_seconds{quantile=\"1\"} 0.004")
                    .doesNotContain("messages_incoming");
        }
        assertThat(service.scrape()).as("gone once the export stops").doesNotContain("shadowmq_broker_");
    }

    @Test
    void aMetricRegisteredAgainShowsTheNewOneAndARemovedOneNaN() {
        try (BrokerMetricsExport export = BrokerMetricsExport.start(broker, service)) {
            broker.register(
                    "com.hivemq.extensions.shadowmq.feed.entries-read", (com.codahale.metrics.Gauge<Long>) () -> 1L);
            broker.remove("com.hivemq.extensions.shadowmq.feed.entries-read");
            broker.register(
                    "com.hivemq.extensions.shadowmq.feed.entries-read", (com.codahale.metrics.Gauge<Long>) () -> 42L);

            assertThat(service.scrape()).contains("shadowmq_broker_feed_entries_read 42.0");
            broker.remove("com.hivemq.extensions.shadowmq.feed.entries-read");
            assertThat(service.scrape()).contains("shadowmq_broker_feed_entries_read NaN");
        }
    }
}
