package io.shadowmq.service.things;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.registry.ThingPage;
import io.shadowmq.store.registry.ThingRecord;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThingListerTest {

    @Test
    void mergingTakesTheFirstIdsOfAllHouseholds() {
        Outcome<ThingPage> merged = ThingLister.merge(List.of(page("a", "b", "e"), page("c", "d")), 3);

        assertThat(ids(merged)).containsExactly("a", "b", "c");
        assertThat(merged.orElseThrow().nextCursor()).isEqualTo("c");
    }

    @Test
    void theLastMergedPageHasNoCursor() {
        Outcome<ThingPage> merged = ThingLister.merge(List.of(page("a"), page("b")), 3);

        assertThat(ids(merged)).containsExactly("a", "b");
        assertThat(merged.orElseThrow().nextCursor()).isNull();
    }

    @Test
    void aHouseholdWithMoreKeepsTheCursorEvenWhenThePageIsNotFull() {
        ThingPage truncated = new ThingPage(List.of(thing("a")), "a");

        Outcome<ThingPage> merged = ThingLister.merge(List.of(Outcome.ok(truncated), page("b")), 5);

        assertThat(merged.orElseThrow().nextCursor()).isEqualTo("b");
    }

    @Test
    void aFailedHouseholdFailsTheMerge() {
        Outcome<ThingPage> merged =
                ThingLister.merge(List.of(page("a"), Outcome.rejected(Rejection.storeUnavailable("down"))), 5);

        assertThat(merged).isInstanceOf(Outcome.Rejected.class);
    }

    private static Outcome<ThingPage> page(String... ids) {
        return Outcome.ok(
                new ThingPage(Arrays.stream(ids).map(ThingListerTest::thing).toList(), null));
    }

    private static ThingRecord thing(String id) {
        return new ThingRecord(ThingId.of(id), "car", Owner.of("o"), 1);
    }

    private static List<String> ids(Outcome<ThingPage> page) {
        return page.orElseThrow().items().stream()
                .map(thing -> thing.thingId().value())
                .toList();
    }
}
