package io.shadowmq.store.search;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * One call of {@code index-apply.lua}: makes the search index hold {@code entries} for a thing at {@code version}
 * (skipped when it holds a newer version), or, with empty entries, takes the thing out. The reply: whether it did.
 */
record IndexApplyCall(
        @NotNull ThingId thing, long version, @NotNull String entries) implements ScriptCall<Boolean> {

    static final String SCRIPT = "index-apply";

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return new ScriptArguments()
                .key("record", RedisKeys.searchRecords())
                .arg("prefix", RedisKeys.SEARCH_INDEX_PREFIX)
                .arg("thingId", thing.value())
                .arg("version", version)
                .arg("entries", entries);
    }

    @Override
    public @NotNull Boolean reply(@NotNull List<Object> answer) {
        return Long.valueOf(1).equals(answer.get(0));
    }
}
