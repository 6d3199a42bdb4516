package io.shadowmq.store.feed;

import io.shadowmq.store.redis.ScriptArguments;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * A feed entry that the script committing its change appends in the same atomic step (not on a Redis Cluster: see
 * {@link FeedWriter#inScript}). It is the last part of the script's call: the partition as its last key, then
 * {@code MAXLEN} and the entry's field-value pairs as its last arguments; the script appends when that key is present
 * ({@code if KEYS[n] then redis.call('XADD', KEYS[n], 'MAXLEN', '~', ARGV[m], '*', unpack(ARGV, m + 1)) end}).
 *
 * @param partition the household partition's stream key
 * @param maxLength the partition's approximate cap
 * @param fields    the entry's field-value pairs, in stream order
 */
public record FeedEntryInScript(
        @NotNull String partition, int maxLength, @NotNull List<String> fields) {

    /** Adds this entry as the last key ({@code partition}) and the last arguments ({@code feedMaxLength entry...}). */
    public void addTo(@NotNull ScriptArguments arguments) {
        arguments.key("partition", partition).arg("feedMaxLength", maxLength).argTail("entry", fields);
    }
}
