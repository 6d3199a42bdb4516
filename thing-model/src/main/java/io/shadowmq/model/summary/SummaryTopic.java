package io.shadowmq.model.summary;

import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;

/**
 * The summary request topic {@code things/{thingId}/summary/get} and the topics it is answered on,
 * {@code .../get/accepted} and {@code .../get/rejected} (docs/protocol.md). The one place these names are spelled.
 *
 * <pre>{@code
 * SummaryTopic.parse("things/car-1/summary/get").map(SummaryTopic::accepted) // "things/car-1/summary/get/accepted"
 * }</pre>
 */
public record SummaryTopic(@NotNull ThingId thing) {

    /** The topic level after the thing id. */
    public static final String SUMMARY = "summary";
    /** The one request, the level after {@link #SUMMARY}. */
    public static final String GET = "get";

    /** The request a topic names, if it is a summary request; anything else is empty. */
    public static @NotNull Optional<SummaryTopic> parse(@NotNull String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length != 4
                || !levels[0].equals(ShadowTopic.ROOT)
                || !ThingId.isValid(levels[1])
                || !levels[2].equals(SUMMARY)
                || !levels[3].equals(GET)) {
            return Optional.empty();
        }
        return Optional.of(new SummaryTopic(ThingId.of(levels[1])));
    }

    public @NotNull String request() {
        return ShadowTopic.ROOT + "/" + thing.value() + "/" + SUMMARY + "/" + GET;
    }

    public @NotNull String accepted() {
        return request() + "/accepted";
    }

    public @NotNull String rejected() {
        return request() + "/rejected";
    }
}
