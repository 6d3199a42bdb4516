package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.sdk.CommandFailedException;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A simulated thing, without any MQTT: its state, what it does when asked (desired state and commands), and how it
 * changes as time passes. {@link DeviceSimulator} connects it to the platform. Implementations are called from one
 * thread at a time.
 *
 * <pre>{@code
 * SimulatedDevice car = new CarSimulator();
 * car.onDesired(wish);                  // {"cabin":{"heater":{"isOn":true}}}
 * car.advance(Duration.ofMinutes(5));
 * car.reported();                       // the cabin is warmer now
 * }</pre>
 */
public interface SimulatedDevice {

    /** The thing model id, e.g. {@code car}. */
    @NotNull
    String type();

    /** The whole state as the device reports it now; a new tree the caller may keep. */
    @NotNull
    ObjectNode reported();

    /**
     * Acts on a delta: what the household asked for and the device has not done yet.
     *
     * @return the desired values it will not take, dotted path to reason (e.g. {@code cabin.heater.isOn} to
     *     {@code fuel below 10 %}); the simulator rejects them, so that they leave desired
     */
    @NotNull
    Map<String, String> onDesired(@NotNull ObjectNode delta);

    /** Lets {@code simulated} time pass: temperatures drift, programs run down. */
    void advance(@NotNull Duration simulated);

    /** The actions of its model the device carries out; none unless it says so. */
    default @NotNull Set<String> actions() {
        return Set.of();
    }

    /**
     * Begins carrying out {@code action} with {@code input}.
     *
     * @throws CommandFailedException when the device refuses it now (the command fails with the reason)
     */
    default @NotNull SimulatedCommand begin(@NotNull String action, @NotNull JsonNode input) {
        throw new CommandFailedException("no handler for action " + action);
    }
}
