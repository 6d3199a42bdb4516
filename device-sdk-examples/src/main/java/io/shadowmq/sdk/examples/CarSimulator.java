package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parked car on a winter morning: the fuel level drifts down (faster while the parking heater runs), the range
 * follows it, doors and windows are closed and the household may lock or unlock the doors, and the heater, once
 * switched on from home, warms the cabin towards its target temperature ({@link CabinThermalModel}).
 *
 * <pre>{@code
 * java -cp device-sdk-all.jar io.shadowmq.sdk.examples.CarSimulator --host localhost --port 1883 \
 *      --thing car-1 --secret $SECRET --time-scale 60
 * }</pre>
 */
public final class CarSimulator implements SimulatedDevice {

    static final List<String> DOORS = List.of("frontLeft", "frontRight", "rearLeft", "rearRight", "trunk");
    static final List<String> WINDOWS = List.of("frontLeft", "frontRight", "rearLeft", "rearRight");
    /** Marienplatz, Munich. */
    static final double LATITUDE = 48.137154;

    static final double LONGITUDE = 11.576124;

    private CabinState cabin;
    private double fuelPercent;
    private final Map<String, Boolean> doorLocked = new LinkedHashMap<>();

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
    public void onDesired(@NotNull ObjectNode delta) {
        JsonNode heater = delta.path("cabin").path("heater");
        boolean on = heater.path("isOn").isBoolean() ? heater.get("isOn").booleanValue() : cabin.heaterOn();
        double target = heater.path("targetTemperature").isNumber()
                ? heater.get("targetTemperature").doubleValue()
                : cabin.targetTemperature();
        cabin = cabin.withHeater(on, target);
        for (String door : DOORS) {
            JsonNode locked = delta.path("doors").path(door).path("isLocked");
            if (locked.isBoolean()) {
                doorLocked.put(door, locked.booleanValue());
            }
        }
    }

    @Override
    public void advance(@NotNull Duration simulated) {
        fuelPercent = FuelModel.step(fuelPercent, cabin.heaterOn(), simulated);
        cabin = CabinThermalModel.step(cabin, simulated);
    }

    /** Sensors report one decimal; finer changes are noise and would make a report every tick. */
    static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
