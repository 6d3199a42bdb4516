package io.shadowmq.store.presence;

import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * One call of {@code broker-run-claim.lua}: a reaper claims a dead broker run, or extends the claim it holds.
 *
 * @param run            the broker run
 * @param reaper         the reaper's id
 * @param claimTtlMillis how long the claim lasts
 * @param ignoreLease    whether the run is known to be over (its lease is not looked at)
 */
record RunClaimCall(@NotNull String run, @NotNull String reaper, long claimTtlMillis, boolean ignoreLease)
        implements ScriptCall<BrokerLeases.Claim> {

    static final String SCRIPT = "broker-run-claim";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return leaseAndReaping(run)
                .arg("reaper", reaper)
                .arg("claimTtlMillis", claimTtlMillis)
                .flag("ignoreLease", ignoreLease);
    }

    /** The keys of the scripts that look at a run's lease and its reaping claim, in that order. */
    static ScriptArguments leaseAndReaping(String run) {
        return new ScriptArguments()
                .key("lease", RedisKeys.brokerLease(run))
                .key("reaping", RedisKeys.brokerReaping(run));
    }

    @Override
    public @NotNull BrokerLeases.Claim reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "claimed" -> BrokerLeases.Claim.CLAIMED;
            case "alive" -> BrokerLeases.Claim.ALIVE;
            case "taken" -> BrokerLeases.Claim.TAKEN;
            default -> throw new IllegalStateException(SCRIPT + " answered " + answer);
        };
    }
}
