package io.shadowmq.sdk.examples;

import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * What the washer is doing now.
 *
 * <pre>{@code WasherState.idle("cotton")}</pre>
 *
 * @param state     {@code idle}, {@code running}, {@code paused} or {@code finished} (the model's enum)
 * @param program   the program to run next, or the one running
 * @param remaining time left of the running or paused program; zero otherwise
 */
public record WasherState(
        @NotNull String state,
        @NotNull String program,
        @NotNull Duration remaining) {

    public static @NotNull WasherState idle(@NotNull String program) {
        return new WasherState(WasherCycle.IDLE, program, Duration.ZERO);
    }

    /** Remaining time as the model reports it: whole minutes, rounded up while anything is left. */
    public int remainingMinutes() {
        long minute = Duration.ofMinutes(1).toNanos();
        return (int) ((remaining.toNanos() + minute - 1) / minute);
    }
}
