package io.shadowmq.bench.mqtt;

import io.shadowmq.bench.load.Percentiles;
import org.jetbrains.annotations.NotNull;

/**
 * A fleet connecting all at once: how many got a successful CONNACK, how long until the last one did, and the
 * distribution of each device's time from the storm's start to its CONNACK.
 */
public record ConnectStorm(
        int devices,
        int connected,
        int failed,
        double seconds,
        @NotNull Percentiles latency) {

    /** Connections per second over the whole storm. */
    public double rate() {
        return seconds <= 0 ? 0 : connected / seconds;
    }
}
