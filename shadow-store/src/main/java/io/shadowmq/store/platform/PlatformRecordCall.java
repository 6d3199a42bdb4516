package io.shadowmq.store.platform;

import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;

/**
 * One call of {@code platform-record.lua}: records this node's shared settings where the record has none yet, and
 * answers what the record holds.
 *
 * @param recordedAt     when this node checks (epoch ms), kept only if it is the first
 * @param pepperCheck    the check value of this node's pepper
 * @param feedPartitions this node's change-feed partition count
 * @param thingModels    the fingerprint of the thing models this node loaded (replaces the recorded one)
 */
record PlatformRecordCall(
        long recordedAt,
        @NotNull String pepperCheck,
        int feedPartitions,
        @NotNull String thingModels) implements ScriptCall<PlatformRecordCall.Recorded> {

    static final String SCRIPT = "platform-record";

    /**
     * What the record held after the call.
     *
     * @param written        how many of the must-agree fields this call wrote (0: an earlier node had)
     * @param pepperCheck    the recorded pepper check value
     * @param feedPartitions the recorded partition count, as written
     * @param previousModels the fingerprint of the models the previous node loaded, null if none did
     * @param clusterServer  whether the Redis server holding the record runs in cluster mode
     */
    record Recorded(
            long written,
            @NotNull String pepperCheck,
            @NotNull String feedPartitions,
            @Nullable String previousModels,
            boolean clusterServer) {}

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        return new ScriptArguments()
                .key("record", RedisKeys.platform())
                .arg("recordedAt", recordedAt)
                .arg("pepperCheck", pepperCheck)
                .arg("feedPartitions", feedPartitions)
                .arg("thingModels", thingModels);
    }

    @Override
    public @NotNull Recorded reply(@NotNull List<Object> answer) {
        if (answer.size() != 6 || !(answer.get(0) instanceof Number written)) {
            throw new IllegalStateException(SCRIPT + " answered " + answer);
        }
        return new Recorded(
                written.longValue(),
                String.valueOf(answer.get(2)),
                String.valueOf(answer.get(3)),
                answer.get(4) instanceof String previous ? previous : null,
                "1".equals(String.valueOf(answer.get(5))));
    }
}
