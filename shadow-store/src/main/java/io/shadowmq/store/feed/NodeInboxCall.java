package io.shadowmq.store.feed;

import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * One call of {@code node-inbox.lua}: makes a node's inbox if it is missing and (re)sets its TTL. The reply is true
 * when the inbox was made now (the node's first run, or it had expired and the node must watch its things again).
 *
 * @param inbox     the node's inbox stream key
 * @param ttlMillis how long the inbox outlives this renewal
 */
record NodeInboxCall(@NotNull String inbox, long ttlMillis) implements ScriptCall<Boolean> {

    static final String SCRIPT = "node-inbox";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return new ScriptArguments().key("inbox", inbox).arg("ttlMillis", ttlMillis);
    }

    @Override
    public @NotNull Boolean reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "1" -> true;
            case "0" -> false;
            default -> throw new IllegalStateException("node-inbox answered " + answer);
        };
    }
}
