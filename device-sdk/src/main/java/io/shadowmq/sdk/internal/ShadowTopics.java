package io.shadowmq.sdk.internal;

import io.shadowmq.model.command.CommandTopic;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.shadow.ShadowTopic.Operation;
import io.shadowmq.model.summary.SummaryTopic;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;

/**
 * The topics of docs/protocol.md as the device sees them: where requests go, which filters to subscribe to, and what an
 * incoming topic is: an answer to a request (shadow, action or summary), a delta, documents, a command, a command's state. The
 * names themselves are thing-model's ({@link ShadowTopic}, {@link CommandTopic}), which the extension uses too.
 */
final class ShadowTopics {

    private static final String ROOT = ShadowTopic.ROOT;
    private static final String SHADOW = ShadowTopic.SHADOW;
    private static final String COMMANDS = CommandTopic.COMMANDS;
    private static final String ACTIONS = CommandTopic.ACTIONS;
    private static final String STATE = CommandTopic.STATE;
    private static final String STATUS = CommandTopic.STATUS;

    /** What the platform publishes on a topic. */
    enum Kind {
        /** {@code .../accepted} of a shadow request or an action invocation. */
        ACCEPTED(CommandTopic.ACCEPTED),
        /** {@code .../rejected} of a shadow request or an action invocation. */
        REJECTED(CommandTopic.REJECTED),
        DELTA("delta"),
        DOCUMENTS("documents"),
        /** {@code things/T/commands/{commandId}}: a command for the thing. */
        COMMAND(""),
        /** {@code things/T/commands/{commandId}/state}: what became of a command. */
        COMMAND_STATE(STATE),
        /** {@code things/T/commands/{commandId}/status/rejected}: the platform refused a status the thing sent. */
        STATUS_REJECTED(CommandTopic.REJECTED);

        private final String level;

        Kind(String level) {
            this.level = level;
        }
    }

    /**
     * An incoming topic, understood: {@code things/car-1/shadow/update/accepted}.
     *
     * @param subject for an answer the request topic it answers ({@code things/car-1/shadow/update},
     *                {@code things/washer-1/actions/start}); for a command topic the commandId; else empty
     */
    record Response(
            @NotNull ThingId thing,
            @NotNull Kind kind,
            @NotNull String subject) {}

    private ShadowTopics() {}

    static @NotNull String request(@NotNull ThingId thing, @NotNull Operation operation) {
        return prefix(thing) + operation.level();
    }

    /** Where an invoker publishes an invocation of {@code action}: {@code things/T/actions/{action}}. */
    static @NotNull String action(@NotNull ThingId thing, @NotNull String action) {
        return new CommandTopic.Invoke(thing, action).topic();
    }

    /** Where an asker publishes a summary request: {@code things/T/summary/get}. */
    static @NotNull String summary(@NotNull ThingId thing) {
        return new SummaryTopic(thing).request();
    }

    /** What an asker of T's summary subscribes to: {@code things/T/summary/get/accepted} and {@code .../rejected}. */
    static @NotNull List<String> summaryFilters(@NotNull ThingId thing) {
        SummaryTopic topic = new SummaryTopic(thing);
        return List.of(topic.accepted(), topic.rejected());
    }

    /** Whether {@code topic} is a summary request ({@link #summary}). */
    static boolean isSummary(@NotNull String topic) {
        return SummaryTopic.parse(topic).isPresent();
    }

    /** Where the thing publishes the status of one of its commands: {@code things/T/commands/{id}/status}. */
    static @NotNull String status(@NotNull ThingId thing, @NotNull String commandId) {
        return new CommandTopic.Status(thing, commandId).topic();
    }

    /** Everything about the thing itself: its answers, deltas and documents. */
    static @NotNull String ownFilter(@NotNull ThingId thing) {
        return prefix(thing) + "#";
    }

    /** What a household member may read of another thing: the answers, not its deltas. */
    static @NotNull List<String> householdFilters(@NotNull ThingId thing) {
        return List.of(prefix(thing) + "+/accepted", prefix(thing) + "+/rejected");
    }

