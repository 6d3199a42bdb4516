/**
 * Simulated things built only on the public SDK - a car, a speaker, a fridge and a washer - each runnable from the
 * command line and embeddable with {@link io.shadowmq.sdk.examples.DeviceSimulator}. Their physics are small pure
 * classes ({@link io.shadowmq.sdk.examples.CabinThermalModel}, {@link io.shadowmq.sdk.examples.FridgeThermalModel},
 * {@link io.shadowmq.sdk.examples.WasherCycle}, {@link io.shadowmq.sdk.examples.FuelModel}).
 *
 * <pre>{@code
 * java -cp device-sdk-all.jar io.shadowmq.sdk.examples.CarSimulator --host localhost --thing car-1 --time-scale 60
 * }</pre>
 */
package io.shadowmq.sdk.examples;
