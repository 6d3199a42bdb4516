package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A command a simulated device has begun ({@link SimulatedDevice#begin}): asked after every step how far it got.
 * Called on the simulator's thread only, like the device.
 *
 * <pre>{@code
 * SimulatedCommand start = washer.begin("start", input);
 * washer.advance(Duration.ofMinutes(15));
 * start.now();  // CommandRun.running(50)
 * }</pre>
 */
@FunctionalInterface
public interface SimulatedCommand {

    /** Where it stands now. */
    @NotNull
    CommandRun now();

    /** A command done the moment it began. */
    static @NotNull SimulatedCommand done(@Nullable JsonNode output) {
        CommandRun done = CommandRun.succeeded(output);
        return () -> done;
    }
}
