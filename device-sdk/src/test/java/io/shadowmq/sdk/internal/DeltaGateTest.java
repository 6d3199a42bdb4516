package io.shadowmq.sdk.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeltaGateTest {

    @Test
    void eachVersionIsAdmittedOnce() {
        DeltaGate gate = new DeltaGate();

        assertThat(gate.admit(7)).isTrue();
        assertThat(gate.admit(7)).isFalse();
    }

    @Test
    void aStaleDeltaArrivingLateIsIgnored() {
        DeltaGate gate = new DeltaGate();
        gate.admit(9);

        assertThat(gate.admit(8)).isFalse();
        assertThat(gate.admit(10)).isTrue();
    }

    @Test
    void aDocumentWithoutDeltaMakesOlderDeltasStale() {
        // given: the shadow read after a reconnect is at version 12 and the device has nothing to do
        DeltaGate gate = new DeltaGate();
        gate.admit(5);

        // when
        gate.seen(12);

        // then: a delta of version 11 that was still on its way is old news
        assertThat(gate.admit(11)).isFalse();
        assertThat(gate.admit(13)).isTrue();
    }

    @Test
    void seeingAnOlderDocumentDoesNotMoveTheGateBack() {
        DeltaGate gate = new DeltaGate();
        gate.admit(9);

        gate.seen(3);

        assertThat(gate.highestSeen()).isEqualTo(9);
    }

    @Test
    void theFirstDeltaOfAShadowAtVersionZeroOrMoreIsAdmitted() {
        assertThat(new DeltaGate().admit(0)).isTrue();
    }
}
