package io.shadowmq.store.presence;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEntryInScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;

/**
 * One call of a presence script: the thing's presence and thing hashes, the script's own leading arguments, the time,
 * and — where the script may append it — the change's feed entry. The reply is true when the script changed what the
 * thing is shown as (and so announced it, or the caller must).
 *
 * @param kind    which script
 * @param thing   the thing whose presence changes
 * @param leading the script's arguments before {@code now}, in the order of {@link Kind#leadingNames}
 * @param now     the time recorded (ms)
 * @param entry   the feed entry the script appends itself (empty on a Redis Cluster)
 */
record PresenceCall(
        @NotNull Kind kind,
        @NotNull ThingId thing,
        @NotNull List<String> leading,
        long now,
        @NotNull Optional<FeedEntryInScript> entry)
        implements ScriptCall<Boolean> {

    /** The presence scripts: each one's arguments before {@code now}, and the answer meaning it changed something. */
    enum Kind {
        CONNECTED("presence-connected", "connected", List.of("connected", "stale", "no-thing"), "session"),
        REASSERTED("presence-reasserted", "connected", List.of("connected", "kept", "no-thing"), "session"),
        DISCONNECTED(
                "presence-disconnected",
                "disconnected",
                List.of("disconnected", "ended", "superseded", "no-thing"),
                "session"),
        NODE_RESTARTED("presence-node-restarted", "disconnected", List.of("disconnected", "kept"), "node", "runPrefix"),
        RUN_ENDED("presence-run-ended", "disconnected", List.of("disconnected", "kept"), "runPrefix");

        final String script;
        final String changed;
        final List<String> answers;
        final List<String> leadingNames;

        Kind(String script, String changed, List<String> answers, String... leadingNames) {
            this.script = script;
            this.changed = changed;
            this.answers = answers;
            this.leadingNames = List.of(leadingNames);
        }

        /** Whether the script reads the session-ordering functions of {@code presence-sessions.lua}. */
        boolean ordersSessions() {
            return this == CONNECTED || this == DISCONNECTED;
        }
    }

    PresenceCall {
        if (leading.size() != kind.leadingNames.size()) {
            throw new IllegalArgumentException(kind.script + " takes " + kind.leadingNames + ", given " + leading);
        }
    }

    @Override
    public @NotNull String script() {
        return kind.script;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        ScriptArguments arguments =
                new ScriptArguments().key("presence", RedisKeys.presence(thing)).key("thing", RedisKeys.thing(thing));
        for (int i = 0; i < leading.size(); i++) {
            arguments.arg(kind.leadingNames.get(i), leading.get(i));
        }
        arguments.arg("now", now);
        entry.ifPresent(feedEntry -> feedEntry.addTo(arguments));
        return arguments;
    }

    @Override
    public @NotNull Boolean reply(@NotNull List<Object> answer) {
        String status = answer.get(0).toString();
        if (!kind.answers.contains(status)) {
            throw new IllegalStateException(kind.script + " answered " + answer);
        }
        return status.equals(kind.changed);
    }
}
