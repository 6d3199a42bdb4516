package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * A fridge: its temperature converges to the target the household sets, and super-cool drives it lower
 * ({@link FridgeThermalModel}). The door stays closed.
 *
 * <pre>{@code
 * java -cp device-sdk-all.jar io.shadowmq.sdk.examples.FridgeSimulator --thing fridge-1 --secret $SECRET
 * }</pre>
 */
public final class FridgeSimulator implements SimulatedDevice {

    private FridgeState state;

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
    public void onDesired(@NotNull ObjectNode delta) {
        double target = delta.path("targetTemperature").isNumber()
                ? delta.get("targetTemperature").doubleValue()
                : state.targetTemperature();
        boolean superCool = delta.path("superCool").path("isOn").isBoolean()
                ? delta.get("superCool").get("isOn").booleanValue()
                : state.superCoolOn();
        state = new FridgeState(state.temperature(), target, superCool, state.doorOpen());
    }

    @Override
    public void advance(@NotNull Duration simulated) {
        state = FridgeThermalModel.step(state, simulated);
    }
}
