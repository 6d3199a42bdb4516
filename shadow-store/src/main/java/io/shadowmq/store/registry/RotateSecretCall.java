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
 * One call of {@code rotate-secret.lua}: replaces a thing's secret hash. The reply is the thing's owner, empty when
 * the thing is unknown.
 *
 * @param thing      the thing's id
 * @param secretHash the hash of its new secret
 */
record RotateSecretCall(@NotNull ThingId thing, @NotNull String secretHash) implements ScriptCall<Optional<Owner>> {

    static final String SCRIPT = "rotate-secret";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return new ScriptArguments().key("thing", RedisKeys.thing(thing)).arg("secretHash", secretHash);
    }

    @Override
    public @NotNull Optional<Owner> reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "rotated" -> Optional.of(Owner.of(answer.get(1).toString()));
            case "nothing" -> Optional.empty();
            default -> throw new IllegalStateException(SCRIPT + " answered " + answer);
        };
    }
}
