package io.shadowmq.sdk.examples;

/**
 * What the fridge is doing now.
 *
 * <pre>{@code new FridgeState(7.5, 4.0, false, false)  // just plugged in, cooling down to 4 degrees}</pre>
 *
 * @param temperature       inside, degrees Celsius
 * @param targetTemperature what it keeps, degrees Celsius
 * @param superCoolOn       full power for a while, e.g. after a big shopping trip
 * @param doorOpen          whether the door stands open
 */
public record FridgeState(double temperature, double targetTemperature, boolean superCoolOn, boolean doorOpen) {}
