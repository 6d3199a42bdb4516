package io.shadowmq.sdk.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectBackoffTest {

    @Test
    void theCeilingDoublesFromTheInitialDelayUpToTheMaximum() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999);

        assertThat(IntStream.rangeClosed(1, 9).mapToObj(attempt -> Duration.ofNanos(backoff.ceiling(attempt))))
                .containsExactly(
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30));
    }

    @Test
    void eachDelayIsJitteredBetweenHalfAndAllOfItsCeiling() {
        ReconnectBackoff lowest = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 0.0);
        ReconnectBackoff highest = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 0.9999999);

        assertThat(lowest.delay(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(highest.delay(3)).isBetween(Duration.ofMillis(3999), Duration.ofSeconds(4));
    }

    @Test
    void attemptsForeverNeverOverflowOrExceedTheMaximum() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(1), Duration.ofDays(1), () -> 0.5);

        assertThat(backoff.delay(Integer.MAX_VALUE)).isBetween(Duration.ofHours(12), Duration.ofDays(1));
    }

    @Test
    void aMaximumBelowTheInitialDelayIsAConfigurationError() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1), () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
