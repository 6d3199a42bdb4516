package io.shadowmq.sdk.internal;

import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.shadow.ShadowTopic.Operation;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;

/**
 * The topics of docs/protocol.md as the device sees them: where requests go, which filters to subscribe to, and what an
 * incoming topic is an answer to.
 *
 * <p>The extension spells the same names in its {@code ShadowTopic}; both follow docs/protocol.md. The SDK may not
 * depend on the extension (it is a broker plugin), so the few names live here again.
 */
final class ShadowTopics {

    private static final String ROOT = ShadowTopic.ROOT;
    private static final String SHADOW = ShadowTopic.SHADOW;

    /** What the platform publishes on a topic under {@code things/T/shadow/{operation}/}. */
    enum Kind {
        ACCEPTED("accepted"),
        REJECTED("rejected"),
        DELTA("delta"),
        DOCUMENTS("documents");

        private final String level;

        Kind(String level) {
            this.level = level;
        }
    }

    /** An incoming topic, understood: {@code things/car-1/shadow/update/accepted}. */
    record Response(
            @NotNull ThingId thing,
            @NotNull Operation operation,
            @NotNull Kind kind) {}

    private ShadowTopics() {}

    static @NotNull String request(@NotNull ThingId thing, @NotNull Operation operation) {
        return prefix(thing) + operation.level();
    }

    /** Everything about the thing itself: its answers, deltas and documents. */
    static @NotNull String ownFilter(@NotNull ThingId thing) {
        return prefix(thing) + "#";
    }

    /** What a household member may read of another thing: the answers, not its deltas. */
    static @NotNull List<String> householdFilters(@NotNull ThingId thing) {
        return List.of(prefix(thing) + "+/accepted", prefix(thing) + "+/rejected");
    }

    /** The response a topic carries, or empty for anything that is not one (other topics, requests). */
    static @NotNull Optional<Response> parse(@NotNull String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length != 5 || !levels[0].equals(ROOT) || !levels[2].equals(SHADOW) || !ThingId.isValid(levels[1])) {
            return Optional.empty();
        }
        for (Operation operation : Operation.values()) {
            if (!operation.level().equals(levels[3])) {
                continue;
            }
            for (Kind kind : Kind.values()) {
                if (kind.level.equals(levels[4]) && isPublished(operation, kind)) {
                    return Optional.of(new Response(ThingId.of(levels[1]), operation, kind));
                }
            }
        }
        return Optional.empty();
    }

    /** delta and documents exist only under update. */
    private static boolean isPublished(Operation operation, Kind kind) {
        return operation == Operation.UPDATE || kind == Kind.ACCEPTED || kind == Kind.REJECTED;
    }

    private static String prefix(ThingId thing) {
        return ROOT + "/" + thing.value() + "/" + SHADOW + "/";
    }
}
