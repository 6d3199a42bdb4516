package io.shadowmq.store;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.store.due.DueClaim;
import io.shadowmq.store.due.DueIndex;
import io.shadowmq.store.due.DueMember;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.shadowmq.store.StoreFixture.await;
import static io.shadowmq.store.StoreFixture.freshThing;
import static org.assertj.core.api.Assertions.assertThat;

/** The due index and the sweeper on a real Redis, with a clock the test moves. */
class DueIndexTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    static final ManualClock clock = ManualClock.atNow();
    static ShadowStore store;

    @BeforeAll
    static void connect() {
        store = ShadowStore.connect(StoreFixture.config(redis.uri()), StoreFixture.MODELS, clock);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static List<DueMember> claimedOf(Outcome<List<DueClaim>> claimed, ThingId thing) {
        return claimed.orElseThrow().stream()
                .map(DueClaim::member)
                .filter(member -> member.thing().equals(thing))
                .toList();
    }

    private static DueClaim claimOf(Outcome<List<DueClaim>> claimed, DueMember member) {
        return claimed.orElseThrow().stream()
                .filter(claim -> claim.member().equals(member))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aScheduleKeepsTheEarliestTimeAndAClaimHoldsForItsLease() {
        DueIndex due = store.due();
        ThingId car = freshThing("car");
        DueMember member = DueMember.of("test", car);
        long now = clock.millis();
        await(due.schedule(member, now + 5_000)).orElseThrow();
        await(due.schedule(member, now + 9_000)).orElseThrow();
        assertThat(await(due.dueAt(car, member.member())).orElseThrow()).contains(now + 5_000);

        assertThat(claimedOf(await(due.claim(now + 4_999, 100, Duration.ofSeconds(30))), car))
                .isEmpty();
        assertThat(claimedOf(await(due.claim(now + 5_000, 100, Duration.ofSeconds(30))), car))
                .containsExactly(member);
        // Claimed: nobody else gets it within the lease, anyone after it (its claimer may have died).
        assertThat(claimedOf(await(due.claim(now + 20_000, 100, Duration.ofSeconds(30))), car))
                .isEmpty();
        DueClaim claim = claimOf(await(due.claim(now + 35_000, 100, Duration.ofSeconds(30))), member);

        assertThat(await(due.settle(claim, null)).orElseThrow()).isTrue();
        assertThat(await(due.dueAt(car, member.member())).orElseThrow()).isEmpty();
    }

    @Test
    void aScheduleMadeSinceTheClaimWinsOverItsSettlement() {
        DueIndex due = store.due();
        ThingId car = freshThing("car");
        DueMember member = DueMember.of("test", car);
        long now = clock.millis();
        await(due.schedule(member, now)).orElseThrow();
        DueClaim claim = claimOf(await(due.claim(now, 100, Duration.ofSeconds(30))), member);

        await(due.schedule(member, now + 1_000)).orElseThrow(); // earlier than the lease's end: ZADD LT takes it
        assertThat(await(due.settle(claim, null)).orElseThrow()).isFalse();

        assertThat(await(due.dueAt(car, member.member())).orElseThrow()).contains(now + 1_000);
    }

    @Test
    void theSweeperHandsEachKindToItsHandlerAndSchedulesWhatItAnswers() {
        ThingId car = freshThing("car");
        DueMember member = DueMember.of(DueMember.DESIRED, car);
        List<DueMember> seen = new CopyOnWriteArrayList<>();
        long now = clock.millis();
        store.sweeper().handle(DueMember.DESIRED, (due, at) -> {
            seen.add(due);
            Optional<Long> next = seen.size() == 1 ? Optional.of(at + 60_000) : Optional.empty();
            return CompletableFuture.completedFuture(Outcome.ok(next));
        });
        await(store.due().schedule(member, now)).orElseThrow();

        await(store.sweeper().sweep());
        assertThat(seen).containsExactly(member);
        assertThat(await(store.due().dueAt(car, member.member())).orElseThrow()).contains(now + 60_000);

        clock.advance(Duration.ofSeconds(61));
        await(store.sweeper().sweep());
        assertThat(seen).containsExactly(member, member);
        assertThat(await(store.due().dueAt(car, member.member())).orElseThrow()).isEmpty();
    }

    @Test
    void startingTheSweeperTwiceIsHarmlessAndClosingTheStoreStopsIt() {
        try (ShadowStore other = ShadowStore.connect(StoreFixture.config(redis.uri()), StoreFixture.MODELS)) {
            other.startSweeper();
            other.startSweeper();
            assertThat(other.sweeper().isRunning()).isTrue();
            other.close();
            assertThat(other.sweeper().isRunning()).isFalse();
        }
    }
}
