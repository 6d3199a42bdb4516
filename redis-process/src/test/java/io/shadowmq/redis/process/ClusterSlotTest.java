package io.shadowmq.redis.process;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterSlotTest {

    @Test
    void slotOfAKeyIsTheOneRedisDocumentsForIt() {
        assertThat(ClusterSlot.of("somekey")).isEqualTo(11058);
        assertThat(ClusterSlot.of("foo{hash_tag}")).isEqualTo(2515);
    }

    @Test
    void keysWithTheSameHashTagShareASlot() {
        assertThat(ClusterSlot.of("shadow:{thing-1}:doc"))
                .isEqualTo(ClusterSlot.of("thing-1"))
                .isEqualTo(ClusterSlot.of("clienttoken:{thing-1}:abc"));
    }

    @Test
    void anEmptyHashTagIsNoTagAndOnlyTheFirstTagCounts() {
        assertThat(ClusterSlot.of("a{}b")).isNotEqualTo(ClusterSlot.of(""));
        assertThat(ClusterSlot.of("{x}{y}")).isEqualTo(ClusterSlot.of("x"));
        assertThat(ClusterSlot.of("{x")).isNotEqualTo(ClusterSlot.of("x"));
    }
}
