package io.shadowmq.store.feed;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.ScriptArguments;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Routes changes to the broker nodes that watch their things: appends each change to the inbox stream of every node
 * in its thing's watchers set ({@link NodeFeed} reads one node's inbox), besides its partition entry, which the
 * {@link FeedWriter} appends.
 *
 * <p>The commit script of a shadow update routes its change itself where scripts may append
 * ({@link FeedWriter#appendsInScripts}): to the partition and to each watching node's inbox ({@code XADD NOMKSTREAM}:
 * an inbox that expired with its node is not made again, and the node leaves the set). On a Redis Cluster it answers
 * the watching nodes, and the caller routes with {@link #routeAfterCommit}. Changes committed without a script's
 * help are routed to the nodes their watchers set names.
 */
public final class FeedRouter {

    /** Approximate cap of a node's inbox and of the credential stream ({@code MAXLEN ~}): a node reads them live. */
    static final int INBOX_MAX_LENGTH = 10_000;

    private final RedissonClient redis;
    private final StoreCall call;
    private final FeedWriter writer;

    /** @param writer appends the routed changes to their partitions, and tries inbox appends again on a Cluster */
    public FeedRouter(@NotNull RedissonClient redis, @NotNull StoreCall call, @NotNull FeedWriter writer) {
        this.redis = redis;
        this.call = call;
        this.writer = writer;
    }

    /**
     * The Lua library ({@code feed-route.lua}) of the scripts that commit a change and announce it themselves: load
     * them with {@code LuaScript.load(redis, script, FeedRouter.SCRIPT_LIBRARY)} and pass their last arguments with
     * {@link #addRouting}.
     */
    public static final String SCRIPT_LIBRARY = "feed-route";

    /**
     * Adds the last arguments of a script that announces its change with {@code feed-route.lua}: the inbox key
     * prefix, the inbox cap and, outside a Cluster, the entry itself ({@link FeedEntryInScript#addTo}).
     */
    public static void addRouting(@NotNull ScriptArguments arguments, @NotNull Optional<FeedEntryInScript> entry) {
        arguments.arg("inboxPrefix", RedisKeys.INBOX_PREFIX).arg("inboxMaxLength", INBOX_MAX_LENGTH);
        entry.ifPresent(feedEntry -> feedEntry.addTo(arguments));
    }

    /**
     * The nodes a committing script answered ({@code {'ok', '', node...}} on a Cluster, for
     * {@link #routeAfterCommit}); none when it appended the entry itself ({@code {'ok', id}}).
     */
    public static @NotNull List<String> watchersAnswered(@NotNull List<Object> answer) {
        return answer.subList(2, answer.size()).stream().map(Object::toString).toList();
    }

    /**
     * How many entries a node's inbox keeps, about ({@code MAXLEN ~}): the commit script of a shadow update routes its
     * change to the nodes that watch its thing, into inboxes named {@link RedisKeys#INBOX_PREFIX} and the node.
     */
    public static int inboxMaxLength() {
        return INBOX_MAX_LENGTH;
    }

    /**
     * The second half of a shadow update's commit on a Redis Cluster: appends the committed change to its partition and
     * to the inbox of each node the script answered. Elsewhere the script did both, and this answers at once.
     *
     * @param change the committed shadow update ({@link FeedChange#shadowUpdated})
     */
    public @NotNull CompletionStage<Outcome<String>> routeAfterCommit(
            @NotNull List<String> watchingNodes, @NotNull FeedChange change) {
        if (writer.appendsInScripts()) {
            return CompletableFuture.completedFuture(Outcome.ok(""));
        }
        return toInboxes(change.thing(), watchingNodes, FeedEntries.fields(change))
                .thenCompose(ignored -> writer.appendAfterCommit(change));
    }

    /**
     * Appends a change committed without a script's help (a shadow deleted) to its partition and to the inboxes of
     * the nodes watching its thing, read from its watchers set.
     */
    public @NotNull CompletionStage<Outcome<String>> appendRouted(@NotNull FeedChange change) {
        return routeToWatchers(change).thenCompose(ignored -> writer.append(change));
    }

    /**
     * Appends a change whose partition entry is already written (a presence change: its script appended it) to the
     * inboxes of the nodes watching its thing — a broker holding an older connection of the thing learns of a newer
     * one elsewhere.
     */
    public @NotNull CompletionStage<Void> routeToWatchers(@NotNull FeedChange change) {
        ThingId thing = change.thing();
        List<String> fields = FeedEntries.fields(change);
        return call.run(
                        "feed watchers",
                        redis.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                                .readAllAsync(),
                        Outcome::ok)
                .thenCompose(watchers -> toInboxes(
                        thing, watchers instanceof Outcome.Ok<Set<String>> ok ? ok.value() : Set.of(), fields));
    }

    /** One entry into the inbox of each of {@code nodes}; completes when every append has answered. */
    private CompletableFuture<Void> toInboxes(ThingId thing, Iterable<String> nodes, List<String> fields) {
        List<CompletableFuture<Void>> routed = new ArrayList<>();
        nodes.forEach(node -> routed.add(toInbox(thing, node, fields).toCompletableFuture()));
        return CompletableFuture.allOf(routed.toArray(CompletableFuture[]::new));
    }

    /** One entry into a node's inbox, unless the inbox expired with its node: then the node stops watching. */
    private CompletionStage<Void> toInbox(ThingId thing, String node, List<String> fields) {
        if (!NodeFeed.isValidNode(node)) {
            return CompletableFuture.completedFuture(null);
        }
        StreamAddArgs<String, String> args = StreamAddArgs.entries(FeedEntries.asMap(fields))
                .noMakeStream()
                .trimNonStrict()
                .maxLen(INBOX_MAX_LENGTH)
                .noLimit();
        // On a Cluster the inbox's master may be failing over: tried again like the partition's entry.
        CompletionStage<Outcome<Boolean>> appended = writer.afterCommit(() -> call.run(
                "inbox append",
                redis.<String, String>getStream(RedisKeys.nodeInbox(node), StringCodec.INSTANCE)
                        .addAsync(args),
                id -> Outcome.ok(id != null)));
        return appended.thenCompose(added -> added instanceof Outcome.Ok<Boolean> ok && !ok.value()
                ? call.run(
                                "watchers prune",
                                redis.<String>getSet(RedisKeys.watchers(thing), StringCodec.INSTANCE)
                                        .removeAsync(node),
                                Outcome::ok)
                        .thenApply(pruned -> (Void) null)
                : CompletableFuture.completedFuture(null));
    }
}
