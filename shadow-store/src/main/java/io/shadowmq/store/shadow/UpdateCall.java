package io.shadowmq.store.shadow;

import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.FeedEntryInScript;
import io.shadowmq.store.feed.FeedRouter;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.ScriptCall;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.Optional;

/**
 * One call of {@code update.lua}, the compare-and-set of a shadow document: commits {@code document} only if the
 * shadow is still what the change was computed from ({@code baseVersion}, {@code baseExists}, {@code type},
 * {@code owner}).
 *
 * @param thing             the thing updated
 * @param clientTokenKey    the requester's clientToken key, or null without a token
 * @param baseVersion       the version the change was computed from
 * @param baseExists        whether a document existed then
 * @param type              the thing type the change was validated against
 * @param document          the new document (stored JSON)
 * @param version           the new version
 * @param tokenWindowMillis how long the clientToken is kept
 * @param replayRecord      what a repeat of this request is answered with ('' without a clientToken)
 * @param writerId          this process's writer id
 * @param leaseMillis       the writer lease to take should this commit be stale (0: none)
 * @param owner             the owner the change was computed for
 * @param fingerprint       the request's fingerprint ('' without a clientToken)
 * @param selfNode          the committing process's node, whose inbox the script skips ('' = none)
 * @param history           the reported-history point to append ('' = none) and how the stream is trimmed
 * @param indexChanges      what changed in the entries since {@code baseVersion} (SearchSchema.changesJson)
 * @param indexEntries      the thing's search-index entries, indexed by the script ('' = indexed after the commit, on a
 *                          Redis Cluster)
 * @param entry             the feed entry the script appends itself (empty on a Redis Cluster)
 * @param sentAt            when the call is sent (the store's monotonic clock): what a stale answer is current since
 */
record UpdateCall(
        @NotNull ThingId thing,
        String clientTokenKey,
        long baseVersion,
        boolean baseExists,
        @NotNull String type,
        @NotNull String document,
        long version,
        long tokenWindowMillis,
        @NotNull String replayRecord,
        @NotNull String writerId,
        long leaseMillis,
        @NotNull String owner,
        @NotNull String fingerprint,
        @NotNull String selfNode,
        @NotNull HistoryAppend history,
        @NotNull String indexEntries,
        @NotNull String indexChanges,
        @NotNull Optional<FeedEntryInScript> entry,
        long sentAt)
        implements ScriptCall<UpdateCall.Commit> {

    static final String SCRIPT = "update";

    /**
     * The reported-history point a commit appends, and the trimming: at most {@code maxLength} entries, none older than
     * the stream id {@code minId} (trimmed about: {@code MINID ~}).
     *
     * @param entry the point ({@code ReportedHistory}'s stored form), '' when the update changed no reported value
     */
    record HistoryAppend(@NotNull String entry, long maxLength, long minId) {}

    /** What the compare-and-set did. */
    sealed interface Commit {}

    /**
     * Committed. {@code watchers} are the nodes watching the thing when the script did not append the entry itself
     * (a Redis Cluster), but the committing node: the caller routes the change to them. {@code selfWatches}: the
     * committing node watches the thing, and its inbox was not appended to (it hands the change to its own follow).
     * {@code entryId}: the partition entry's id where the script appended it, else empty (appended after).
     */
    record Committed(
            @NotNull List<String> watchers,
            boolean selfWatches,
            @NotNull String entryId) implements Commit {}

    /** The requester used this clientToken before: {@code stored} is the fingerprint and record of that request. */
    record Claimed(@NotNull String stored) implements Commit {}

    /** The thing is unknown. */
    record NoThing() implements Commit {}

    /** Another writer holds the lease and has this turn. */
    record Leased() implements Commit {}

    /** Another writer committed first; {@code fresh} is the shadow now, to recompute from. */
    record Stale(@NotNull StoredShadow fresh) implements Commit {}

    @Override
    public @NotNull String script() {
        return SCRIPT;
    }

    @Override
    public @NotNull ScriptArguments arguments() {
        ScriptArguments arguments = new ScriptArguments()
                .key("shadow", RedisKeys.shadow(thing))
                .key("thing", RedisKeys.thing(thing))
                // Without a token the script never touches it; still named, in the thing's slot, to keep KEYS fixed.
                .key("clientToken", clientTokenKey == null ? RedisKeys.shadow(thing) : clientTokenKey)
                .key("writerLease", RedisKeys.writerLease(thing))
                .key("watchers", RedisKeys.watchers(thing))
                .key("history", RedisKeys.history(thing))
                .arg("baseVersion", baseVersion)
                .flag("baseExists", baseExists)
                .arg("type", type)
                .arg("document", document)
                .arg("version", version)
                .arg("tokenWindowMillis", tokenWindowMillis)
                .arg("replayRecord", replayRecord)
                .arg("writerId", writerId)
                .arg("leaseMillis", leaseMillis)
                .arg("owner", owner)
                .arg("fingerprint", fingerprint)
                .arg("selfNode", selfNode)
                .arg("historyEntry", history.entry())
                .arg("historyMaxLength", history.maxLength())
                .arg("historyMinId", history.minId())
                .arg("indexPrefix", RedisKeys.SEARCH_INDEX_PREFIX)
                .arg("thingId", thing.value())
                .arg("indexEntries", indexEntries)
                .arg("indexChanges", indexChanges);
        FeedRouter.addRouting(arguments, entry);
        return arguments;
    }

    private Committed committed(List<Object> answer) {
        if (!answer.get(1).toString().isEmpty()) {
            // Appended by the script: {'ok', id} and, named a node, whether it watches.
            return new Committed(
                    List.of(),
                    answer.size() > 2 && "1".equals(answer.get(2).toString()),
                    answer.get(1).toString());
        }
        List<String> watchers = FeedRouter.watchersAnswered(answer);
        if (selfNode.isEmpty() || !watchers.contains(selfNode)) {
            return new Committed(watchers, false, "");
        }
        return new Committed(
                watchers.stream().filter(node -> !node.equals(selfNode)).toList(), true, "");
    }

    @Override
    public @NotNull Commit reply(@NotNull List<Object> answer) {
        return switch (answer.get(0).toString()) {
            case "ok" -> committed(answer);
            case "claimed" -> new Claimed(answer.get(1).toString());
            case "nothing" -> new NoThing();
            case "leased" -> new Leased();
            case "stale" -> new Stale(StoredShadow.parse(answer.subList(1, answer.size()), sentAt));
            default -> throw new IllegalStateException("update answered " + answer.get(0));
        };
    }
}
