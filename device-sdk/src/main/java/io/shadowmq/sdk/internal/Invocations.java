package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.sdk.CommandState;
import io.shadowmq.sdk.CommandStatus;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The invoker's side of commands: the commands this client invoked, by thing and commandId, and the states published
 * for them on {@code things/T/commands/{id}/state}. A state can overtake the {@code actions/.../accepted} answer that
 * names its command (they take different paths through the platform), so states of commands not known yet are kept a
 * little while ({@link #EARLY} of them) and handed over when the answer comes. Guarded by the session's lock;
 * invocations are told after it is released.
 */
final class Invocations {

    /** How many states of not (yet) known commands are kept. */
    static final int EARLY = 256;
    /**
     * How many invoked commands are followed at most: one whose final state never came (published while this client
     * was offline) is let go, oldest first, once there are more.
     */
    static final int FOLLOWED = 1000;

    private record Key(ThingId thing, String commandId) {}

    /** Oldest first. */
    private final LinkedHashMap<Key, Invocation> open = new LinkedHashMap<>();

    private final LinkedHashMap<Key, List<CommandState>> early = new LinkedHashMap<>();

    /** The platform accepted an invocation: its command, with the states that came before the answer. Under the lock. */
    @NotNull
    Invocation accepted(
            @NotNull ThingId thing, @NotNull String action, @NotNull String commandId, @NotNull Effects effects) {
        Key key = new Key(thing, commandId);
        Invocation invocation = open.computeIfAbsent(key, k -> new Invocation(commandId, thing.value(), action));
        trim(open, FOLLOWED);
        List<CommandState> before = early.remove(key);
        if (before != null) {
            before.forEach(state -> deliver(key, invocation, state, effects));
        }
        return invocation;
    }

    /** A state on {@code things/T/commands/{id}/state}. Under the lock. */
    void state(@NotNull ThingId thing, @NotNull String commandId, @NotNull JsonNode json, @NotNull Effects effects) {
        Optional<CommandState> parsed = parse(thing, commandId, json);
        if (parsed.isEmpty()) {
            return;
        }
        Key key = new Key(thing, commandId);
        Invocation invocation = open.get(key);
        if (invocation != null) {
            deliver(key, invocation, parsed.get(), effects);
            return;
        }
        early.computeIfAbsent(key, k -> new ArrayList<>()).add(parsed.get());
        trim(early, EARLY);
    }

    /** Drops the oldest entries beyond {@code max}. */
    private static void trim(LinkedHashMap<Key, ?> map, int max) {
        Iterator<Key> oldest = map.keySet().iterator();
        while (map.size() > max) {
            oldest.next();
            oldest.remove();
        }
    }

    /** How many invoked commands are followed now. Under the lock. */
    int followed() {
        return open.size();
    }

    /** The client closed: the invocations still open, to fail. Under the lock. */
    @NotNull
    List<Invocation> abandon() {
        List<Invocation> abandoned = new ArrayList<>(open.values());
        open.clear();
        early.clear();
        return abandoned;
    }

    private void deliver(Key key, Invocation invocation, CommandState state, Effects effects) {
        if (state.status().isFinal()) {
            open.remove(key);
        }
        effects.add(() -> invocation.arrived(state));
    }

    /** The state message: {@code {"commandId","thingId","action","status","progress"?,"output"?,"reason"?,"timestamp"}}. */
    static @NotNull Optional<CommandState> parse(
            @NotNull ThingId thing, @NotNull String commandId, @NotNull JsonNode json) {
        Optional<CommandStatus> status =
                CommandStatus.fromWire(json.path("status").asText(""));
        if (status.isEmpty()) {
            return Optional.empty();
        }
        JsonNode progress = json.path("progress");
        JsonNode reason = json.path("reason");
        return Optional.of(new CommandState(
                commandId,
                thing.value(),
                json.path("action").asText(""),
                status.get(),
                progress.canConvertToInt() ? progress.intValue() : null,
                json.has("output") ? json.get("output") : null,
                reason.isTextual() ? reason.textValue() : null,
                json.path("timestamp").asLong()));
    }
}
