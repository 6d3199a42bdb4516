package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A washing machine: the household invokes {@code start {"program":"eco"}} (and {@code pause}, {@code stop}); the
 * washer runs the program down ({@link WasherCycle}), the command reporting its progress until the program is
 * {@code finished} (succeeded) or stopped (failed). The desired {@code program} only picks the next one.
 *
 * <pre>{@code
 * java -cp device-sdk-all.jar io.shadowmq.sdk.examples.WasherSimulator --thing washer-1 --secret $SECRET --time-scale 600
 * }</pre>
 */
public final class WasherSimulator implements SimulatedDevice {

    private WasherState state;
    /** Counts starts, so that a start command knows whether the program running is still its own. */
    private long starts;

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
        return SafeJson.object()
                .put("state", state.state())
                .put("program", state.program())
                .put("remainingMinutes", state.remainingMinutes());
    }

    @Override
    public @NotNull Map<String, String> onDesired(@NotNull ObjectNode delta) {
        if (delta.path("program").isTextual()) {
            state = WasherCycle.program(state, delta.get("program").textValue());
        }
        return Map.of();
    }

    @Override
    public void advance(@NotNull Duration simulated) {
        state = WasherCycle.step(state, simulated);
    }

    @Override
    public @NotNull Set<String> actions() {
        return Set.of("start", "pause", "stop");
    }

    @Override
    public @NotNull SimulatedCommand begin(@NotNull String action, @NotNull JsonNode input) {
        return switch (action) {
            case "start" -> start(input.path("program").asText(state.program()));
            case "pause" -> {
                state = WasherCycle.pause(state);
                yield SimulatedCommand.done(null);
            }
            case "stop" -> {
                state = WasherCycle.stop(state);
                yield SimulatedCommand.done(null);
            }
            default -> SimulatedDevice.super.begin(action, input);
        };
    }

    /**
     * Runs until its program is finished (succeeded, output {@code {"minutes":30}}: the program's time) or ends
     * otherwise (failed: stopped).
     */
    private SimulatedCommand start(String program) {
        boolean resumes =
                state.state().equals(WasherCycle.PAUSED) && state.program().equals(program);
        state = WasherCycle.start(state, program);
        long mine = resumes ? starts : ++starts;
        return () -> {
            if (starts != mine) {
                return CommandRun.failed("another program was started");
            }
            return switch (state.state()) {
                case WasherCycle.FINISHED ->
                    CommandRun.succeeded(SafeJson.object().put("minutes", (int)
                            WasherCycle.duration(state.program()).toMinutes()));
                case WasherCycle.IDLE -> CommandRun.failed("stopped");
                default -> CommandRun.running(WasherCycle.progress(state));
            };
        };
    }

    /** For tests: what the washer does now. */
    @NotNull
    WasherState state() {
        return state;
    }
}
