package io.shadowmq.store.presence;

import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * One call of {@code broker-run-forget.lua}: a reaper is done with a broker run. The reply is true when the run was
 * forgotten, false when it took its lease again meanwhile.
 *
 * @param run         the broker run
 * @param reaper      the reaper's id
 * @param ignoreLease whether the run is known to be over (its lease goes too)
 */
record RunForgetCall(@NotNull String run, @NotNull String reaper, boolean ignoreLease) implements ScriptCall<Boolean> {

    static final String SCRIPT = "broker-run-forget";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return new ScriptArguments()
                .key("lease", RedisKeys.brokerLease(run))
                .key("things", RedisKeys.brokerThings(run))
                .key("reaping", RedisKeys.brokerReaping(run))
                .arg("reaper", reaper)
                .flag("ignoreLease", ignoreLease);
    }

    @Override
    public @NotNull Boolean reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "forgotten" -> true;
            case "alive" -> false;
            default -> throw new IllegalStateException(SCRIPT + " answered " + answer);
        };
    }
}
