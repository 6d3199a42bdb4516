package io.shadowmq.bench.scenario;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripLoadTest {

    @Test
    void readsTheCodeOfARejection() {
        assertThat(RoundTripLoad.codeOf("{\"code\":503,\"message\":\"busy\",\"clientToken\":\"s1-2\"}"))
                .isEqualTo(503);
        assertThat(RoundTripLoad.codeOf("{\"code\": 429,\"message\":\"slow down\"}"))
                .isEqualTo(429);
        assertThat(RoundTripLoad.codeOf("{\"message\":\"no code\"}")).isZero();
    }
}
