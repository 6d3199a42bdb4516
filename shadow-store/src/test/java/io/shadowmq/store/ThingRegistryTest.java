package io.shadowmq.store;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.registry.ProvisionedThing;
import io.shadowmq.store.registry.ThingPage;
import io.shadowmq.store.registry.ThingRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static io.shadowmq.store.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

class ThingRegistryTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    private final ShadowStore store = redis.store();

    @Test
    void aProvisionedThingHasA256BitSecretThatVerifiesAndIsNotStored() {
        ThingId car = freshThing("car");
        Owner alice = freshOwner();

        ProvisionedThing provisioned = provision(store, car, "car", alice);

        assertThat(provisioned.secret()).matches("^[A-Za-z0-9_-]{43}$");
        assertThat(await(store.things().verifySecret(car, provisioned.secret()))
                        .orElseThrow()
                        .owner())
                .isEqualTo(alice);
        assertThat(rejection(await(store.things().verifySecret(car, provisioned.secret() + "x")))
                        .code())
                .isEqualTo(403);
        assertThat(rejection(await(store.things().verifySecret(freshThing("ghost"), provisioned.secret())))
                        .code())
                .isEqualTo(403);
        assertThat(provisioned.toString()).doesNotContain(provisioned.secret());
    }

    @Test
    void provisioningATakenIdIs409AndAnUnknownTypeIs422() {
        ThingId car = freshThing("car");
        provision(store, car, "car", freshOwner());

        assertThat(rejection(await(store.things().provision(car, "car", freshOwner())))
                        .code())
                .isEqualTo(409);
        Rejection unknownType = rejection(await(store.things().provision(freshThing("x"), "toaster", freshOwner())));
        assertThat(unknownType.code()).isEqualTo(422);
        assertThat(unknownType.message()).contains("toaster").contains("car");
    }

    @Test
    void rotatingTheSecretStopsTheOldOne() {
        ThingId car = freshThing("car");
        String old = provision(store, car, "car", freshOwner()).secret();

        String rotated = await(store.things().rotateSecret(car)).orElseThrow().secret();

        assertThat(rotated).isNotEqualTo(old);
        assertThat(await(store.things().verifySecret(car, old))).isInstanceOf(Outcome.Rejected.class);
        assertThat(await(store.things().verifySecret(car, rotated)).isOk()).isTrue();
        assertThat(rejection(await(store.things().rotateSecret(freshThing("ghost"))))
                        .code())
                .isEqualTo(404);
    }

    @Test
    void deprovisioningRemovesTheThingItsCredentialsAndItsShadow() {
        ThingId car = freshThing("car");
        String secret = provision(store, car, "car", freshOwner()).secret();
        await(store.shadows().update(car, Requester.thing(car), request("{\"state\":{\"reported\":{\"range\":10}}}")));

        assertThat(await(store.things().deprovision(car)).isOk()).isTrue();

        assertThat(rejection(await(store.things().find(car))).code()).isEqualTo(404);
        assertThat(await(store.things().verifySecret(car, secret))).isInstanceOf(Outcome.Rejected.class);
        assertThat(await(store.shadows().get(car))).isInstanceOf(Outcome.Rejected.class);
        assertThat(rejection(await(store.things().deprovision(car))).code()).isEqualTo(404);
    }

    @Test
    void listingPagesThroughAnOwnersThingsInIdOrderWithCursors() {
        Owner bob = freshOwner();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ThingId thing = ThingId.of("b-" + bob.value() + "-" + i);
            provision(store, thing, i % 2 == 0 ? "fridge" : "washer", bob);
            ids.add(thing.value());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ThingPage page = await(store.things().list(bob, null, 3, cursor)).orElseThrow();
            page.items().forEach(item -> seen.add(item.thingId().value()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);

        assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
        assertThat(pages).isEqualTo(3);
        List<ThingRecord> fridges = await(store.things().list(bob, "fridge", 100, null))
                .orElseThrow()
                .items();
        assertThat(fridges).hasSize(4).allMatch(record -> record.type().equals("fridge"));
        assertThat(rejection(await(store.things().list(bob, null, 0, null))).code())
                .isEqualTo(400);
        assertThat(rejection(await(store.things().list(bob, null, 10, "not a cursor!")))
                        .code())
                .isEqualTo(400);
    }

    private static Rejection rejection(Outcome<?> outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected<?>) outcome).rejection();
    }
}
