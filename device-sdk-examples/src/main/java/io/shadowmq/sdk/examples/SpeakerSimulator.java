package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;

/**
 * A smart speaker: it takes the volume and mute it is asked for and reports them. Nothing changes by itself.
 *
 * <pre>{@code
 * java -cp device-sdk-all.jar io.shadowmq.sdk.examples.SpeakerSimulator --thing speaker-1 --secret $SECRET
 * }</pre>
 */
public final class SpeakerSimulator implements SimulatedDevice {

    private int volume;
    private boolean muted;

    public SpeakerSimulator() {
        this(30, false);
    }

    public SpeakerSimulator(int volume, boolean muted) {
        this.volume = volume;
        this.muted = muted;
    }

    public static void main(String[] args) {
        SimulatorMain.run(args, SpeakerSimulator::new);
    }

    @Override
    public @NotNull String type() {
        return "speaker";
    }

    @Override
    public @NotNull ObjectNode reported() {
        return SafeJson.object().put("volume", volume).put("isMuted", muted);
    }

    @Override
    public void onDesired(@NotNull ObjectNode delta) {
        JsonNode wantedVolume = delta.path("volume");
        if (wantedVolume.canConvertToInt()) {
            volume = Math.max(0, Math.min(100, wantedVolume.intValue()));
        }
        if (delta.path("isMuted").isBoolean()) {
            muted = delta.get("isMuted").booleanValue();
        }
    }

    @Override
    public void advance(@NotNull Duration simulated) {
        // A speaker's state changes only when someone asks.
    }
}
