package io.shadowmq.sdk.examples;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Map;

/**
 * The washer's programs and what commands and time do to it: {@code start} runs the chosen program (or resumes a
 * paused one), {@code pause} holds it, {@code stop} ends it; while running the remaining time counts down and at zero
 * the washer is {@code finished}.
 *
 * <pre>{@code
 * WasherState running = WasherCycle.command(WasherState.idle("quick"), "start");  // 30 minutes left
 * WasherState done = WasherCycle.step(running, Duration.ofMinutes(30));         // finished
 * }</pre>
 */
public final class WasherCycle {

    static final String IDLE = "idle";
    static final String RUNNING = "running";
    static final String PAUSED = "paused";
    static final String FINISHED = "finished";

    /** How long each program of the washer model takes. */
    static final Map<String, Duration> PROGRAMS = Map.of(
            "cotton", Duration.ofMinutes(120),
            "synthetics", Duration.ofMinutes(80),
            "wool", Duration.ofMinutes(40),
            "quick", Duration.ofMinutes(30),
            "eco", Duration.ofMinutes(180));

    private WasherCycle() {}

    /** The state after carrying out {@code command}; an unknown command changes nothing. */
    public static @NotNull WasherState command(@NotNull WasherState state, @NotNull String command) {
        return switch (command) {
            case "start" ->
                state.state().equals(PAUSED) || state.state().equals(RUNNING)
                        ? new WasherState(RUNNING, state.program(), state.remaining(), command)
                        : new WasherState(RUNNING, state.program(), duration(state.program()), command);
            case "pause" ->
                state.state().equals(RUNNING)
                        ? new WasherState(PAUSED, state.program(), state.remaining(), command)
                        : new WasherState(state.state(), state.program(), state.remaining(), command);
            case "stop" -> new WasherState(IDLE, state.program(), Duration.ZERO, command);
            default -> state;
        };
    }

    /** The state after choosing {@code program}; it applies to the next start, a running program keeps its time. */
    public static @NotNull WasherState program(@NotNull WasherState state, @NotNull String program) {
        if (!PROGRAMS.containsKey(program)) {
            return state;
        }
        return new WasherState(state.state(), program, state.remaining(), state.lastCommand());
    }

    public static @NotNull WasherState step(@NotNull WasherState state, @NotNull Duration dt) {
        if (!state.state().equals(RUNNING)) {
            return state;
        }
        Duration remaining = state.remaining().minus(dt);
        if (remaining.isNegative() || remaining.isZero()) {
            return new WasherState(FINISHED, state.program(), Duration.ZERO, state.lastCommand());
        }
        return new WasherState(RUNNING, state.program(), remaining, state.lastCommand());
    }

    static @NotNull Duration duration(@NotNull String program) {
        return PROGRAMS.getOrDefault(program, Duration.ZERO);
    }
}
