package io.shadowmq.extension;

import io.shadowmq.extension.harness.EmbeddedBroker;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.extension.routing.FeedMetrics;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.DocumentsPayload;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedMeter;
import io.shadowmq.store.feed.FeedSubscription;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the change feed costs a broker that holds none of the busy things: two real brokers with the packaged
 * extension on one Redis, every device on broker 1, a stream of updates of those devices. Broker 2 must stay near
 * idle. For comparison, a follow of the whole feed in the same JVM does what every broker did before the feed was
 * routed (read every entry, and for each update build what DeltaDispatcher built). Prints the figures for
 * docs/scaling.md; takes about a minute.
 */
@Tag("slow")
class FeedRoutingCostIT {

    static final int THINGS = 40;
    static final Duration LOAD_FOR = Duration.ofSeconds(30);

    @RegisterExtension
    @Order(1)
    static final ShadowPlatform platform = new ShadowPlatform();

    @RegisterExtension
    @Order(2)
    static final EmbeddedBroker second = platform.anotherBroker();

    @Test
    void aBrokerWithoutTheBusyThingsStaysNearIdle() throws Exception {
        List<ProvisionedThing> cars = new ArrayList<>();
        List<TestDevice> devices = new ArrayList<>();
        FeedMeter wholeFeed = FeedMeter.counting();
        AtomicLong deltasBuilt = new AtomicLong();
        try (ShadowStore reference = ShadowStore.connect(
                        StoreConfig.of(platform.redis().uri(), Pepper.parse(ShadowPlatform.PEPPER)),
                        ThingModels.bundled());
                FeedSubscription everything = reference
                        .feed()
                        .follow(
                                event -> {
                                    // What every broker did with every entry before: pass the documents on, build the
                                    // delta.
                                    if (event.kind() == FeedEventKind.SHADOW_UPDATED) {
                                        var unused = event.rawBody().getBytes(StandardCharsets.UTF_8);
                                        if (event.newDelta()) {
                                            ShadowPayloads.delta(
                                                    DocumentsPayload.read(event.body())
                                                            .current(),
                                                    0);
                                            deltasBuilt.incrementAndGet();
                                        }
                                    }
                                },
                                wholeFeed)) {
            everything.ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < THINGS; i++) {
                ProvisionedThing car = platform.provision("car", "owner" + i);
                cars.add(car);
                TestDevice device = TestDevice.connect(platform.broker(), car);
                device.subscribe("things/" + car.thing().thingId() + "/shadow/update/delta");
                devices.add(device);
            }
            Snapshot first0 = Snapshot.of(platform.broker());
            Snapshot second0 = Snapshot.of(second);
            Snapshot whole0 = Snapshot.of(wholeFeed);
            long cpu0 = processCpu();

            long updates = load(cars);

            // Settled: broker 1 has read everything (an update that changes nothing is accepted without an entry).
            AtomicLong lastSeen = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> lastSeen.getAndSet(Snapshot.of(platform.broker()).entries) == lastSeen.get());
            Snapshot first = Snapshot.of(platform.broker()).minus(first0);
            Snapshot secondNode = Snapshot.of(second).minus(second0);
            Snapshot whole = Snapshot.of(wholeFeed).minus(whole0);
            long cpu = processCpu() - cpu0;
            System.out.printf(
                    "FEED-COST updates=%d seconds=%d things=%d processCpuMs=%d cores=%d%n",
                    updates,
                    LOAD_FOR.toSeconds(),
                    THINGS,
                    cpu / 1_000_000,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("FEED-COST broker1 %s%n", first);
            System.out.printf("FEED-COST broker2 %s%n", secondNode);
            System.out.printf(
                    "FEED-COST whole-feed-follow (every broker before) %s deltas=%d%n", whole, deltasBuilt.get());
            System.out.printf(
                    "FEED-COST ratio broker2/broker1 entries=%.4f cpu=%.4f; before (whole feed)/broker1 entries=%.3f cpu=%.3f%n",
                    ratio(secondNode.entries, first.entries),
                    ratio(secondNode.cpuNanos, first.cpuNanos),
                    ratio(whole.entries, first.entries),
                    ratio(whole.cpuNanos, first.cpuNanos));

            assertThat(secondNode.entries).isLessThanOrEqualTo(first.entries / 100);
            assertThat(whole.entries).isGreaterThanOrEqualTo(first.entries);
        } finally {
            for (TestDevice device : devices) {
                device.close();
            }
        }
    }

    /** Updates the cars round-robin, 8 in flight, for {@link #LOAD_FOR}; answers how many were accepted. */
    private static long load(List<ProvisionedThing> cars) throws Exception {
        long end = System.nanoTime() + LOAD_FOR.toNanos();
        AtomicLong accepted = new AtomicLong();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int worker = w;
            workers.add(CompletableFuture.runAsync(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    ThingId car = cars.get((int) ((worker + 8 * n) % cars.size()))
                            .thing()
                            .thingId();
                    int temperature = 16 + (int) (n % 12);
                    UpdateOutcome outcome = platform.store()
                            .shadows()
                            .update(
                                    car,
                                    Requester.admin(),
                                    ShadowRequests.parseUpdate(
                                                    ("{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"targetTemperature\":"
                                                                    + temperature + "}}}}}")
                                                            .getBytes(StandardCharsets.UTF_8),
                                                    ShadowLimits.DEFAULT)
                                            .orElseThrow())
                            .toCompletableFuture()
                            .join();
                    if (outcome instanceof UpdateOutcome.Accepted) {
                        accepted.incrementAndGet();
                    }
                    n++;
                }
            }));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
                .get(LOAD_FOR.toSeconds() + 30, TimeUnit.SECONDS);
        return accepted.get();
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private record Snapshot(long entries, long reads, long cpuNanos) {
        static Snapshot of(EmbeddedBroker broker) {
            return new Snapshot(
                    gauge(broker, FeedMetrics.ENTRIES_READ),
                    gauge(broker, FeedMetrics.READ_CALLS),
                    gauge(broker, FeedMetrics.CPU_NANOS));
        }

        static Snapshot of(FeedMeter meter) {
            return new Snapshot(meter.entriesRead(), meter.readCalls(), meter.cpuNanos());
        }

        Snapshot minus(Snapshot before) {
            return new Snapshot(entries - before.entries, reads - before.reads, cpuNanos - before.cpuNanos);
        }

        private static long gauge(EmbeddedBroker broker, String name) {
            return ((Number) broker.metrics().getGauges().get(name).getValue()).longValue();
        }

        @Override
        public String toString() {
            return "entriesRead=" + entries + " xreadCalls=" + reads + " feedCpuMs="
                    + String.format("%.1f", cpuNanos / 1e6);
        }
    }
}
