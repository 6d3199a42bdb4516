package io.shadowmq.store.registry;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * One call of {@code provision.lua}: creates a thing unless one with this id exists. The reply is true when created.
 *
 * @param thing      the thing's id
 * @param type       its thing type
 * @param owner      its owner (household)
 * @param createdAt  when it is created (ms)
 * @param secretHash the hash of its secret
 */
record ProvisionCall(
        @NotNull ThingId thing,
        @NotNull String type,
        @NotNull String owner,
        long createdAt,
        @NotNull String secretHash) implements ScriptCall<Boolean> {

    static final String SCRIPT = "provision";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return new ScriptArguments()
                .key("thing", RedisKeys.thing(thing))
                .arg("type", type)
                .arg("owner", owner)
                .arg("createdAt", createdAt)
                .arg("secretHash", secretHash);
    }

    @Override
    public @NotNull Boolean reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "created" -> true;
            case "exists" -> false;
            default -> throw new IllegalStateException(SCRIPT + " answered " + answer);
        };
    }
}
