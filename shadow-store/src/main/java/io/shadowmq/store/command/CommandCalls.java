package io.shadowmq.store.command;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEntryInScript;
import io.shadowmq.store.feed.FeedRouter;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The typed calls of the command scripts, and how their answers read. */
final class CommandCalls {

    private CommandCalls() {}

    /** What a committing script did. */
    sealed interface Commit {}

    /**
     * Committed. {@code watchers} are the nodes watching the thing when the script did not append the entry itself
     * (a Redis Cluster): the caller routes the change to them.
     */
    record Committed(@NotNull List<String> watchers) implements Commit {}

    /** The idempotency key was used before: {@code stored} is that invocation's fingerprint and command id. */
    record Claimed(@NotNull String stored) implements Commit {}

    /** The thing already has the most open commands it may have. */
    record Full(long open) implements Commit {}

    /** The thing (invoke) or the command (transition) is unknown. */
    record Nothing() implements Commit {}

    /** The thing or the command changed since it was read: read again and recompute. */
    record Stale() implements Commit {}

    /** A call of a script that commits and answers a {@link Commit}. */
    interface Committing extends ScriptCall<Commit> {

        @Override
        default @NotNull Commit reply(@NotNull List<Object> answer) {
            return commit(script(), answer);
        }
    }

    static Commit commit(String script, List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "ok" -> new Committed(FeedRouter.watchersAnswered(answer));
            case "claimed" -> new Claimed(answer.get(1).toString());
            case "full" -> new Full(Long.parseLong(answer.get(1).toString()));
            case "nothing" -> new Nothing();
            case "stale" -> new Stale();
            default -> throw new IllegalStateException(script + " answered " + answer.get(0));
        };
    }

    /**
     * One call of {@code command-invoke.lua}: queues {@code command} unless its idempotency key was used, the thing
     * changed, or it has {@code maxOpen} open commands.
     */
    record Invoke(
            @NotNull ThingId thing,
            @NotNull String idempotencyKey,
            @NotNull String type,
            @NotNull String owner,
            @NotNull String fingerprint,
            @NotNull String commandId,
            long idempotencyMillis,
            int maxOpen,
            @NotNull String action,
            @NotNull String input,
            long createdAt,
            long expiresAt,
            @NotNull String invokedBy,
            boolean concurrent,
            long retentionCutoff,
            int maxKept,
            @NotNull Optional<FeedEntryInScript> entry)
            implements Committing {

        static final String SCRIPT = "command-invoke";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            ScriptArguments arguments = new ScriptArguments()
                    .key("thing", RedisKeys.thing(thing))
                    // Without a key the script never touches it; still named, in the thing's slot, to keep KEYS fixed.
                    .key(
                            "idempotency",
                            idempotencyKey.isEmpty()
                                    ? RedisKeys.command(thing, commandId)
                                    : RedisKeys.commandIdempotency(thing, idempotencyKey))
                    .key("open", RedisKeys.openCommands(thing))
                    .key("all", RedisKeys.allCommands(thing))
                    .key("command", RedisKeys.command(thing, commandId))
                    .key("watchers", RedisKeys.watchers(thing))
                    .arg("type", type)
                    .arg("owner", owner)
                    .arg("fingerprint", fingerprint)
                    .arg("commandId", commandId)
                    .arg("idempotencyMillis", idempotencyMillis)
                    .arg("maxOpen", maxOpen)
                    .arg("action", action)
                    .arg("input", input)
                    .arg("createdAt", createdAt)
                    .arg("expiresAt", expiresAt)
                    .arg("invokedBy", invokedBy)
                    .flag("concurrent", concurrent)
                    .arg("commandPrefix", RedisKeys.commandPrefix(thing))
                    .arg("retentionCutoff", retentionCutoff)
                    .arg("maxKept", maxKept);
            FeedRouter.addRouting(arguments, entry);
            return arguments;
        }
    }

    /**
     * One call of {@code command-transition.lua}: writes the command's new state if it is still at {@code rev} and
     * the thing still has {@code owner}.
     */
    record Transition(
            @NotNull ThingId thing,
            @NotNull String owner,
            @NotNull String commandId,
            long rev,
            @NotNull String status,
            boolean finalStatus,
            @NotNull String progress,
            @NotNull String output,
            @NotNull String reason,
            long updatedAt,
            @NotNull Optional<FeedEntryInScript> entry)
            implements Committing {

        static final String SCRIPT = "command-transition";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            ScriptArguments arguments = new ScriptArguments()
                    .key("thing", RedisKeys.thing(thing))
                    .key("command", RedisKeys.command(thing, commandId))
                    .key("open", RedisKeys.openCommands(thing))
                    .key("watchers", RedisKeys.watchers(thing))
                    .arg("owner", owner)
                    .arg("commandId", commandId)
                    .arg("rev", rev)
                    .arg("status", status)
                    .flag("final", finalStatus)
                    .arg("progress", progress)
                    .arg("output", output)
                    .arg("reason", reason)
                    .arg("updatedAt", updatedAt);
            FeedRouter.addRouting(arguments, entry);
            return arguments;
        }
    }

    /** What {@code command-read.lua} found: the thing's type and owner ('' when unknown) and the commands' fields. */
    record Found(
            @NotNull String type,
            @NotNull String owner,
            @NotNull List<Map<String, String>> commands) {}

    /** One call of {@code command-read.lua}: one command ({@code commandId}), or all open ones ('' ). */
    record Read(@NotNull ThingId thing, @NotNull String commandId) implements ScriptCall<Found> {

        static final String SCRIPT = "command-read";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            return new ScriptArguments()
                    .key("thing", RedisKeys.thing(thing))
                    .key("open", RedisKeys.openCommands(thing))
                    .arg("commandPrefix", RedisKeys.commandPrefix(thing))
                    .arg("commandId", commandId);
        }

        @Override
        public @NotNull Found reply(@NotNull List<Object> answer) {
            return new Found(
                    answer.get(0).toString(), answer.get(1).toString(), groups(answer.subList(2, answer.size())));
        }
    }

    /** One call of {@code command-list.lua}: up to {@code limit + 1} commands after the cursor, newest first. */
    record ListPage(
            @NotNull ThingId thing,
            @NotNull String cursorCreatedAt,
            @NotNull String cursorId,
            int limit,
            @NotNull String status)
            implements ScriptCall<List<Map<String, String>>> {

        static final String SCRIPT = "command-list";

        @Override
        public @NotNull String script() {
            return SCRIPT;
        }

        @Override
        public @NotNull ScriptArguments arguments() {
            return new ScriptArguments()
                    .key("all", RedisKeys.allCommands(thing))
                    .arg("commandPrefix", RedisKeys.commandPrefix(thing))
                    .arg("cursorCreatedAt", cursorCreatedAt)
                    .arg("cursorId", cursorId)
                    .arg("limit", limit)
                    .arg("status", status);
        }

        @Override
        public @NotNull List<Map<String, String>> reply(@NotNull List<Object> answer) {
            return groups(answer);
        }
    }

    /** Count-prefixed groups of field-value pairs ({@code n, f, v, ..., n, ...}) as maps; a 0 group is an empty map. */
    static List<Map<String, String>> groups(List<Object> flat) {
        List<Map<String, String>> groups = new ArrayList<>();
        int at = 0;
        while (at < flat.size()) {
            int n = Integer.parseInt(flat.get(at).toString());
            Map<String, String> fields = new java.util.HashMap<>();
            for (int i = 0; i < n; i += 2) {
                fields.put(flat.get(at + 1 + i).toString(), flat.get(at + 2 + i).toString());
            }
            groups.add(fields);
            at += n + 1;
        }
        return groups;
    }
}
