package io.shadowmq.store;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.presence.BrokerLeases;
import io.shadowmq.store.presence.LeaseReaper;
import io.shadowmq.store.presence.PresenceStatus;
import io.shadowmq.store.presence.PresenceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshOwner;
import static io.shadowmq.store.StoreFixture.freshThing;
import static io.shadowmq.store.StoreFixture.provision;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker run that dies without recording its disconnects (its lease expires) has the things it left connected
 * marked disconnected by any reaper - once, whoever and however many reap - while things that reconnected
 * elsewhere stay connected; and a run that was only paused shows what it still holds connected again. Run against
 * one Redis ({@link BrokerLeaseTest}) and a Redis Cluster ({@link BrokerLeaseOnClusterTest}), where a run's keys and
 * each thing's keys live in different slots.
 */
abstract class BrokerLeaseContract {

    private static final Duration SHORT_LEASE = Duration.ofMillis(150);
    private static final long NOTICED_AT = 1_800_000_000_000L;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final ShadowStore store = store();
    private final PresenceStore presence = store.presence();
    private final BrokerLeases leases = store.leases();
    private final Owner owner = freshOwner();
    private final Clock noticeClock = Clock.fixed(Instant.ofEpochMilli(NOTICED_AT), ZoneOffset.UTC);
    private final List<LeaseReaper> reapers = new ArrayList<>();

    /** The store under test, shared by the test class. */
    abstract ShadowStore store();

    @AfterEach
    void closeReapers() {
        reapers.forEach(LeaseReaper::close);
    }

    @Test
    void aRunWhoseLeaseExpiredHasItsThingsMarkedDisconnectedAtTheTimeItWasNoticed() throws Exception {
        String run = freshRun("node-a");
        ThingId car = connectedUnder(run, 1);
        ThingId fridge = connectedUnder(run, 2);
        int partition = store.feed().partitionOf(owner);
        String before = await(store.feed().latestId(partition)).orElseThrow();

        leaseExpires(run);
        int ended = reaper(null).reapDeadRuns();

        assertThat(ended).isGreaterThanOrEqualTo(2);
        assertThat(status(car)).isEqualTo(new PresenceStatus(false, 1000L, NOTICED_AT));
        assertThat(status(fridge).connected()).isFalse();
        List<FeedEvent> announced = await(store.feed().readAfter(partition, before, 100)).orElseThrow().stream()
                .filter(event -> event.thing().equals(car))
                .toList();
        assertThat(announced).extracting(FeedEvent::kind).containsExactly(FeedEventKind.PRESENCE);
        assertThat(announced.get(0).rawBody()).contains("\"connected\":false").contains(Long.toString(NOTICED_AT));
        assertThat(await(leases.runs()).orElseThrow()).doesNotContain(run);
    }

    @Test
    void aThingThatReconnectedElsewhereBeforeItsOldBrokerWasReapedStaysConnected() throws Exception {
        String dead = freshRun("node-a");
        String survivor = freshRun("node-b");
        renew(survivor, Duration.ofMinutes(1));
        ThingId car = connectedUnder(dead, 1);
        await(presence.connected(car, owner, survivor + "/1", 2000)).orElseThrow();

        leaseExpires(dead);
        reaper(null).reapDeadRuns();

        assertThat(status(car)).isEqualTo(new PresenceStatus(true, 2000L, null));
    }

    @Test
    void aRunThatHoldsItsLeaseIsNotReaped() {
        String alive = freshRun("node-a");
        renew(alive, Duration.ofMinutes(1));
        ThingId car = connectedUnder(alive, 1);

        reaper(null).reapDeadRuns();

        assertThat(status(car).connected()).isTrue();
    }

    @Test
    void reapersRunningAtOnceOrAgainMarkEachThingDisconnectedOnce() throws Exception {
        String run = freshRun("node-a");
        List<ThingId> held = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            held.add(connectedUnder(run, i));
        }
        int partition = store.feed().partitionOf(owner);
        String before = await(store.feed().latestId(partition)).orElseThrow();
        leaseExpires(run);

