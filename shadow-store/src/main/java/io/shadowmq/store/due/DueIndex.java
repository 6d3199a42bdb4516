package io.shadowmq.store.due;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When things fall due (a command's expiry, a desired value's expiry), shared by every node: sorted sets
 * {@code smq:due:{p}} for p in 0..P-1, members {@link DueMember} scored by when they are due (epoch ms), a member's
 * partition chosen by its thing. The {@link Sweeper} claims what is due with a lease, runs it and settles it, so each
 * due member is run by one node at a time, and again after the lease if that node died.
 *
 * <pre>{@code
 * due.schedule(thing, DueMember.of(DueMember.DESIRED, thing).member(), expiresAt);
 * }</pre>
 */
public final class DueIndex {

    private final RedissonClient redis;
    private final StoreCall call;
    private final int partitions;
    private final LuaScript claimScript;
    private final LuaScript settleScript;
    private final AtomicInteger nextStart = new AtomicInteger();

    public DueIndex(@NotNull RedissonClient redis, @NotNull StoreCall call, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("the due index needs at least one partition");
        }
        this.redis = redis;
        this.call = call;
        this.partitions = partitions;
        this.claimScript = LuaScript.load(redis, DueCalls.Claim.SCRIPT);
        this.settleScript = LuaScript.load(redis, DueCalls.Settle.SCRIPT);
    }

    /** The partition key of {@code thing}'s members. String.hashCode is fixed by the JLS, so all processes agree. */
    @NotNull
    String keyOf(@NotNull ThingId thing) {
        return RedisKeys.due(Math.floorMod(thing.value().hashCode(), partitions));
    }

    /**
     * {@code member} (of {@code thing}) is due at {@code atMillis}, or earlier if it already was ({@code ZADD LT}:
     * the earliest schedule is kept).
     */
    public @NotNull CompletionStage<Outcome<Boolean>> schedule(
            @NotNull ThingId thing, @NotNull String member, long atMillis) {
        return call.run(
                "due schedule",
                redis.<String>getScoredSortedSet(keyOf(thing), StringCodec.INSTANCE)
                        .addIfLessAsync(atMillis, member),
                added -> Outcome.ok(added));
    }

    /** Takes {@code member} of {@code thing} out of the index: what it was scheduled for will not happen. */
    public @NotNull CompletionStage<Outcome<Boolean>> unschedule(@NotNull ThingId thing, @NotNull String member) {
        return call.run(
                "due unschedule",
                redis.<String>getScoredSortedSet(keyOf(thing), StringCodec.INSTANCE)
                        .removeAsync(member),
                removed -> Outcome.ok(removed));
    }

    /** As {@link #schedule(ThingId, String, long)} for a typed member. */
    public @NotNull CompletionStage<Outcome<Boolean>> schedule(@NotNull DueMember member, long atMillis) {
        return schedule(member.thing(), member.member(), atMillis);
    }

    /**
     * Claims up to {@code max} members due by {@code nowMillis}, over all partitions (starting with another one
     * each time, so a busy partition does not starve the rest): each is scored {@code nowMillis + lease}
     * atomically, so another claimer gets it only once the lease has passed. Members that do not parse are claimed
     * and dropped from the answer (they stay, due again after the lease).
     */
    public @NotNull CompletionStage<Outcome<List<DueClaim>>> claim(long nowMillis, int max, @NotNull Duration lease) {
        long until = nowMillis + lease.toMillis();
        int start = Math.floorMod(nextStart.getAndIncrement(), partitions);
        return claimFrom(start, 0, nowMillis, max, until, new ArrayList<>(), null);
    }

    private CompletionStage<Outcome<List<DueClaim>>> claimFrom(
            int start,
            int done,
            long now,
            int max,
            long until,
            List<DueClaim> claimed,
            @Nullable Outcome<List<DueClaim>> failure) {
        if (done == partitions || claimed.size() >= max) {
            return CompletableFuture.completedFuture(
                    claimed.isEmpty() && failure != null ? failure : Outcome.ok(List.copyOf(claimed)));
        }
        String key = RedisKeys.due((start + done) % partitions);
        return call.run(
                        "due claim",
                        claimScript.call(new DueCalls.Claim(key, now, max - claimed.size(), until)),
                        Outcome::ok)
                .thenCompose(outcome -> {
                    Outcome<List<DueClaim>> failed = failure;
                    if (outcome instanceof Outcome.Ok<List<String>> ok) {
                        for (String member : ok.value()) {
                            DueMember.parse(member).ifPresent(parsed -> claimed.add(new DueClaim(parsed, until)));
                        }
                    } else if (outcome instanceof Outcome.Rejected<List<String>> no) {
                        failed = Outcome.rejected(no.rejection());
                    }
                    return claimFrom(start, done + 1, now, max, until, claimed, failed);
                });
    }

    /**
     * Settles a member claimed with score {@code claimedScore}: due again at {@code next}, or out of the index when
     * null, unless it was scheduled anew since the claim (that schedule wins). True when settled.
     */
    public @NotNull CompletionStage<Outcome<Boolean>> settle(
            @NotNull String member, long claimedScore, @Nullable Long next) {
        Optional<DueMember> parsed = DueMember.parse(member);
        if (parsed.isEmpty()) {
            return CompletableFuture.completedFuture(Outcome.ok(false));
        }
        return call.run(
                "due settle",
                settleScript.call(new DueCalls.Settle(
                        keyOf(parsed.get().thing()), member, claimedScore, next == null ? "" : next.toString())),
                Outcome::ok);
    }

    /** As {@link #settle(String, long, Long)} for a claim. */
    public @NotNull CompletionStage<Outcome<Boolean>> settle(@NotNull DueClaim claim, @Nullable Long next) {
        return settle(claim.member().member(), claim.claimedScore(), next);
    }

    /** When {@code member} of {@code thing} is due, if it is in the index (tests, diagnostics). */
    public @NotNull CompletionStage<Outcome<Optional<Long>>> dueAt(@NotNull ThingId thing, @NotNull String member) {
        return call.run(
                "due score",
                redis.<String>getScoredSortedSet(keyOf(thing), StringCodec.INSTANCE)
                        .getScoreAsync(member),
                score -> Outcome.ok(Optional.ofNullable(score).map(Double::longValue)));
    }
}
