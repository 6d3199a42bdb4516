package io.shadowmq.sdk.examples;

import io.shadowmq.sdk.CommandFailedException;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Map;

/**
 * The washer's programs and what its actions and time do to it: {@code start} runs a program (or resumes the paused
 * one), {@code pause} holds it, {@code stop} ends it; while running the remaining time counts down and at zero the
 * washer is {@code finished}. An action the washer cannot carry out now throws {@link CommandFailedException}.
 *
 * <pre>{@code
 * WasherState running = WasherCycle.start(WasherState.idle("cotton"), "quick");  // 30 minutes left
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

    /**
     * Runs {@code program}: from the start, or resumes it when it is the one paused.
     *
     * @throws CommandFailedException while a program runs, or for a program the washer does not have
     */
    public static @NotNull WasherState start(@NotNull WasherState state, @NotNull String program) {
        if (!PROGRAMS.containsKey(program)) {
            throw new CommandFailedException("no program " + program);
        }
        if (state.state().equals(RUNNING)) {
            throw new CommandFailedException("already running " + state.program());
        }
        if (state.state().equals(PAUSED) && state.program().equals(program)) {
            return new WasherState(RUNNING, program, state.remaining());
        }
        return new WasherState(RUNNING, program, duration(program));
    }

    /**
     * Holds the running program.
     *
     * @throws CommandFailedException when nothing runs
     */
    public static @NotNull WasherState pause(@NotNull WasherState state) {
        if (!state.state().equals(RUNNING)) {
            throw new CommandFailedException("not running");
        }
        return new WasherState(PAUSED, state.program(), state.remaining());
    }

    /** Ends the program, running or paused; an idle or finished washer stays as it is. */
    public static @NotNull WasherState stop(@NotNull WasherState state) {
        if (state.state().equals(RUNNING) || state.state().equals(PAUSED)) {
            return new WasherState(IDLE, state.program(), Duration.ZERO);
        }
        return state;
    }

    /** The state after choosing {@code program}; it applies to the next start, a running program keeps its time. */
    public static @NotNull WasherState program(@NotNull WasherState state, @NotNull String program) {
        if (!PROGRAMS.containsKey(program)
                || state.state().equals(RUNNING)
                || state.state().equals(PAUSED)) {
            return state;
        }
        return new WasherState(state.state(), program, state.remaining());
    }

    public static @NotNull WasherState step(@NotNull WasherState state, @NotNull Duration dt) {
        if (!state.state().equals(RUNNING)) {
            return state;
        }
        Duration remaining = state.remaining().minus(dt);
        if (remaining.isNegative() || remaining.isZero()) {
            return new WasherState(FINISHED, state.program(), Duration.ZERO);
        }
        return new WasherState(RUNNING, state.program(), remaining);
    }

    /** How much of the running or paused program is done, 0..100 (100 once finished). */
    public static int progress(@NotNull WasherState state) {
        if (state.state().equals(FINISHED)) {
            return 100;
        }
        Duration total = duration(state.program());
        if (total.isZero() || state.state().equals(IDLE)) {
            return 0;
        }
        return (int) ((total.toNanos() - state.remaining().toNanos()) * 100 / total.toNanos());
    }

    static @NotNull Duration duration(@NotNull String program) {
        return PROGRAMS.getOrDefault(program, Duration.ZERO);
    }
}
