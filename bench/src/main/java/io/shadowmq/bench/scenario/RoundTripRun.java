package io.shadowmq.bench.scenario;

import io.shadowmq.bench.load.RateLadder;
import io.shadowmq.bench.mqtt.ConnectStorm;
import org.jetbrains.annotations.NotNull;

/**
 * One target's round-trip measurement: its connect storm, its rate ladder, and how many requests the per-thing
 * limiter refused (0 unless the limit was set too low).
 */
public record RoundTripRun(
        @NotNull String target,
        @NotNull ConnectStorm storm,
        @NotNull RateLadder.Result ladder,
        long rateLimited) {}
