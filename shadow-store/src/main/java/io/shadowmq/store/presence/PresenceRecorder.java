package io.shadowmq.store.presence;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Records a broker's connects and disconnects in the {@link PresenceStore} so that a busy or briefly unavailable
 * Redis does not leave a thing shown offline while it is connected (or the other way round): a write answered 503
 * is retried with growing pauses — a connect only while its session is still open — and a session's disconnect is
 * written only after its connect's last attempt, so the two can never land in the wrong order.
 *
 * <p>Found by the benchmark: in a storm of 10,000 CONNECTs, 2,103 "connected" writes timed out and those things
 * stayed "offline" in the REST API although they were connected.
 * <pre>{@code
 * PresenceRecorder recorder = new PresenceRecorder(store.presence(), PresenceRecorder.FIRST_RETRY, PresenceRecorder.ATTEMPTS);
 * recorder.connected(thing, owner, "node-a/17", now);      // on authentication success
 * recorder.disconnected(thing, owner, "node-a/17", later); // on disconnect: after the connect above has landed
 * }</pre>
 */
public final class PresenceRecorder {

    public static final Duration FIRST_RETRY = Duration.ofMillis(250);
    /** 250 ms doubling: the last of 6 attempts starts about 8 s after the first. */
    public static final int ATTEMPTS = 6;

    private final PresenceStore presence;
    private final Duration firstRetry;
    private final int attempts;
    /** Open sessions: whose thing, and their connect write (with its retries). */
    private final Map<String, OpenSession> open = new ConcurrentHashMap<>();

    private record OpenSession(ThingId thing, Owner owner, CompletableFuture<Outcome<Boolean>> written) {}

    public PresenceRecorder(@NotNull PresenceStore presence, @NotNull Duration firstRetry, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        this.presence = presence;
        this.firstRetry = firstRetry;
        this.attempts = attempts;
    }

    /**
     * Marks the thing connected under {@code session}; the answer is the last attempt's (false: the session had
     * already ended, or a later one of its run took over - see {@link PresenceStore}).
     */
    public @NotNull CompletionStage<Outcome<Boolean>> connected(
            @NotNull ThingId thing, @NotNull Owner owner, @NotNull String session, long nowMillis) {
        CompletableFuture<Outcome<Boolean>> written = new CompletableFuture<>();
        OpenSession opened = new OpenSession(thing, owner, written);
        open.put(session, opened);
        retrying(
                        () -> presence.connected(thing, owner, session, nowMillis),
                        () -> open.containsKey(session),
                        1,
                        firstRetry)
                .whenComplete((outcome, error) -> {
                    if (outcome instanceof Outcome.Ok<Boolean> ok && !ok.value()) {
                        // Stale: the session already ended (its disconnect came first) or a later one took over;
                        // no disconnect of it is left to wait for this write.
                        open.remove(session, opened);
                    }
                    written.complete(
                            outcome != null
                                    ? outcome
                                    : Outcome.rejected(Rejection.internal("presence connected failed: " + error)));
                });
        return written;
    }

    /** Ends {@code session} once its connect write is done (never before); the answer is the last attempt's. */
    public @NotNull CompletionStage<Outcome<Boolean>> disconnected(
            @NotNull ThingId thing, @NotNull Owner owner, @NotNull String session, long nowMillis) {
        OpenSession connect = open.remove(session);
        CompletionStage<?> after = connect == null ? CompletableFuture.completedFuture(null) : connect.written();
        return after.thenCompose(ignored ->
                retrying(() -> presence.disconnected(thing, owner, session, nowMillis), () -> true, 1, firstRetry));
    }

    /**
     * Shows every session still open here connected again where a reaper ended it (this broker had lost its lease:
     * {@link PresenceStore#reasserted}); a session whose connect is still being written is shown once written.
     * Answers how many sessions were shown connected again. A session that ends meanwhile is not revived: its
     * disconnect clears what the reaper marked.
     */
    public @NotNull CompletionStage<Integer> reassert(long nowMillis) {
        List<CompletableFuture<Boolean>> shown = new ArrayList<>();
        open.forEach((session, opened) -> shown.add(opened.written()
                .thenCompose(written -> written instanceof Outcome.Ok<Boolean> ok && ok.value()
                        ? presence.reasserted(opened.thing(), opened.owner(), session, nowMillis)
                        : CompletableFuture.completedFuture(Outcome.ok(false)))
                .thenApply(outcome -> outcome instanceof Outcome.Ok<Boolean> ok && ok.value())
                .toCompletableFuture()));
        return CompletableFuture.allOf(shown.toArray(CompletableFuture[]::new)).thenApply(done ->
                (int) shown.stream().filter(CompletableFuture::join).count());
    }

    private CompletionStage<Outcome<Boolean>> retrying(
            Supplier<CompletionStage<Outcome<Boolean>>> write,
            Supplier<Boolean> stillWanted,
            int attempt,
            Duration pause) {
        return write.get().thenCompose(outcome -> {
            boolean unavailable = outcome instanceof Outcome.Rejected<Boolean> rejected
                    && rejected.rejection().code() == Rejection.STORE_UNAVAILABLE;
            if (!unavailable || attempt >= attempts || !stillWanted.get()) {
                return CompletableFuture.completedFuture(outcome);
            }
            return CompletableFuture.supplyAsync(
                            () -> null, CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> stillWanted.get()
                            ? retrying(write, stillWanted, attempt + 1, pause.multipliedBy(2))
                            : CompletableFuture.completedFuture(outcome));
        });
    }
}
