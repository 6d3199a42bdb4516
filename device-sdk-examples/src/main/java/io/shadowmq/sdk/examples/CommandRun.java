package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Where a command a simulated device carries out stands now: running with a progress, or ended (succeeded with an
 * output, or failed with a reason). {@link DeviceSimulator} reads it after every step and tells the platform.
 *
 * <pre>{@code
 * CommandRun.running(35);
 * CommandRun.succeeded(null);
 * CommandRun.failed("stopped");
 * }</pre>
 *
 * @param progress 0..100
 * @param ended    true once succeeded or failed
 * @param output   the output of a succeeded command, or null for none
 * @param failure  why it failed, or null
 */
public record CommandRun(
        int progress,
        boolean ended,
        @Nullable JsonNode output,
        @Nullable String failure) {

    public static @NotNull CommandRun running(int progress) {
        return new CommandRun(Math.max(0, Math.min(100, progress)), false, null, null);
    }

    public static @NotNull CommandRun succeeded(@Nullable JsonNode output) {
        return new CommandRun(100, true, output, null);
    }

    public static @NotNull CommandRun failed(@NotNull String reason) {
        return new CommandRun(0, true, null, reason);
    }

    /** Ended and not failed. */
    public boolean succeeded() {
        return ended && failure == null;
    }
}
