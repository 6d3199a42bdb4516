package io.shadowmq.store;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.presence.PresenceStatus;
import io.shadowmq.store.presence.PresenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence writes that reach Redis out of order - a connect delayed past its own disconnect, a late connect of an
 * earlier session - never leave a thing shown connected after its last session ended; and a broker node that starts
 * again ends what its earlier runs left connected, and nothing else.
 */
class PresenceOrderingTest {

    @RegisterExtension
    static final StoreExtension redis = new StoreExtension();

    private final ShadowStore store = redis.store();
    private final PresenceStore presence = store.presence();
    private final Owner owner = freshOwner();

    @Test
    void aConnectLandingAfterItsOwnDisconnectLeavesTheThingDisconnected() {
        ThingId car = provisioned();

        await(presence.disconnected(car, owner, "node-a/run-1/1", 2000));
        boolean shown =
                await(presence.connected(car, owner, "node-a/run-1/1", 1000)).orElseThrow();

        assertThat(shown).isFalse();
        assertThat(connected(car)).isFalse();
    }

    @Test
    void aLateConnectOfAnEarlierSessionDoesNotReviveTheThingAfterTheLaterSessionEnded() {
        ThingId car = provisioned();

        await(presence.connected(car, owner, "node-a/run-1/2", 1000));
        await(presence.disconnected(car, owner, "node-a/run-1/2", 2000));
        await(presence.connected(car, owner, "node-a/run-1/1", 900)); // written late: its session ended long ago

        assertThat(connected(car)).isFalse();
    }

    @Test
    void aSessionEndingBeforeItsConnectLandsEndsTheEarlierSessionToo() {
        ThingId car = provisioned();

        await(presence.connected(car, owner, "node-a/run-1/1", 1000));
        await(presence.disconnected(car, owner, "node-a/run-1/2", 3000)); // session 2 took over from 1 and ended
        await(presence.disconnected(car, owner, "node-a/run-1/1", 2000)); // superseded
        await(presence.connected(car, owner, "node-a/run-1/2", 2500)); // late

        assertThat(connected(car)).isFalse();
        assertThat(await(presence.status(car)).orElseThrow().lastDisconnectedAt())
                .isEqualTo(3000L);
    }

    @Test
    void aThingThatReconnectsIsConnectedAndItsOldSessionsLateDisconnectChangesNothing() {
        ThingId car = provisioned();

        await(presence.connected(car, owner, "node-a/run-1/1", 1000));
        await(presence.connected(car, owner, "node-a/run-1/2", 1500));
        boolean counted =
                await(presence.disconnected(car, owner, "node-a/run-1/1", 1600)).orElseThrow();

        assertThat(counted).isFalse();
        assertThat(connected(car)).isTrue();
    }

    @Test
    void theCurrentSessionIsTheLastOneConnectedWhereverItWasAndStaysAfterItsDisconnect() {
        ThingId car = provisioned();
        assertThat(await(presence.currentSession(car)).orElseThrow()).isEmpty();

        await(presence.connected(car, owner, "node-a/run-1/1", 1000));
        await(presence.connected(car, owner, "node-b/run-1/1", 1500));
        await(presence.disconnected(car, owner, "node-a/run-1/1", 1600)); // the old session's late goodbye

        assertThat(await(presence.currentSession(car)).orElseThrow()).hasValue("node-b/run-1/1");
        await(presence.disconnected(car, owner, "node-b/run-1/1", 1700));
        assertThat(await(presence.currentSession(car)).orElseThrow()).hasValue("node-b/run-1/1");
    }

    @Test
    void aConnectOnAnotherNodeOrRunAlwaysCounts() {
        ThingId car = provisioned();

        await(presence.connected(car, owner, "node-a/run-1/9", 1000));
        await(presence.connected(car, owner, "node-b/run-7/1", 1500));

        assertThat(connected(car)).isTrue();
        assertThat(await(presence.disconnected(car, owner, "node-a/run-1/9", 1600))
                        .orElseThrow())
                .isFalse();
        assertThat(connected(car)).isTrue();
    }

    @Test
    void aRestartedNodeEndsWhatItsEarlierRunsLeftConnectedAndNothingElse() {
        ThingId leftByEarlierRun = provisioned();
        ThingId ofThisRun = provisioned();
        ThingId ofAnotherNode = provisioned();
        ThingId alreadyGone = provisioned();
        await(presence.connected(leftByEarlierRun, owner, "node-a/run-1/1", 1000));
        await(presence.connected(ofThisRun, owner, "node-a/run-2/1", 1000));
        await(presence.connected(ofAnotherNode, owner, "node-b/run-1/1", 1000));
        await(presence.connected(alreadyGone, owner, "node-a/run-1/2", 1000));
        await(presence.disconnected(alreadyGone, owner, "node-a/run-1/2", 1500));

        List<Boolean> ended = List.of(leftByEarlierRun, ofThisRun, ofAnotherNode, alreadyGone).stream()
                .map(thing -> await(presence.endEarlierRun(thing, owner, "node-a", "node-a/run-2/", 5000))
                        .orElseThrow())
                .toList();

        assertThat(ended).containsExactly(true, false, false, false);
        assertThat(connected(leftByEarlierRun)).isFalse();
        assertThat(await(presence.status(leftByEarlierRun)).orElseThrow().lastDisconnectedAt())
                .isEqualTo(5000L);
        assertThat(connected(ofThisRun)).isTrue();
        assertThat(connected(ofAnotherNode)).isTrue();
        assertThat(await(presence.status(alreadyGone)).orElseThrow().lastDisconnectedAt())
                .isEqualTo(1500L);
        assertThat(presence.thingsWithPresence()).contains(leftByEarlierRun, ofThisRun, ofAnotherNode, alreadyGone);
    }

    @Test
    void aWriteArrivingAfterTheThingWasDeletedLeavesNoPresenceBehind() {
        ThingId car = provisioned();
        await(presence.connected(car, owner, "node-a/run-1/1", 1000));
        await(store.things().deprovision(car));

        await(presence.connected(car, owner, "node-a/run-1/2", 2000));
        await(presence.disconnected(car, owner, "node-a/run-1/3", 3000));
        provision(store, car, "car", owner); // the same id again, a new thing

        assertThat(await(presence.status(car)).orElseThrow()).isEqualTo(PresenceStatus.NEVER_SEEN);
    }

    private ThingId provisioned() {
        ThingId car = freshThing("car");
        provision(store, car, "car", owner);
        return car;
    }

    private boolean connected(ThingId thing) {
        return await(presence.status(thing)).orElseThrow().connected();
    }
}
