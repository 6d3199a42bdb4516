package io.shadowmq.bench.scenario;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every knob of one bench run, as the command line set them.
 *
 * @param things          devices in the {@code updates}/{@code echo}/{@code peer}/{@code connect-storm} fleets
 * @param rates           the rate ladder, total requests per second, ascending
 * @param stepDuration    how long each rate step sends
 * @param p99LimitMillis  a step whose p99 exceeds this has not held
 * @param deltaRate       PATCHes per second in {@code delta}
 * @param deltaThings     devices receiving deltas
 * @param restClients     concurrent HTTP clients in {@code rest-read}
 * @param idleThings      devices connected in {@code idle}
 * @param updatesPerSecondPerThing the extension's per-thing rate limit for the run
 * @param drain           how long a step waits for its last answers
 * @param pause           the pause between ladder steps
 * @param warmupThings    devices that connect first, so a storm does not measure the generator's JIT
 * @param costRate        the fixed rate of {@code cost}, requests/s
 * @param costSettle      how long {@code cost} runs at that rate before it measures (not counted; 0 for no settling)
 * @param costWindow      how long {@code cost} measures
 * @param recoveryRate    the held rate {@code recovery} derives its profile from when {@code updates} did not run
 * @param recoveryColdStart the cold-start phase of {@code recovery}
 * @param recoveryOverload  its overload phase
 * @param recoveryAfter     its phase after the overload
 * @param redisServer     the redis-server binary of the platform and {@code floor-redis}; {@code null} for the one the
 *                        platform picks (PATH first, then the bundled one)
 */
public record BenchSettings(
        int things,
        @NotNull List<Double> rates,
        @NotNull Duration stepDuration,
        double p99LimitMillis,
        double deltaRate,
        int deltaThings,
        int restClients,
        int idleThings,
        int updatesPerSecondPerThing,
        @NotNull Duration drain,
        @NotNull Duration pause,
        int warmupThings,
        double costRate,
        @NotNull Duration costSettle,
        @NotNull Duration costWindow,
        double recoveryRate,
        @NotNull Duration recoveryColdStart,
        @NotNull Duration recoveryOverload,
        @NotNull Duration recoveryAfter,
        @Nullable Path redisServer) {

    public BenchSettings {
        rates = List.copyOf(rates);
        if (things < 1 || deltaThings < 1 || restClients < 1 || idleThings < 1) {
            throw new IllegalArgumentException("thing and client counts must be at least 1");
        }
        if (rates.isEmpty() || rates.stream().anyMatch(rate -> rate <= 0)) {
            throw new IllegalArgumentException("rates must be positive, got " + rates);
        }
        if (!(costRate > 0) || !(recoveryRate > 0)) {
            throw new IllegalArgumentException(
                    "cost and recovery rates must be positive, got " + costRate + " and " + recoveryRate);
        }
        if (costSettle.isNegative()) {
            throw new IllegalArgumentException("the cost settle period must not be negative, got " + costSettle);
        }
        for (Duration phase : List.of(costWindow, recoveryColdStart, recoveryOverload, recoveryAfter)) {
            if (phase.toSeconds() < 1) {
                throw new IllegalArgumentException("cost and recovery durations must be at least 1 s, got " + phase);
            }
        }
    }
}
