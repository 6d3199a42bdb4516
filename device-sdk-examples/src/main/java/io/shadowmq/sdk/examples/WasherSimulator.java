package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * A washing machine: the household picks a program and writes {@code command: start}; the washer runs the program
 * down and reports {@code finished} ({@link WasherCycle}). It reports the command it carried out, which clears the
 * delta, as the washer model asks.
 *
 * <pre>{@code
 * java -cp device-sdk-all.jar io.shadowmq.sdk.examples.WasherSimulator --thing washer-1 --secret $SECRET --time-scale 600
 * }</pre>
 */
public final class WasherSimulator implements SimulatedDevice {

    private WasherState state;

    public WasherSimulator() {
        this(WasherState.idle("cotton"));
    }

    public WasherSimulator(@NotNull WasherState state) {
        this.state = state;
    }

    public static void main(String[] args) {
        SimulatorMain.run(args, WasherSimulator::new);
    }

    @Override
    public @NotNull String type() {
        return "washer";
    }

    @Override
    public @NotNull ObjectNode reported() {
        ObjectNode reported = SafeJson.object()
                .put("state", state.state())
                .put("program", state.program())
                .put("remainingMinutes", state.remainingMinutes());
        if (state.lastCommand() != null) {
            reported.put("command", state.lastCommand());
        }
        return reported;
    }

    @Override
    public void onDesired(@NotNull ObjectNode delta) {
        // The program first: "pick cotton and start" arrives as one delta.
        if (delta.path("program").isTextual()) {
            state = WasherCycle.program(state, delta.get("program").textValue());
        }
        if (delta.path("command").isTextual()) {
            state = WasherCycle.command(state, delta.get("command").textValue());
        }
    }

    @Override
    public void advance(@NotNull Duration simulated) {
        state = WasherCycle.step(state, simulated);
    }
}
