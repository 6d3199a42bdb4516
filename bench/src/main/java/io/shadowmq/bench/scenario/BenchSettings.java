package io.shadowmq.bench.scenario;

import org.jetbrains.annotations.NotNull;

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
        int warmupThings) {

    public BenchSettings {
        rates = List.copyOf(rates);
        if (things < 1 || deltaThings < 1 || restClients < 1 || idleThings < 1) {
            throw new IllegalArgumentException("thing and client counts must be at least 1");
        }
        if (rates.isEmpty() || rates.stream().anyMatch(rate -> rate <= 0)) {
            throw new IllegalArgumentException("rates must be positive, got " + rates);
        }
    }
}
