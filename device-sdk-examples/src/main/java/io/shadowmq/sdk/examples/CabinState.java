package io.shadowmq.sdk.examples;

/**
 * What the car's cabin climate is now.
 *
 * <pre>{@code new CabinState(-2.0, -2.0, true, 21.0)  // a cold car, heater just switched on}</pre>
 *
 * @param temperature        inside the cabin, degrees Celsius
 * @param outsideTemperature around the car, degrees Celsius
 * @param heaterOn           whether the parking heater runs
 * @param targetTemperature  what the heater aims for, degrees Celsius
 */
public record CabinState(double temperature, double outsideTemperature, boolean heaterOn, double targetTemperature) {

    public CabinState withHeater(boolean on, double target) {
        return new CabinState(temperature, outsideTemperature, on, target);
    }
}
