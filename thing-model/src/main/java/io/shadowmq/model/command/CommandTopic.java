package io.shadowmq.model.command;

import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The topics of commands (docs/protocol.md, "Commands"): the two a client publishes to, parsed here, and the names of
 * every topic the platform publishes on. The one place these topic names are spelled.
 * <ul>
 *   <li>{@code things/T/actions/{action}}: an invoker asks thing T to run an action; answered on
 *   {@code .../accepted} or {@code .../rejected}, to the invoker only.</li>
 *   <li>{@code things/T/commands/{commandId}}: a command delivered to T (the platform publishes it).</li>
 *   <li>{@code things/T/commands/{commandId}/status}: T reports what became of it; refusals on
 *   {@code .../status/rejected}.</li>
 *   <li>{@code things/T/commands/{commandId}/state}: every change of the command's state, to T and its household.</li>
 * </ul>
 * <pre>{@code
 * CommandTopic.parse("things/washer-1/actions/start")          // Invoke[washer-1, start]
 * CommandTopic.state(ThingId.of("washer-1"), "c9PzV1q2")       // "things/washer-1/commands/c9PzV1q2/state"
 * }</pre>
 */
public sealed interface CommandTopic {

    String ROOT = "things";
    String ACTIONS = "actions";
    String COMMANDS = "commands";
    String STATUS = "status";
    String STATE = "state";
    String ACCEPTED = "accepted";
    String REJECTED = "rejected";

    /** What an action's name may be: the rule of property names, so it is one topic level and no wildcard. */
    Pattern ACTION_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,63}$");

    /** What a command id in a topic may be: URL-safe base64 characters (the platform makes 22 of them). */
    Pattern COMMAND_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    /** The thing the topic is about. */
    @NotNull
    ThingId thing();

    /** The request topic itself. */
    @NotNull
    String topic();

    /** Where a refusal of this request is published. */
    @NotNull
    String rejected();

    /** {@code things/T/actions/{action}}: invoke an action of thing T. */
    record Invoke(@NotNull ThingId thing, @NotNull String action) implements CommandTopic {
        public Invoke {
            if (!isActionName(action)) {
                throw new IllegalArgumentException("not an action name: " + ThingId.printable(action));
            }
        }

        @Override
        public @NotNull String topic() {
            return actions(thing) + action;
        }

        public @NotNull String accepted() {
            return topic() + "/" + ACCEPTED;
        }

        @Override
        public @NotNull String rejected() {
            return topic() + "/" + REJECTED;
        }
    }

    /** {@code things/T/commands/{commandId}/status}: thing T reports the status of one of its commands. */
    record Status(@NotNull ThingId thing, @NotNull String commandId) implements CommandTopic {
        public Status {
            if (!isCommandId(commandId)) {
                throw new IllegalArgumentException("not a command id: " + ThingId.printable(commandId));
            }
        }

        @Override
        public @NotNull String topic() {
            return command(thing, commandId) + "/" + STATUS;
        }

        @Override
        public @NotNull String rejected() {
            return topic() + "/" + REJECTED;
        }
    }

    /** The request a topic names, if it is one; anything else (what the platform publishes, other shapes) is empty. */
    static @NotNull Optional<CommandTopic> parse(@NotNull String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length < 4 || !levels[0].equals(ROOT) || !ThingId.isValid(levels[1])) {
            return Optional.empty();
        }
        ThingId thing = ThingId.of(levels[1]);
        if (levels.length == 4 && levels[2].equals(ACTIONS) && isActionName(levels[3])) {
            return Optional.of(new Invoke(thing, levels[3]));
        }
        if (levels.length == 5 && levels[2].equals(COMMANDS) && isCommandId(levels[3]) && levels[4].equals(STATUS)) {
            return Optional.of(new Status(thing, levels[3]));
        }
        return Optional.empty();
    }

    static boolean isActionName(String level) {
        return level != null && ACTION_NAME.matcher(level).matches();
    }

    static boolean isCommandId(String level) {
        return level != null && COMMAND_ID.matcher(level).matches();
    }

    /** {@code things/T/commands/{commandId}}: where the command is delivered to T. */
    static @NotNull String command(@NotNull ThingId thing, @NotNull String commandId) {
        return ROOT + "/" + thing.value() + "/" + COMMANDS + "/" + commandId;
    }

    /** {@code things/T/commands/{commandId}/state}: the command's state messages. */
    static @NotNull String state(@NotNull ThingId thing, @NotNull String commandId) {
        return command(thing, commandId) + "/" + STATE;
    }

    /** {@code things/T/commands/+}: the filter a thing subscribes to for its commands. */
    static @NotNull String commandsFilter(@NotNull ThingId thing) {
        return command(thing, "+");
    }

    /** {@code things/T/commands/+/state}: every command state of thing T. */
    static @NotNull String statesFilter(@NotNull ThingId thing) {
        return state(thing, "+");
    }

    /** The commandId of a delivery topic {@code things/T/commands/{commandId}} of {@code thing}, if it is one. */
    static @NotNull Optional<String> deliveredCommandId(@NotNull ThingId thing, @NotNull String topic) {
        String prefix = ROOT + "/" + thing.value() + "/" + COMMANDS + "/";
        if (!topic.startsWith(prefix)) {
            return Optional.empty();
        }
        String id = topic.substring(prefix.length());
        return isCommandId(id) ? Optional.of(id) : Optional.empty();
    }

    private static String actions(ThingId thing) {
        return ROOT + "/" + thing.value() + "/" + ACTIONS + "/";
    }
}
