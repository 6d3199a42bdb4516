package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A fridge: its temperature converges to the target the household sets, and super-cool drives it lower
 * ({@link FridgeThermalModel}): switched by desired {@code superCool.isOn}, or by the action {@code superCool} for a
 * number of hours. The door stays closed.
 *
 * <pre>{@code
 * java -cp device-sdk-all.jar io.shadowmq.sdk.examples.FridgeSimulator --thing fridge-1 --secret $SECRET
 * }</pre>
 */
public final class FridgeSimulator implements SimulatedDevice {

    static final double DEFAULT_SUPER_COOL_HOURS = 6;

    private FridgeState state;
    /** How long super-cool, switched on by the action, still runs; null when it has no end. */
    private @Nullable Duration superCoolLeft;

    /** Just closed after shopping: 7 degrees inside, target 5. */
    public FridgeSimulator() {
        this(new FridgeState(7.0, 5.0, false, false));
    }

    public FridgeSimulator(@NotNull FridgeState state) {
        this.state = state;
    }

    public static void main(String[] args) {
        SimulatorMain.run(args, FridgeSimulator::new);
    }

    @Override
    public @NotNull String type() {
        return "fridge";
    }

    @Override
    public @NotNull ObjectNode reported() {
        ObjectNode reported = SafeJson.object();
        reported.put("temperature", CarSimulator.tenths(state.temperature()));
        reported.put("targetTemperature", state.targetTemperature());
        reported.putObject("door").put("isOpen", state.doorOpen());
        reported.putObject("superCool").put("isOn", state.superCoolOn());
        return reported;
    }

    @Override
    public @NotNull Map<String, String> onDesired(@NotNull ObjectNode delta) {
        double target = delta.path("targetTemperature").isNumber()
                ? delta.get("targetTemperature").doubleValue()
                : state.targetTemperature();
        boolean superCool = delta.path("superCool").path("isOn").isBoolean()
                ? delta.get("superCool").get("isOn").booleanValue()
                : state.superCoolOn();
        if (superCool != state.superCoolOn()) {
            superCoolLeft = null; // switched by hand: no end time
        }
        state = new FridgeState(state.temperature(), target, superCool, state.doorOpen());
        return Map.of();
    }

    @Override
    public void advance(@NotNull Duration simulated) {
        state = FridgeThermalModel.step(state, simulated);
        if (superCoolLeft != null) {
            superCoolLeft = superCoolLeft.minus(simulated);
            if (superCoolLeft.isNegative() || superCoolLeft.isZero()) {
                superCoolLeft = null;
                state = new FridgeState(state.temperature(), state.targetTemperature(), false, state.doorOpen());
            }
        }
    }

    @Override
    public @NotNull Set<String> actions() {
        return Set.of("superCool");
    }

    /** {@code superCool {"hours":6}}: super-cool on now, off by itself after that many hours; done at once. */
    @Override
    public @NotNull SimulatedCommand begin(@NotNull String action, @NotNull JsonNode input) {
        if (!action.equals("superCool")) {
            return SimulatedDevice.super.begin(action, input);
        }
        superCoolLeft = Duration.ofMinutes(Math.round(60 * input.path("hours").asDouble(DEFAULT_SUPER_COOL_HOURS)));
        state = new FridgeState(state.temperature(), state.targetTemperature(), true, state.doorOpen());
        return SimulatedCommand.done(null);
    }
}
