package io.shadowmq.store.registry;

import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;

/**
 * One call of {@code deprovision.lua}: removes a thing, its shadow document, its presence and its commands. The reply is the
 * removed thing (its type and owner; no creation time), empty when the thing is unknown.
 *
 * @param thing the thing's id
 */
record DeprovisionCall(@NotNull ThingId thing) implements ScriptCall<Optional<ThingRecord>> {

    static final String SCRIPT = "deprovision";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return new ScriptArguments()
                .key("thing", RedisKeys.thing(thing))
                .key("shadow", RedisKeys.shadow(thing))
                .key("presence", RedisKeys.presence(thing))
                .key("openCommands", RedisKeys.openCommands(thing))
                .key("allCommands", RedisKeys.allCommands(thing))
                .key("history", RedisKeys.history(thing))
                .arg("commandPrefix", RedisKeys.commandPrefix(thing));
    }

    @Override
    public @NotNull Optional<ThingRecord> reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "deleted" ->
                Optional.of(new ThingRecord(
                        thing, answer.get(1).toString(), Owner.of(answer.get(2).toString()), 0));
            case "nothing" -> Optional.empty();
            default -> throw new IllegalStateException(SCRIPT + " answered " + answer);
        };
    }
}