        List<CompletableFuture<Integer>> passes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            LeaseReaper reaper = reaper(null);
            passes.add(CompletableFuture.supplyAsync(reaper::reapDeadRuns));
        }
        passes.forEach(CompletableFuture::join);
        int again = reaper(null).reapDeadRuns();

        assertThat(held)
                .allSatisfy(thing -> assertThat(status(thing).connected()).isFalse());
        List<FeedEvent> disconnects = await(store.feed().readAfter(partition, before, 1000)).orElseThrow().stream()
                .filter(event -> held.contains(event.thing()))
                .toList();
        assertThat(disconnects).hasSize(held.size());
        assertThat(again).isZero();
    }

    @Test
    void aPausedRunThatTakesItsLeaseAgainShowsTheSessionsItStillHoldsConnectedAgain() throws Exception {
        String run = freshRun("node-a");
        ThingId stillHere = connectedUnder(run, 1);
        ThingId leftMeanwhile = connectedUnder(run, 2);
        leaseExpires(run);
        reaper(null).reapDeadRuns();
        await(presence.disconnected(leftMeanwhile, owner, run + "/2", 5000)).orElseThrow();

        BrokerLeases.Renewal renewal = renew(run, Duration.ofMinutes(1));
        await(presence.reasserted(stillHere, owner, run + "/1", 6000)).orElseThrow();
        await(presence.reasserted(leftMeanwhile, owner, run + "/2", 6000)).orElseThrow();

        assertThat(renewal.lost()).isTrue();
        assertThat(status(stillHere)).isEqualTo(new PresenceStatus(true, 6000L, NOTICED_AT));
        assertThat(status(leftMeanwhile)).isEqualTo(new PresenceStatus(false, 1000L, 5000L));
        assertThat(await(leases.runs()).orElseThrow()).contains(run);
        // Tagged again: should the run now die for good, the reaper finds the thing.
        leaseExpires(run);
        reaper(null).reapDeadRuns();
        assertThat(status(stillHere).connected()).isFalse();
    }

    @Test
    void aRenewalWhileTheLeaseIsHeldKeepsIt() {
        String run = freshRun("node-a");

        BrokerLeases.Renewal first = renew(run, Duration.ofMinutes(1));
        BrokerLeases.Renewal second = renew(run, Duration.ofMinutes(1));

        assertThat(first).isEqualTo(BrokerLeases.Renewal.TAKEN_AGAIN);
        assertThat(second).isEqualTo(BrokerLeases.Renewal.KEPT);
        assertThat(second.lost()).isFalse();
    }

    @Test
    void aBrokerEndsItsNodesEarlierRunAtOnceAndItsOwnRunWhenItStops() {
        String earlier = freshRun("node-c");
        String node = earlier.substring(0, earlier.indexOf('/'));
        String current = node + "/now-" + RUNS.incrementAndGet();
        renew(earlier, Duration.ofMinutes(1)); // restarted within the lease: it has not expired yet
        renew(current, Duration.ofMinutes(1));
        ThingId leftByEarlier = connectedUnder(earlier, 1);
        ThingId heldNow = connectedUnder(current, 1);
        LeaseReaper own = reaper(current);

        own.reapDeadRuns();
        assertThat(status(leftByEarlier).connected()).isFalse();
        assertThat(status(heldNow).connected()).isTrue();

        int ended = own.endOwnRun().join();
        assertThat(ended).isEqualTo(1);
        assertThat(status(heldNow).connected()).isFalse();
        assertThat(await(leases.runs()).orElseThrow()).doesNotContain(current, earlier);
    }

    private String freshRun(String node) {
        return node + "-" + System.nanoTime() % 1_000_000 + "/run-" + RUNS.incrementAndGet();
    }

    private ThingId connectedUnder(String run, int counter) {
        ThingId thing = freshThing("car");
        provision(store, thing, "car", owner);
        assertThat(await(presence.connected(thing, owner, run + "/" + counter, 1000))
                        .orElseThrow())
                .isTrue();
        return thing;
    }

    private BrokerLeases.Renewal renew(String run, Duration ttl) {
        return await(leases.renew(run, ttl, 1000)).orElseThrow();
    }

    /** The run took a short lease and renewed it no more (its broker was killed). */
    private void leaseExpires(String run) {
        renew(run, SHORT_LEASE);
        StoreFixture.awaitLeaseExpired(store, run);
    }

    private LeaseReaper reaper(String ownRun) {
        LeaseReaper reaper =
                new LeaseReaper(leases, presence, store.things(), noticeClock, Duration.ofSeconds(1), ownRun);
        reapers.add(reaper);
        return reaper;
    }

    private PresenceStatus status(ThingId thing) {
        return await(presence.status(thing)).orElseThrow();
    }
}
