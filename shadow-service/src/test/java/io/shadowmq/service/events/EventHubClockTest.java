package io.shadowmq.service.events;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** When a partition follow counts as recently asked for is read from the injected clock, not the system's. */
class EventHubClockTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    /** Short, so heartbeats pass quickly in real time; only the manual clock decides what is recent. */
    private static final Duration HEARTBEAT = Duration.ofMillis(20);

    @Test
    void aFollowNoStreamNeedsIsKeptWhileTheClockSaysItWasJustAskedForAndStoppedAfter() throws Exception {
        AtomicLong nanos = new AtomicLong(Duration.ofHours(1).toNanos());
        try (EventHub hub = EventHub.start(service.store(), HEARTBEAT, nanos::get)) {
            hub.ready(Owner.of("clock-alice")).toCompletableFuture().get(5, TimeUnit.SECONDS);

            // Many heartbeats pass in real time while the clock stands still: the follow is still recent.
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> hub.partitionsFollowed() == 1);

            nanos.addAndGet(HEARTBEAT.toNanos() + 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.partitionsFollowed() == 0);
            assertThat(hub.partitionsFollowed()).isZero();
        }
    }
}
