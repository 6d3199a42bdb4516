package io.shadowmq.sdk.examples;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * How the inside of a fridge follows its setting: it converges to the target temperature, super-cool drives it
 * {@value #SUPER_COOL_DROP_CELSIUS} degrees lower, and an open door lets it warm towards the kitchen.
 *
 * <pre>{@code
 * FridgeState later = FridgeThermalModel.step(new FridgeState(8, 4, false, false), Duration.ofMinutes(15));
 * later.temperature();  // about 5.5
 * }</pre>
 */
public final class FridgeThermalModel {

    static final double SUPER_COOL_DROP_CELSIUS = 3;
    static final double KITCHEN_CELSIUS = 21;
    static final Duration COOLING_TIME_CONSTANT = Duration.ofMinutes(15);
    static final Duration OPEN_DOOR_TIME_CONSTANT = Duration.ofMinutes(10);

    private FridgeThermalModel() {}

    /** The temperature the compressor works towards. */
    public static double setpoint(@NotNull FridgeState state) {
        return state.targetTemperature() - (state.superCoolOn() ? SUPER_COOL_DROP_CELSIUS : 0);
    }

    public static @NotNull FridgeState step(@NotNull FridgeState state, @NotNull Duration dt) {
        double temperature = state.doorOpen()
                ? CabinThermalModel.approach(state.temperature(), KITCHEN_CELSIUS, dt, OPEN_DOOR_TIME_CONSTANT)
                : CabinThermalModel.approach(state.temperature(), setpoint(state), dt, COOLING_TIME_CONSTANT);
        return new FridgeState(temperature, state.targetTemperature(), state.superCoolOn(), state.doorOpen());
    }
}
