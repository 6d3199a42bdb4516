package io.shadowmq.store.shadow;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;

/**
 * One call of {@code read-shadow.lua}: a shadow together with the facts needed to update it; empty when the thing is
 * unknown.
 *
 * @param thing  the thing read
 * @param sentAt when the read was sent (the store's monotonic clock): what the answer is known to be current since
 */
record ReadShadowCall(@NotNull ThingId thing, long sentAt) implements ScriptCall<Optional<StoredShadow>> {

    static final String SCRIPT = "read-shadow";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return shadowAndThing(thing);
    }

    /** The keys of the scripts that touch a thing's shadow and nothing else: its shadow hash, then its thing hash. */
    static ScriptArguments shadowAndThing(ThingId thing) {
        return new ScriptArguments().key("shadow", RedisKeys.shadow(thing)).key("thing", RedisKeys.thing(thing));
    }

    @Override
    public @NotNull Optional<StoredShadow> reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "nothing" -> Optional.empty();
            case "found" -> Optional.of(StoredShadow.parse(answer.subList(1, answer.size()), sentAt));
            default -> throw new IllegalStateException("read-shadow answered " + answer);
        };
    }
}
