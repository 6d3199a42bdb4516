package io.shadowmq.store.registry;

import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * One call of {@code list-things.lua}: one page of a thing index, in id order. The reply is the ids.
 *
 * @param index the index's key (a sorted set)
 * @param after the exclusive lower bound ('' from the start)
 * @param count how many ids at most
 */
record ListThingsCall(@NotNull String index, @NotNull String after, int count) implements ScriptCall<List<String>> {

    static final String SCRIPT = "list-things";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return new ScriptArguments().key("index", index).arg("after", after).arg("count", count);
    }

    @Override
    public @NotNull List<String> reply(@NotNull List<Object> answer) {
        return answer.stream().map(Object::toString).toList();
    }
}
