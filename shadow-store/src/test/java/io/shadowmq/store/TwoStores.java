package io.shadowmq.store;

import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;

import java.time.Duration;

/**
 * Two stores on one Redis that share a manual clock, as two processes sweeping the same due index: connected and
 * answering (both connect in the background), with nothing due left over from earlier tests.
 */
final class TwoStores implements AutoCloseable {

    /** 06:30 UTC, 2 Dec 2026 (a Wednesday). */
    static final long T0 = 1_796_193_000_000L;

    final ManualClock clock = new ManualClock(T0);
    final ShadowStore store;
    final ShadowStore other;

    TwoStores(String redisUri) {
        store = ShadowStore.connect(StoreFixture.config(redisUri), StoreFixture.MODELS, clock);
        other = ShadowStore.connect(StoreFixture.config(redisUri), StoreFixture.MODELS, clock);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(StoreFixture.await(store.ping()).isOk()
                        && StoreFixture.await(other.ping()).isOk())
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        // The clock starts at T0 again: what earlier tests left due would be due here too.
        store.redis().getKeys().deleteByPattern("smq:due:*");
    }

    /** A car of {@code owner} that has reported {@code reported} (the content of the reported section). */
    ThingId car(Owner owner, String reported) {
        ThingId car = StoreFixture.freshThing("car");
        StoreFixture.provision(store, car, "car", owner);
        StoreFixture.await(store.shadows()
                .update(
                        car,
                        Requester.thing(car),
                        StoreFixture.request("{\"state\":{\"reported\":" + reported + "}}")));
        return car;
    }

    @Override
    public void close() {
        store.close();
        other.close();
    }
}
