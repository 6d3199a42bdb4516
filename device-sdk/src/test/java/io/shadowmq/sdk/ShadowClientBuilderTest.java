package io.shadowmq.sdk;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShadowClientBuilderTest {

    @Test
    void everySettingReturnsANewBuilderAndLeavesTheOldOneAlone() {
        // given
        ShadowClientBuilder base = ShadowClient.builder().host("broker.local");

        // when
        ShadowClientBuilder car = base.thing("car-1");

        // then
        assertThat(car).isNotSameAs(base);
        assertThatThrownBy(base::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("thing(..) and secret(..)");
    }

    @Test
    void anInvalidThingIdIsRefusedWhenItIsSet() {
        assertThatThrownBy(() -> ShadowClient.builder().thing("car/1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid id");
    }

    @Test
    void anUnknownTypeNamesTheBundledOnes() {
        assertThatThrownBy(() -> ShadowClient.builder().type("toaster"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[car, fridge, speaker, washer]");
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> ShadowClient.builder().port(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShadowClient.builder().requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShadowClient.builder().updatesPerSecond(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShadowClient.builder().offlineBufferBytes(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShadowClient.builder().reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientIsBuiltWithoutConnecting() {
        try (ShadowClient client =
                ShadowClient.builder().thing("car-1").secret("s").port(1).build()) {
            assertThat(client.thingId()).isEqualTo("car-1");
            assertThat(client.isConnected()).isFalse();
        }
    }
}
