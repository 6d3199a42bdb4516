package io.shadowmq.store;

import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Past {@code maxUpdatesInFlight}, an update is answered 503 {@code store busy} at once and not applied; the places
 * come back as updates finish. Real Redis.
 */
class UpdateAdmissionTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    @Test
    void updatesPastTheBoundAreShedAtOnceUnappliedAndThePlacesComeBack() {
        try (ShadowStore store =
                ShadowStore.connect(StoreFixture.config(redis.uri()).withMaxUpdatesInFlight(2), StoreFixture.MODELS)) {
            Owner owner = freshOwner();
            List<ThingId> cars = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ThingId car = freshThing("car");
                provision(store, car, "car", owner);
                cars.add(car);
            }

            List<CompletableFuture<UpdateOutcome>> sent = new ArrayList<>();
            for (ThingId car : cars) {
                sent.add(store.shadows()
                        .update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":7}}}"))
                        .toCompletableFuture());
            }
            List<ThingId> shed = new ArrayList<>();
            for (int i = 0; i < cars.size(); i++) {
                UpdateOutcome outcome = await(sent.get(i));
                if (outcome instanceof UpdateOutcome.Rejected rejected) {
                    Rejection why = rejected.rejection();
                    assertThat(why.code()).isEqualTo(503);
                    assertThat(why.message())
                            .isEqualTo("store busy: 2 updates in flight in this process, retry shortly");
                    shed.add(cars.get(i));
                }
            }

            assertThat(shed).isNotEmpty().hasSizeLessThan(cars.size() - 1);
            assertThat(store.shadows().updatesShed()).isEqualTo(shed.size());
            assertThat(store.shadows().updatesInFlight()).isZero();
            for (ThingId car : shed) {
                assertThat(await(store.shadows().getLatest(car)).isOk())
                        .as("a shed update is not applied")
                        .isFalse();
                assertThat(await(store.shadows()
                                .update(
                                        car,
                                        Requester.thing(car),
                                        request("{\"state\":{\"reported\":{\"range\":8}}}"))))
                        .as("one at a time gets in")
                        .isInstanceOf(UpdateOutcome.Accepted.class);
            }
        }
    }
}