    /**
     * What the thing itself subscribes to carry out commands: the commands, and the refusals of the statuses it sends.
     * Neither overlaps with {@link #invokerFilters}, so no message arrives twice.
     */
    static @NotNull List<String> commandFilters(@NotNull ThingId thing) {
        return List.of(
                CommandTopic.commandsFilter(thing),
                CommandTopic.commandsFilter(thing) + "/" + STATUS + "/" + CommandTopic.REJECTED);
    }

    /** What an invoker (the thing itself or a household member) subscribes to: answers to invocations, states. */
    static @NotNull List<String> invokerFilters(@NotNull ThingId thing) {
        String actions = ROOT + "/" + thing.value() + "/" + ACTIONS + "/+/";
        return List.of(
                actions + CommandTopic.ACCEPTED, actions + CommandTopic.REJECTED, CommandTopic.statesFilter(thing));
    }

    /** What a topic carries, or empty for anything the SDK does not read (other topics, requests). */
    static @NotNull Optional<Response> parse(@NotNull String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length < 3 || !levels[0].equals(ROOT) || !ThingId.isValid(levels[1])) {
            return Optional.empty();
        }
        ThingId thing = ThingId.of(levels[1]);
        return switch (levels[2]) {
            case SHADOW -> shadowResponse(thing, levels);
            case ACTIONS -> actionResponse(thing, levels);
            case COMMANDS -> commandTopic(thing, levels);
            case SummaryTopic.SUMMARY -> summaryResponse(thing, levels);
            default -> Optional.empty();
        };
    }

    private static Optional<Response> shadowResponse(ThingId thing, String[] levels) {
        if (levels.length != 5) {
            return Optional.empty();
        }
        for (Operation operation : Operation.values()) {
            if (!operation.level().equals(levels[3])) {
                continue;
            }
            for (Kind kind : List.of(Kind.ACCEPTED, Kind.REJECTED, Kind.DELTA, Kind.DOCUMENTS)) {
                if (kind.level.equals(levels[4]) && isPublished(operation, kind)) {
                    String subject = kind == Kind.ACCEPTED || kind == Kind.REJECTED ? request(thing, operation) : "";
                    return Optional.of(new Response(thing, kind, subject));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Response> actionResponse(ThingId thing, String[] levels) {
        if (levels.length != 5 || !CommandTopic.isActionName(levels[3])) {
            return Optional.empty();
        }
        Kind kind = levels[4].equals(Kind.ACCEPTED.level)
                ? Kind.ACCEPTED
                : levels[4].equals(Kind.REJECTED.level) ? Kind.REJECTED : null;
        return kind == null ? Optional.empty() : Optional.of(new Response(thing, kind, action(thing, levels[3])));
    }

    private static Optional<Response> summaryResponse(ThingId thing, String[] levels) {
        if (levels.length != 5 || !levels[3].equals(SummaryTopic.GET)) {
            return Optional.empty();
        }
        Kind kind = levels[4].equals(Kind.ACCEPTED.level)
                ? Kind.ACCEPTED
                : levels[4].equals(Kind.REJECTED.level) ? Kind.REJECTED : null;
        return kind == null ? Optional.empty() : Optional.of(new Response(thing, kind, summary(thing)));
    }

    private static Optional<Response> commandTopic(ThingId thing, String[] levels) {
        if (levels.length < 4 || !CommandTopic.isCommandId(levels[3])) {
            return Optional.empty();
        }
        String commandId = levels[3];
        if (levels.length == 4) {
            return Optional.of(new Response(thing, Kind.COMMAND, commandId));
        }
        if (levels.length == 5 && levels[4].equals(STATE)) {
            return Optional.of(new Response(thing, Kind.COMMAND_STATE, commandId));
        }
        if (levels.length == 6 && levels[4].equals(STATUS) && levels[5].equals(Kind.STATUS_REJECTED.level)) {
            return Optional.of(new Response(thing, Kind.STATUS_REJECTED, commandId));
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
