package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.sdk.CommandFailedException;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A smart speaker: it takes the volume and mute it is asked for and reports them, and announces a text when the
 * action {@code announce} asks (unless muted). Nothing changes by itself.
 *
 * <pre>{@code
 * java -cp device-sdk-all.jar io.shadowmq.sdk.examples.SpeakerSimulator --thing speaker-1 --secret $SECRET
 * }</pre>
 */
public final class SpeakerSimulator implements SimulatedDevice {

    private int volume;
    private boolean muted;
    private final List<String> announcements = new ArrayList<>();

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
    public @NotNull Map<String, String> onDesired(@NotNull ObjectNode delta) {
        JsonNode wantedVolume = delta.path("volume");
        if (wantedVolume.canConvertToInt()) {
            volume = Math.max(0, Math.min(100, wantedVolume.intValue()));
        }
        if (delta.path("isMuted").isBoolean()) {
            muted = delta.get("isMuted").booleanValue();
        }
        return Map.of();
    }

    @Override
    public void advance(@NotNull Duration simulated) {
        // A speaker's state changes only when someone asks.
    }

    @Override
    public @NotNull Set<String> actions() {
        return Set.of("announce");
    }

    /** {@code announce {"text":"Dinner is ready"}}: said at once, unless muted (then it fails). */
    @Override
    public @NotNull SimulatedCommand begin(@NotNull String action, @NotNull JsonNode input) {
        if (!action.equals("announce")) {
            return SimulatedDevice.super.begin(action, input);
        }
        if (muted) {
            throw new CommandFailedException("muted");
        }
        announcements.add(input.path("text").asText());
        return SimulatedCommand.done(null);
    }

    /** What it announced so far, oldest first. */
    public @NotNull List<String> announcements() {
        return List.copyOf(announcements);
    }
}
