package io.shadowmq.model.shadow;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShadowLimitsTest {

    @Test
    void theDefaultsAreTheContractsLimits() {
        assertThat(ShadowLimits.DEFAULT).isEqualTo(new ShadowLimits(65536, 32768, 8));
    }

    @Test
    void limitsTheReaderCannotHonourAreRefused() {
        // The reader stops at 64 KiB and at 16 JSON levels, two of which are the payload root and state.
        assertThatThrownBy(() -> new ShadowLimits(65537, 32768, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShadowLimits(65536, 32768, 15)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ShadowLimits(65536, 32768, 14).maxStateDepth()).isEqualTo(14);
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new ShadowLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShadowLimits(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShadowLimits(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
