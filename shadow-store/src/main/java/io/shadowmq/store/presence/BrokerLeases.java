package io.shadowmq.store.presence;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.redis.LuaScript;
import io.shadowmq.store.redis.RedisKeys;
import io.shadowmq.store.redis.StoreCall;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Liveness leases of broker runs, and the set of things each run recorded connected. A broker run ({@code node/run},
 * the prefix of its presence sessions without the trailing slash) renews its lease while it lives; a run whose lease
 * expired died without recording its disconnects, and a reaper ({@link LeaseReaper}) ends the sessions it left.
 * Keys: one set of all runs ({@link RedisKeys#brokerRuns}), and per run its lease, its things and a reaping claim,
 * all in the run's own Cluster slot.
 * <pre>{@code
 * leases.renew("3f2a9c1e/b07d44a2", Duration.ofSeconds(15), now);  // every 5 s, from the broker
 * leases.runs();                                                     // {"3f2a9c1e/b07d44a2", ...}, for reapers
 * }</pre>
 */
public final class BrokerLeases {

    private static final Pattern RUN = Pattern.compile("[A-Za-z0-9_.-]{1,64}/[A-Za-z0-9_.-]{1,64}");
    private static final int SCAN_BATCH = 500;

    /** What a renewal found: the lease still held, or lost (reapers may have ended this run's sessions). */
    public enum Renewal {
        KEPT,
        TAKEN_AGAIN,
        REAPING;

        /** Whether the run's live sessions must be shown connected again ({@link PresenceStore#reasserted}). */
        public boolean lost() {
            return this != KEPT;
        }
    }

    /** What a reaper's claim on a run found. */
    public enum Claim {
        CLAIMED,
        ALIVE,
        TAKEN
    }

    private final RedissonClient redis;
    private final StoreCall call;
    private final LuaScript renewScript;
    private final LuaScript claimScript;
    private final LuaScript forgetScript;

    public BrokerLeases(@NotNull RedissonClient redis, @NotNull StoreCall call) {
        this.redis = redis;
        this.call = call;
        this.renewScript = LuaScript.load(redis, LeaseRenewCall.SCRIPT);
        this.claimScript = LuaScript.load(redis, RunClaimCall.SCRIPT);
        this.forgetScript = LuaScript.load(redis, RunForgetCall.SCRIPT);
    }

    /** Whether {@code run} is a broker run as named in presence sessions ({@code node/run}). */
    public static boolean isRun(@NotNull String run) {
        return RUN.matcher(run).matches();
    }

    /** The run that recorded {@code session} ({@code node/run/counter}); empty for any other session. */
    public static @NotNull Optional<String> runOf(@NotNull String session) {
        int last = session.lastIndexOf('/');
        return last > 0 && isRun(session.substring(0, last))
                ? Optional.of(session.substring(0, last))
                : Optional.empty();
    }

    /**
     * Takes or renews {@code run}'s lease for {@code ttl}, and lists the run among the live ones (again, should a
     * reaper have dropped it meanwhile).
     */
    public @NotNull CompletionStage<Outcome<Renewal>> renew(
            @NotNull String run, @NotNull Duration ttl, long nowMillis) {
        requireRun(run);
        CompletionStage<Outcome<Renewal>> renewed = call.run(
                "lease renew", renewScript.call(new LeaseRenewCall(run, nowMillis, ttl.toMillis())), Outcome::ok);
        return renewed.thenCompose(outcome -> call.run(
                "lease register",
                redis.<String>getSet(RedisKeys.brokerRuns(), StringCodec.INSTANCE)
                        .addAsync(run),
                added -> outcome));
    }

    /** Adds {@code thing} to the things {@code run} holds; called before its presence record names the run. */
    public @NotNull CompletionStage<Outcome<Boolean>> tag(@NotNull String run, @NotNull ThingId thing) {
        requireRun(run);
        return call.run(
                "lease tag",
                redis.<String>getSet(RedisKeys.brokerThings(run), StringCodec.INSTANCE)
                        .addAsync(thing.value()),
                added -> Outcome.ok(true));
    }

    /** Every run listed as live (its lease may have expired since). */
    public @NotNull CompletionStage<Outcome<Set<String>>> runs() {
        return call.run(
                "lease runs",
                redis.<String>getSet(RedisKeys.brokerRuns(), StringCodec.INSTANCE)
                        .readAllAsync(),
                members -> Outcome.ok(Set.copyOf(members)));
    }

    /**
     * Claims a run for reaping as {@code reaper}, or extends the claim it holds: {@link Claim#ALIVE} when the run
     * holds its lease (unless {@code ignoreLease}: the run is known to be over), {@link Claim#TAKEN} when another
     * reaper has it.
     */
    public @NotNull CompletionStage<Outcome<Claim>> claim(
            @NotNull String run, @NotNull String reaper, @NotNull Duration claimTtl, boolean ignoreLease) {
        requireRun(run);
        return call.run(
                "lease claim",
                claimScript.call(new RunClaimCall(run, reaper, claimTtl.toMillis(), ignoreLease)),
                Outcome::ok);
    }

    /**
     * The things {@code run} tagged, read with SSCAN in batches on the calling thread (blocking: for a reaper on a
     * thread of its own).
     */
    public @NotNull Stream<ThingId> thingsOf(@NotNull String run) {
        requireRun(run);
        return redis.<String>getSet(RedisKeys.brokerThings(run), StringCodec.INSTANCE).stream(SCAN_BATCH)
                .filter(ThingId::isValid)
                .map(ThingId::of);
    }

    /**
     * Ends a reaper's work on {@code run}: drops its things and the reaper's claim and unlists it - unless the run
     * took its lease again meanwhile (then only the claim goes). With {@code ignoreLease} the lease goes too (a run
     * that stopped). Answers whether the run was forgotten.
     */
    public @NotNull CompletionStage<Outcome<Boolean>> forget(
            @NotNull String run, @NotNull String reaper, boolean ignoreLease) {
        requireRun(run);
        return call.run("lease forget", forgetScript.call(new RunForgetCall(run, reaper, ignoreLease)), Outcome::ok)
                .thenCompose(forgotten -> forgotten instanceof Outcome.Ok<Boolean> ok && ok.value()
                        // A run that takes its lease again after this lists itself again at its next renewal.
                        ? call.run(
                                "lease unlist",
                                redis.<String>getSet(RedisKeys.brokerRuns(), StringCodec.INSTANCE)
                                        .removeAsync(run),
                                removed -> forgotten)
                        : java.util.concurrent.CompletableFuture.completedFuture(forgotten));
    }

    private static void requireRun(String run) {
        if (!isRun(run)) {
            throw new IllegalArgumentException(
                    "a broker run is 'node/run' (letters, digits, _ . -), was '" + run + "'");
        }
    }
}
