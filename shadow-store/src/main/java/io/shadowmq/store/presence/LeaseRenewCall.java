package io.shadowmq.store.presence;

import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * One call of {@code broker-lease-renew.lua}: renews a broker run's lease, or takes it again after it expired.
 *
 * @param run       the broker run
 * @param nowMillis the time kept as the lease's value
 * @param ttlMillis how long the lease lasts
 */
record LeaseRenewCall(@NotNull String run, long nowMillis, long ttlMillis) implements ScriptCall<BrokerLeases.Renewal> {

    static final String SCRIPT = "broker-lease-renew";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return RunClaimCall.leaseAndReaping(run).arg("nowMillis", nowMillis).arg("ttlMillis", ttlMillis);
    }

    @Override
    public @NotNull BrokerLeases.Renewal reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "kept" -> BrokerLeases.Renewal.KEPT;
            case "taken" -> BrokerLeases.Renewal.TAKEN_AGAIN;
            case "reaping" -> BrokerLeases.Renewal.REAPING;
            default -> throw new IllegalStateException(SCRIPT + " answered " + answer);
        };
    }
}
