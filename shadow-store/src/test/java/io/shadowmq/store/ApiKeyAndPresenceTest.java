package io.shadowmq.store;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.apikey.ApiKey;
import io.shadowmq.store.apikey.ApiScope;
import io.shadowmq.store.apikey.IssuedApiKey;
import io.shadowmq.store.presence.PresenceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Optional;
import java.util.Set;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyAndPresenceTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    private final ShadowStore store = redis.store();

    @Test
    void anApiKeyAuthenticatesWithItsTokenUntilRevoked() {
        IssuedApiKey issued = await(
                        store.apiKeys().create("speaker-skill", Set.of(ApiScope.THINGS_READ), Set.of("alice")))
                .orElseThrow();

        Optional<ApiKey> key =
                await(store.apiKeys().authenticate(issued.token())).orElseThrow();

        assertThat(key).isPresent();
        assertThat(key.get().allows(ApiScope.THINGS_READ)).isTrue();
        assertThat(key.get().allows(ApiScope.THINGS_WRITE)).isFalse();
        assertThat(key.get().sees(Owner.of("alice"))).isTrue();
        assertThat(key.get().sees(Owner.of("bob"))).isFalse();
        assertThat(await(store.apiKeys().authenticate(issued.token() + "x")).orElseThrow())
                .isEmpty();
        assertThat(await(store.apiKeys().authenticate("smq_0000000000000000_nope"))
                        .orElseThrow())
                .isEmpty();
        assertThat(await(store.apiKeys().authenticate("garbage")).orElseThrow()).isEmpty();

        assertThat(await(store.apiKeys().revoke(issued.key().id())).isOk()).isTrue();

        assertThat(await(store.apiKeys().authenticate(issued.token())).orElseThrow())
                .isEmpty();
        assertThat(await(store.apiKeys().revoke(issued.key().id())).isOk()).isFalse();
    }

    @Test
    void anApiKeyWithABadOwnerIsRefused() {
        assertThat(await(store.apiKeys().create("x", Set.of(ApiScope.THINGS_READ), Set.of("bad/owner")))
                        .isOk())
                .isFalse();
    }

    @Test
    void aThingIsConnectedBetweenConnectAndDisconnectOfItsSession() {
        ThingId car = freshThing("car");
        Owner owner = freshOwner();
        provision(store, car, "car", owner);
        assertThat(await(store.presence().status(car)).orElseThrow()).isEqualTo(PresenceStatus.NEVER_SEEN);

        await(store.presence().connected(car, owner, "node-a/1", 1000));
        PresenceStatus connected = await(store.presence().status(car)).orElseThrow();
        await(store.presence().disconnected(car, owner, "node-a/1", 2000));
        PresenceStatus disconnected = await(store.presence().status(car)).orElseThrow();

        assertThat(connected).isEqualTo(new PresenceStatus(true, 1000L, null));
        assertThat(disconnected).isEqualTo(new PresenceStatus(false, 1000L, 2000L));
    }

    @Test
    void aLateDisconnectOfAnOldSessionDoesNotMarkAReconnectedThingOffline() {
        ThingId car = freshThing("car");
        Owner owner = freshOwner();
        provision(store, car, "car", owner);

        await(store.presence().connected(car, owner, "node-a/1", 1000));
        await(store.presence().connected(car, owner, "node-b/7", 1500)); // reconnected elsewhere
        boolean counted = await(store.presence().disconnected(car, owner, "node-a/1", 1600))
                .orElseThrow();

        assertThat(counted).isFalse();
        assertThat(await(store.presence().status(car)).orElseThrow().connected())
                .isTrue();
    }
}
