package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * A simulated thing, without any MQTT: its state, what it does when asked, and how it changes as time passes.
 * {@link DeviceSimulator} connects it to the platform. Implementations are called from one thread at a time.
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

    /** Acts on a delta: what the household asked for and the device has not done yet. */
    void onDesired(@NotNull ObjectNode delta);

    /** Lets {@code simulated} time pass: temperatures drift, programs run down. */
    void advance(@NotNull Duration simulated);
}
