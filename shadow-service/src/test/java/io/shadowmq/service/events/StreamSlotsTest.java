package io.shadowmq.service.events;

import io.shadowmq.model.shadow.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamSlotsTest {

    @Test
    void aKeyGetsSlotsUpToItsCapAndThenA429NamingTheSetting() {
        StreamSlots slots = new StreamSlots(10, 2);

        assertThat(slots.acquire("k1")).isInstanceOf(Outcome.Ok.class);
        assertThat(slots.acquire("k1")).isInstanceOf(Outcome.Ok.class);
        Outcome<StreamSlots.Slot> third = slots.acquire("k1");

        assertThat(third).isInstanceOfSatisfying(Outcome.Rejected.class, refused -> {
            assertThat(refused.rejection().code()).isEqualTo(429);
            assertThat(refused.rejection().message()).contains("key k1").contains("sse.maxStreamsPerKey");
        });
        assertThat(slots.acquire("k2")).as("another key").isInstanceOf(Outcome.Ok.class);
        assertThat(slots.open()).isEqualTo(3);
        assertThat(slots.refused()).isEqualTo(1);
    }

    @Test
    void theServiceCapHoldsAcrossKeys() {
        StreamSlots slots = new StreamSlots(2, 5);
        slots.acquire("k1");
        slots.acquire("k2");

        Outcome<StreamSlots.Slot> third = slots.acquire("k3");

        assertThat(third)
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class,
                        refused -> assertThat(refused.rejection().message()).contains("sse.maxStreams"));
        assertThat(slots.open()).as("a refusal takes no slot").isEqualTo(2);
    }

    @Test
    void aReleasedSlotIsFreeAgainAndReleasingTwiceFreesOnlyOne() {
        StreamSlots slots = new StreamSlots(10, 1);
        StreamSlots.Slot first = slots.acquire("k1").orElseThrow();
        slots.acquire("k2").orElseThrow();

        first.release();
        first.release();

        assertThat(slots.open()).isEqualTo(1);
        assertThat(slots.acquire("k1")).isInstanceOf(Outcome.Ok.class);
        assertThat(slots.acquire("k2"))
                .as("k2's slot was not freed by k1's double release")
                .isInstanceOf(Outcome.Rejected.class);
    }
}
