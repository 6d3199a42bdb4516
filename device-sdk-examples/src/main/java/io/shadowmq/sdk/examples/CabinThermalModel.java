package io.shadowmq.sdk.examples;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * How a parked car's cabin warms and cools. With the heater on and the cabin colder than the target, the cabin warms
 * towards a point above the target (the heater blows hot air) and the thermostat stops it at the target; otherwise it
 * drifts towards the outside temperature, more slowly, but with the heater on never below the target. Newton's law of
 * cooling, solved exactly for the step, so the result does not depend on how the time is cut into steps.
 *
 * <pre>{@code
 * CabinState later = CabinThermalModel.step(new CabinState(-2, -2, true, 21), Duration.ofMinutes(5));
 * later.temperature();  // about 13 degrees; the target 21 is reached after about 9.5 minutes
 * }</pre>
 */
public final class CabinThermalModel {

    /** The heater's time constant: the gap to its hot-air temperature shrinks by 1/e every 8 minutes. */
    static final Duration HEATING_TIME_CONSTANT = Duration.ofMinutes(8);
    /** Without heating the cabin follows the outside air with this time constant. */
    static final Duration COOLING_TIME_CONSTANT = Duration.ofMinutes(45);
    /** How much hotter than the target the heater's air is. */
    static final double HEATER_OVERDRIVE_CELSIUS = 10;

    private CabinThermalModel() {}

    public static @NotNull CabinState step(@NotNull CabinState state, @NotNull Duration dt) {
        double temperature = state.temperature();
        if (state.heaterOn() && temperature < state.targetTemperature()) {
            Duration toTarget = timeToReach(
                    temperature,
                    state.targetTemperature(),
                    state.targetTemperature() + HEATER_OVERDRIVE_CELSIUS,
                    HEATING_TIME_CONSTANT);
            if (dt.compareTo(toTarget) < 0) {
                temperature = approach(
                        temperature, state.targetTemperature() + HEATER_OVERDRIVE_CELSIUS, dt, HEATING_TIME_CONSTANT);
            } else {
                // The thermostat switches off at the target; the rest of the step it holds it.
                temperature = state.targetTemperature();
            }
        } else {
            temperature = approach(temperature, state.outsideTemperature(), dt, COOLING_TIME_CONSTANT);
            if (state.heaterOn()) {
                temperature = Math.max(temperature, Math.min(state.targetTemperature(), state.temperature()));
            }
        }
        return new CabinState(temperature, state.outsideTemperature(), state.heaterOn(), state.targetTemperature());
    }

    /** Exponential approach of {@code from} to {@code towards} over {@code dt}. */
    static double approach(double from, double towards, Duration dt, Duration timeConstant) {
        return towards + (from - towards) * Math.exp(-seconds(dt) / seconds(timeConstant));
    }

    /** How long the approach of {@code from} to {@code towards} takes to pass {@code level}. */
    private static Duration timeToReach(double from, double level, double towards, Duration timeConstant) {
        double seconds = seconds(timeConstant) * Math.log((towards - from) / (towards - level));
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
