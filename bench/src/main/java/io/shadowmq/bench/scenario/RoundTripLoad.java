package io.shadowmq.bench.scenario;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import io.shadowmq.bench.load.LoadStep;
import io.shadowmq.bench.load.OpenLoop;
import io.shadowmq.bench.mqtt.DeviceFleet;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The MQTT round trip shared by {@code updates}, {@code echo} and {@code peer}: request {@code seq} goes to device
 * {@code seq % N} as the same reported update with a client token ({@code s<step>-<seq>}); the round trip ends
 * when a message carrying that token comes back to the device — {@code update/accepted} from the platform, or the
 * very message from a plain broker. A message on a topic ending in {@code /rejected} ends it as refused, with the
 * rejection's {@code code} (503 and 429: the platform shed it).
 * <p>Identical payloads and topic shapes on both sides, so the only difference measured is what handles them.
 */
final class RoundTripLoad implements OpenLoop.Sender, DeviceFleet.Listener {

    private static final String TOKEN_FIELD = "\"clientToken\":\"s";
    private static final String CODE_FIELD = "\"code\":";
    private static final int RATE_LIMITED = 429;

    private final MqttTopic[] requestTopics;
    private final LongAdder rateLimited = new LongAdder();
    private @Nullable DeviceFleet fleet;
    private volatile @Nullable LoadStep current;

    /** {@code requestTopic} maps a thing id to the topic its requests go to. */
    RoundTripLoad(@NotNull List<String> thingIds, @NotNull Function<String, String> requestTopic) {
        this.requestTopics =
                thingIds.stream().map(requestTopic).map(MqttTopic::of).toArray(MqttTopic[]::new);
    }

    void attach(@NotNull DeviceFleet fleet) {
        this.fleet = fleet;
    }

    /** Rejections with 429 so far: if this is not 0, the limiter was measured, not the platform. */
    long rateLimited() {
        return rateLimited.sum();
    }

    /** The request body: a speaker's reported volume, the same bytes for every target. */
    static byte @NotNull [] payload(int stepId, long seq) {
        return ("{\"state\":{\"reported\":{\"volume\":" + (seq % 101) + ",\"isMuted\":false}},\"clientToken\":\"s"
                        + stepId + "-" + seq + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void send(@NotNull LoadStep step, long seq) {
        current = step;
        int device = (int) (seq % requestTopics.length);
        DeviceFleet devices = fleet;
        if (devices == null) {
            throw new IllegalStateException("no fleet attached");
        }
        devices.publish(device, requestTopics[device], payload(step.id(), seq), () -> step.failed(seq));
    }

    /** The {@code code} of a rejection ({@code "code":503}), 0 when it has none. */
    static int codeOf(@NotNull String payload) {
        int at = payload.indexOf(CODE_FIELD);
        if (at < 0) {
            return 0;
        }
        int start = at + CODE_FIELD.length();
        while (start < payload.length() && payload.charAt(start) == ' ') {
            start++;
        }
        int end = start;
        while (end < payload.length() && end - start < 4 && Character.isDigit(payload.charAt(end))) {
            end++;
        }
        return end == start ? 0 : Integer.parseInt(payload, start, end, 10);
    }

    @Override
    public void onMessage(int device, @NotNull String topic, @NotNull String payload) {
        LoadStep step = current;
        int at = payload.indexOf(TOKEN_FIELD);
        if (step == null || at < 0) {
            return;
        }
        int stepStart = at + TOKEN_FIELD.length();
        int dash = payload.indexOf('-', stepStart);
        int end = payload.indexOf('"', dash);
        if (dash < 0 || end < 0) {
            return;
        }
        try {
            if (Integer.parseInt(payload, stepStart, dash, 10) != step.id()) {
                return; // a late answer from the step before
            }
            long seq = Long.parseLong(payload, dash + 1, end, 10);
            if (topic.endsWith("/rejected")) {
                int code = codeOf(payload);
                if (code == RATE_LIMITED) {
                    rateLimited.increment();
                }
                step.refused(seq, code);
            } else {
                step.succeeded(seq);
            }
        } catch (NumberFormatException notOurs) {
            // Another client's token format: not a benchmark request.
        }
    }
}
