package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.sdk.CommandFailedException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parked car on a winter morning: the fuel level drifts down (faster while the parking heater runs), the range
 * follows it, doors and windows are closed and the household may lock or unlock the doors, and the heater, once
 * switched on from home (desired {@code cabin.heater.isOn}, or the action {@code startClimatization} for a number of
 * minutes), warms the cabin towards its target temperature ({@link CabinThermalModel}). Below
 * {@value #MIN_FUEL_FOR_HEATER_PERCENT} % fuel the heater stays off: a desired heater is rejected, a climatization
 * fails.
 *
 * <pre>{@code
 * java -cp device-sdk-all.jar io.shadowmq.sdk.examples.CarSimulator --host localhost --port 1883 \
 *      --thing car-1 --secret $SECRET --time-scale 60
 * }</pre>
 */
public final class CarSimulator implements SimulatedDevice {

    static final List<String> DOORS = List.of("frontLeft", "frontRight", "rearLeft", "rearRight", "trunk");
    static final List<String> WINDOWS = List.of("frontLeft", "frontRight", "rearLeft", "rearRight");
    static final long DEFAULT_CLIMATIZATION_MINUTES = 15;
    /** Marienplatz, Munich. */
    static final double LATITUDE = 48.137154;

    static final double LONGITUDE = 11.576124;

    /** Below this fuel level the parking heater would leave too little to drive. */
    static final double MIN_FUEL_FOR_HEATER_PERCENT = 10;

    static final String LOW_FUEL = "fuel below 10 %";

    private CabinState cabin;
    private double fuelPercent;
    private final Map<String, Boolean> doorLocked = new LinkedHashMap<>();
    /** The climatization running: how long it still heats; null when none. */
    private @Nullable Duration climatizationLeft;

    private Duration climatizationTotal = Duration.ZERO;
    /** Counts climatizations, so that one knows whether the one running is still its own. */
    private long climatizations;
    /** Why the last climatization ended early, or null. */
    private @Nullable String climatizationEnded;

    /** A cold car: -2 degrees inside and out, heater off (target 21), 62 % fuel, all doors locked. */
    public CarSimulator() {
        this(new CabinState(-2.0, -2.0, false, 21.0), 62.0);
    }

    public CarSimulator(@NotNull CabinState cabin, double fuelPercent) {
        this.cabin = cabin;
        this.fuelPercent = fuelPercent;
        DOORS.forEach(door -> doorLocked.put(door, true));
    }

    public static void main(String[] args) {
        SimulatorMain.run(args, CarSimulator::new);
    }

    @Override
    public @NotNull String type() {
        return "car";
    }

    @Override
    public @NotNull ObjectNode reported() {
        ObjectNode state = SafeJson.object();
        state.put("range", FuelModel.rangeKm(fuelPercent));
        state.putObject("fuel").put("level", tenths(fuelPercent));
        ObjectNode doors = state.putObject("doors");
        doorLocked.forEach(
                (door, locked) -> doors.putObject(door).put("isOpen", false).put("isLocked", locked));
        ObjectNode windows = state.putObject("windows");
        WINDOWS.forEach(window -> windows.putObject(window).put("isOpen", false));
        ObjectNode cabinNode = state.putObject("cabin");
        cabinNode.put("temperature", tenths(cabin.temperature()));
        cabinNode.putObject("heater").put("isOn", cabin.heaterOn()).put("targetTemperature", cabin.targetTemperature());
        state.putObject("location").put("latitude", LATITUDE).put("longitude", LONGITUDE);
        state.put("exteriorTemperature", tenths(cabin.outsideTemperature()));
        return state;
    }

    @Override
    public @NotNull Map<String, String> onDesired(@NotNull ObjectNode delta) {
        Map<String, String> refused = new LinkedHashMap<>();
        JsonNode heater = delta.path("cabin").path("heater");
        boolean on = heater.path("isOn").isBoolean() ? heater.get("isOn").booleanValue() : cabin.heaterOn();
        if (on && !cabin.heaterOn() && fuelPercent < MIN_FUEL_FOR_HEATER_PERCENT) {
            refused.put("cabin.heater.isOn", LOW_FUEL);
            on = false;
        }
        double target = heater.path("targetTemperature").isNumber()
                ? heater.get("targetTemperature").doubleValue()
                : cabin.targetTemperature();
        if (!on) {
            climatizationEnded = climatizationLeft != null ? "heater switched off" : climatizationEnded;
            climatizationLeft = null;
        }
        cabin = cabin.withHeater(on, target);
        for (String door : DOORS) {
            JsonNode locked = delta.path("doors").path(door).path("isLocked");
            if (locked.isBoolean()) {
                doorLocked.put(door, locked.booleanValue());
            }
        }
        return refused;
    }

    @Override
    public void advance(@NotNull Duration simulated) {
        fuelPercent = FuelModel.step(fuelPercent, cabin.heaterOn(), simulated);
        cabin = CabinThermalModel.step(cabin, simulated);
        if (climatizationLeft != null) {
            climatizationLeft = climatizationLeft.minus(simulated);
            if (fuelPercent < MIN_FUEL_FOR_HEATER_PERCENT) {
                climatizationEnded = LOW_FUEL;
                climatizationLeft = null;
                cabin = cabin.withHeater(false, cabin.targetTemperature());
            } else if (climatizationLeft.isNegative() || climatizationLeft.isZero()) {
                climatizationLeft = null;
                cabin = cabin.withHeater(false, cabin.targetTemperature());
            }
        }
    }

    @Override
    public @NotNull Set<String> actions() {
        return Set.of("startClimatization", "lock", "unlock", "honkAndFlash");
    }

    /**
     * {@code lock} and {@code unlock} every door, {@code honkAndFlash}: done at once. {@code startClimatization
     * {"targetTemperature":21,"minutes":20}}: the heater runs for that long (progress by time), then switches off; it
     * succeeds then, and fails when the heater is switched off or the fuel runs low first.
     */
    @Override
    public @NotNull SimulatedCommand begin(@NotNull String action, @NotNull JsonNode input) {
        switch (action) {
            case "lock", "unlock" -> {
                DOORS.forEach(door -> doorLocked.put(door, action.equals("lock")));
                return SimulatedCommand.done(null);
            }
            case "honkAndFlash" -> {
                return SimulatedCommand.done(null);
            }
            case "startClimatization" -> {
                return climatize(input);
            }
            default -> {
                return SimulatedDevice.super.begin(action, input);
            }
        }
    }

    private SimulatedCommand climatize(JsonNode input) {
        if (fuelPercent < MIN_FUEL_FOR_HEATER_PERCENT) {
            throw new CommandFailedException(LOW_FUEL);
        }
        double target = input.path("targetTemperature").isNumber()
                ? input.get("targetTemperature").doubleValue()
                : cabin.targetTemperature();
        Duration total = Duration.ofMinutes(Math.max(1, input.path("minutes").asLong(DEFAULT_CLIMATIZATION_MINUTES)));
        cabin = cabin.withHeater(true, target);
        climatizationLeft = total;
        climatizationTotal = total;
        climatizationEnded = null;
        long mine = ++climatizations;
        return () -> {
            if (climatizations != mine) {
                return CommandRun.failed("another climatization was started");
            }
            if (climatizationLeft != null) {
                return CommandRun.running(
                        (int) (100 - climatizationLeft.toNanos() * 100 / climatizationTotal.toNanos()));
            }
            return climatizationEnded == null ? CommandRun.succeeded(null) : CommandRun.failed(climatizationEnded);
        };
    }

    /** Sensors report one decimal; finer changes are noise and would make a report every tick. */
    static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
