package io.shadowmq.sdk.examples;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * A parked car's tank: it loses a little fuel all the time (evaporation, standby electronics) and more while the
 * parking heater runs; the range is what the remaining fuel drives.
 *
 * <pre>{@code
 * double level = FuelModel.step(62.0, true, Duration.ofHours(1));  // 61.0
 * int km = FuelModel.rangeKm(level);                              // 366
 * }</pre>
 */
public final class FuelModel {

    static final double STANDBY_PERCENT_PER_HOUR = 0.02;
    static final double HEATER_PERCENT_PER_HOUR = 0.98;
    static final double KM_PER_PERCENT = 6.0;

    private FuelModel() {}

    /** The fuel level after {@code dt}, in percent of the tank, never below 0. */
    public static double step(double fuelPercent, boolean heaterOn, @NotNull Duration dt) {
        double hours = dt.toNanos() / 3.6e12;
        double perHour = STANDBY_PERCENT_PER_HOUR + (heaterOn ? HEATER_PERCENT_PER_HOUR : 0);
        return Math.max(0, fuelPercent - perHour * hours);
    }

    /** How far the car gets on {@code fuelPercent}, in whole kilometres. */
    public static int rangeKm(double fuelPercent) {
        return (int) Math.floor(fuelPercent * KM_PER_PERCENT);
    }
}
