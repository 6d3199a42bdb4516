package io.shadowmq.model.shadow;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;

/**
 * A shadow request topic, {@code things/{thingId}/shadow/{update|get|delete}}, and the names of every topic the
 * platform answers on (docs/protocol.md). The one place these topic names are spelled.
 *
 * <pre>{@code
 * ShadowTopic.parse("things/car-1/shadow/update").map(ShadowTopic::accepted)  // "things/car-1/shadow/update/accepted"
 * }</pre>
 */
public record ShadowTopic(@NotNull ThingId thing, @NotNull Operation operation) {

    public static final String ROOT = "things";
    public static final String SHADOW = "shadow";

    /** What a request asks for; its name is the topic's last level. */
    public enum Operation {
        UPDATE("update"),
        GET("get"),
        DELETE("delete");

        private final String level;

        Operation(String level) {
            this.level = level;
        }

        public @NotNull String level() {
            return level;
        }
    }

    /** The request a topic names, if it is one; anything else (responses, other topics) is empty. */
    public static @NotNull Optional<ShadowTopic> parse(@NotNull String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length != 4 || !levels[0].equals(ROOT) || !levels[2].equals(SHADOW) || !ThingId.isValid(levels[1])) {
            return Optional.empty();
        }
        for (Operation operation : Operation.values()) {
            if (operation.level.equals(levels[3])) {
                return Optional.of(new ShadowTopic(ThingId.of(levels[1]), operation));
            }
        }
        return Optional.empty();
    }

    public @NotNull String request() {
        return prefix(thing) + operation.level;
    }

    public @NotNull String accepted() {
        return request() + "/accepted";
    }

    public @NotNull String rejected() {
        return request() + "/rejected";
    }

    public static @NotNull String delta(@NotNull ThingId thing) {
        return prefix(thing) + "update/delta";
    }

    public static @NotNull String documents(@NotNull ThingId thing) {
        return prefix(thing) + "update/documents";
    }

    private static String prefix(ThingId thing) {
        return ROOT + "/" + thing.value() + "/" + SHADOW + "/";
    }
}
