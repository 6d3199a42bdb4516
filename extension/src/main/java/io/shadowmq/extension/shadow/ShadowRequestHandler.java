package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.extension.auth.MemberAccess;
import io.shadowmq.model.access.Access;
import io.shadowmq.model.access.PathPattern;
import io.shadowmq.model.schema.Section;
import io.shadowmq.model.shadow.ClientRequest;
import io.shadowmq.model.shadow.GetRequest;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.shadow.ShadowRepository;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Turns one shadow request into a store call and its answer on the {@code accepted} or {@code rejected} topic.
 * The path is short and one-way: parse (thing-model) → store (one atomic commit) → answer published. Deltas and
 * documents are not published here but by {@link DeltaDispatcher} from the change feed, the one path for changes
 * made by devices, the REST service and other broker nodes alike.
 *
 * <p>Who may send what to which topic was decided by the authorizer before this runs; the rules that need the
 * payload are checked here: a household member (not the thing itself) writes {@code desired} only, and of it only
 * what its {@link MemberAccess} lets it write (403 naming the path); its {@code get} answers what it may read (of the
 * {@code paths} it names: 403 naming the first it may not read). Members' requests are recorded in the household's
 * audit trail.
 *
 * <pre>{@code
 * handler.handle(ThingId.of("speaker-1"), ShadowTopic.parse("things/car-1/shadow/get").orElseThrow(), payload);
 * }</pre>
 */
public final class ShadowRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(ShadowRequestHandler.class);

    private final ShadowRepository shadows;
    private final MemberAccess members;
    private final ResponseSink responses;
    private final UpdateRateLimiter rateLimiter;
    private final ShadowMetrics metrics;
    private final Clock clock;
    private final LongSupplier nanoClock;

    public ShadowRequestHandler(
            @NotNull ShadowRepository shadows,
            @NotNull MemberAccess members,
            @NotNull ResponseSink responses,
            @NotNull UpdateRateLimiter rateLimiter,
            @NotNull ShadowMetrics metrics,
            @NotNull Clock clock) {
        this(shadows, members, responses, rateLimiter, metrics, clock, System::nanoTime);
    }

    /** @param nanoClock monotonic time in nanoseconds, for the store latency ({@link System#nanoTime()} but in tests) */
    public ShadowRequestHandler(
            @NotNull ShadowRepository shadows,
            @NotNull MemberAccess members,
            @NotNull ResponseSink responses,
            @NotNull UpdateRateLimiter rateLimiter,
            @NotNull ShadowMetrics metrics,
            @NotNull Clock clock,
            @NotNull LongSupplier nanoClock) {
        this.shadows = shadows;
        this.members = members;
        this.responses = responses;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.clock = clock;
        this.nanoClock = nanoClock;
    }

    /**
     * Handles a request of {@code requester} and completes once its answer is handed to the broker. Never completes
     * exceptionally, and every request gets exactly one answer: whatever fails unexpectedly on the way (a bug, a
     * store reply that cannot be read), synchronously or in a later stage, is logged once with the thing and the
     * client token and answered {@code rejected} 500 {@code internal error}, so a waiting device never hangs.
     */
    public @NotNull CompletionStage<Void> handle(
            @NotNull ThingId requester, @NotNull ShadowTopic topic, byte @NotNull [] payload) {
        CompletionStage<Void> answered;
        try {
            answered = switch (topic.operation()) {
                case UPDATE -> update(requester, topic, payload);
                case GET -> get(requester, topic, payload);
                case DELETE -> delete(topic, payload);
            };
        } catch (RuntimeException bug) {
            answered = CompletableFuture.failedFuture(bug);
        }
        // Nothing after an answer is handed over can fail (send never does), so this cannot answer twice.
        return answered.exceptionallyCompose(bug -> failed(requester, topic, payload, bug));
    }

    /**
     * Answers a request the broker could not get to in time with 503 {@code broker busy}, without parsing it (the
     * client token is salvaged for the answer): it waited {@code waitedMillis} in the broker's queue, more than
     * {@code limitMillis}.
     */
    public @NotNull CompletionStage<Void> shed(
            @NotNull ShadowTopic topic, byte @NotNull [] payload, long waitedMillis, long limitMillis) {
        return answer(
                topic,
                Rejection.brokerBusy("the request waited " + waitedMillis + " ms in the broker's queue (at most "
                        + limitMillis + " ms), retry shortly"),
                ShadowRequests.salvageClientToken(payload).orElse(null));
    }

    private CompletionStage<Void> failed(ThingId requester, ShadowTopic topic, byte[] payload, Throwable failure) {
        Throwable bug =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String token = ShadowRequests.salvageClientToken(payload).orElse(null);
        log.error(
                "thing {}: {} request by {} failed unexpectedly, answered 500 (clientToken {})",
                topic.thing(),
                topic.operation().level(),
                requester,
                token,
                bug);
        return answer(topic, Rejection.internal("internal error"), token);
    }

    private CompletionStage<Void> update(ThingId requester, ShadowTopic topic, byte[] payload) {
        Outcome<UpdateRequest> parsed = ShadowRequests.parseUpdate(payload, shadows.limits());
        if (parsed instanceof Outcome.Rejected<UpdateRequest> invalid) {
            return reject(
                    topic,
                    invalid.rejection(),
                    ShadowRequests.salvageClientToken(payload).orElse(null));
        }
        UpdateRequest request = ((Outcome.Ok<UpdateRequest>) parsed).value();
        if (!requester.equals(topic.thing()) && request.touches(Section.REPORTED)) {
            return reject(
                    topic,
                    Rejection.notAllowed("state.reported: only thing " + topic.thing()
                            + " reports its own state; household members write desired only"),
                    request.clientToken());
        }
        if (!requester.equals(topic.thing()) && request.rejectsDesired()) {
            return reject(
                    topic,
                    Rejection.notAllowed("rejectDesired: only thing " + topic.thing()
                            + " refuses its own desired values; household members set or withdraw them"),
                    request.clientToken());
        }
        if (!rateLimiter.tryAcquire(topic.thing())) {
            return reject(topic, Rejection.rateLimited("rate limit: " + rateLimiter.describe()), request.clientToken());
        }
        if (requester.equals(topic.thing())) {
            return commit(requester, topic, request).thenApply(code -> null);
        }
        // A household member: the model's 422 first (a readOnly or unknown path is no matter of access), then what
        // its access lets it write, then the store.
        List<String> written = AuditEntry.writtenPaths(request.section(Section.DESIRED));
        return members.decide(requester, topic.thing())
                .handle((decision, failure) -> {
                    if (failure != null) {
                        return MemberAccess.unavailable(requester, topic.thing());
                    }
                    Optional<Rejection> invalid = request.patch(Section.DESIRED)
                            .flatMap(patch -> decision.model().flatMap(model -> model.check(Section.DESIRED, patch)));
                    if (invalid.isPresent()) {
                        return invalid.get();
                    }
                    return decision.access()
                            .firstUnwritable(request.section(Section.DESIRED))
                            .map(path -> decision.access()
                                    .refuseWrite(
                                            requester.value(),
                                            path,
                                            topic.thing().value()))
                            .orElse(null);
                })
                .thenCompose(refusal -> {
                    if (refusal != null) {
                        members.record(requester, topic.thing(), AuditEntry.WRITE, written, refusal.code());
                        return reject(topic, refusal, request.clientToken());
                    }
                    return commit(requester, topic, request).thenApply(code -> {
                        members.record(requester, topic.thing(), AuditEntry.WRITE, written, code);
                        return null;
                    });
                });
    }

    /** Commits an allowed update and answers it; completes with the answer's code. */
    private CompletionStage<Integer> commit(ThingId requester, ShadowTopic topic, UpdateRequest request) {
        long started = nanoClock.getAsLong();
        return shadows.update(topic.thing(), Requester.thing(requester), request)
                .thenCompose(outcome -> {
                    metrics.storeLatency(nanoClock.getAsLong() - started);
                    if (outcome instanceof UpdateOutcome.Accepted accepted) {
                        metrics.accepted();
                        return send(topic.accepted(), ShadowPayloads.accepted(accepted))
                                .thenApply(sent -> 200);
                    }
                    Rejection rejection = ((UpdateOutcome.Rejected) outcome).rejection();
                    return reject(topic, rejection, request.clientToken()).thenApply(sent -> rejection.code());
                });
    }

    /**
     * A get, whole or selecting {@code paths}: 422 for a path naming nothing in the model, 403 naming the first path
     * a household member may not read, else the document with what the requester may read of it (of the paths).
     */
    private CompletionStage<Void> get(ThingId requester, ShadowTopic topic, byte[] payload) {
        Outcome<GetRequest> parsed = ShadowRequests.parseGet(payload);
        if (parsed instanceof Outcome.Rejected<GetRequest> invalid) {
            return reject(
                    topic,
                    invalid.rejection(),
                    ShadowRequests.salvageClientToken(payload).orElse(null));
        }
        GetRequest request = ((Outcome.Ok<GetRequest>) parsed).value();
        String token = request.clientToken();
        List<PathPattern> paths = request.paths();
        List<String> asked = paths.stream().map(PathPattern::text).toList();
        // The model only to check the paths asked for: a whole get needs the access alone.
        CompletableFuture<MemberAccess.Decision> deciding = paths.isEmpty()
                ? members.of(requester, topic.thing())
                        .thenApply(access -> new MemberAccess.Decision(Optional.empty(), access))
                : members.decide(requester, topic.thing());
        return deciding.handle((decision, failure) -> failure != null
                        ? Outcome.<Access>rejected(MemberAccess.unavailable(requester, topic.thing()))
                        : readAccess(requester, topic.thing(), paths, decision))
                .thenCompose(decided -> decided instanceof Outcome.Ok<Access> access
                        ? read(topic, access.value(), token)
                        : CompletableFuture.completedFuture(
                                Outcome.<ObjectNode>rejected(((Outcome.Rejected<Access>) decided).rejection())))
                .thenCompose(answer -> {
                    if (answer instanceof Outcome.Ok<ObjectNode> document) {
                        members.record(requester, topic.thing(), AuditEntry.READ, asked, 200);
                        return send(topic.accepted(), document.value());
                    }
                    Rejection rejection = ((Outcome.Rejected<ObjectNode>) answer).rejection();
                    members.record(requester, topic.thing(), AuditEntry.READ, asked, rejection.code());
                    return reject(topic, rejection, token);
                });
    }

    /** What a get may answer: the access narrowed to the paths asked for, or why not. */
    private static Outcome<Access> readAccess(
            ThingId requester, ThingId target, List<PathPattern> paths, MemberAccess.Decision decision) {
        if (paths.isEmpty()) {
            return Outcome.ok(decision.access());
        }
        Optional<Rejection> unknown =
                decision.model().flatMap(model -> PathPattern.firstUnknown("paths", paths, model));
        if (unknown.isPresent()) {
            return Outcome.rejected(unknown.get());
        }
        return decision.access().toRead(paths, requester.value(), target.value());
    }

    /** The {@code get/accepted} payload with what {@code access} may read of it. */
    private CompletionStage<Outcome<ObjectNode>> read(ShadowTopic topic, Access access, @Nullable String token) {
        return shadows.get(topic.thing()).thenApply(outcome -> {
            if (outcome instanceof Outcome.Ok<ShadowDocument> found) {
                return Outcome.ok(access.readable(ShadowPayloads.get(found.value(), clock.millis(), token)));
            }
            return Outcome.rejected(((Outcome.Rejected<ShadowDocument>) outcome).rejection());
        });
    }

    private CompletionStage<Void> delete(ShadowTopic topic, byte[] payload) {
        Outcome<ClientRequest> parsed = ShadowRequests.parseClientRequest(payload);
        if (parsed instanceof Outcome.Rejected<ClientRequest> invalid) {
            return reject(
                    topic,
                    invalid.rejection(),
                    ShadowRequests.salvageClientToken(payload).orElse(null));
        }
        String token = ((Outcome.Ok<ClientRequest>) parsed).value().clientToken();
        return shadows.delete(topic.thing()).thenCompose(outcome -> {
            if (outcome instanceof Outcome.Ok<Long> deleted) {
                return send(topic.accepted(), ShadowPayloads.deleteAccepted(deleted.value(), clock.millis(), token));
            }
            return reject(topic, ((Outcome.Rejected<Long>) outcome).rejection(), token);
        });
    }

    private CompletionStage<Void> reject(ShadowTopic topic, Rejection rejection, @Nullable String clientToken) {
        // Load shed at the door is counted (metrics), not logged one line each: under overload that would be
        // thousands of lines a second, on the threads that are behind already.
        if (rejection.code() >= 500 && !rejection.isBusy()) {
            log.warn(
                    "thing {}: {} rejected {}: {} (clientToken {})",
                    topic.thing(),
                    topic.operation().level(),
                    rejection.code(),
                    rejection.message(),
                    clientToken);
        } else {
            log.debug(
                    "thing {}: {} rejected {}: {} (clientToken {})",
                    topic.thing(),
                    topic.operation().level(),
                    rejection.code(),
                    rejection.message(),
                    clientToken);
        }
        return answer(topic, rejection, clientToken);
    }

    /** Publishes the rejection without logging it (the caller did). */
    private CompletionStage<Void> answer(ShadowTopic topic, Rejection rejection, @Nullable String clientToken) {
        metrics.rejected(rejection.code());
        return send(topic.rejected(), ShadowPayloads.rejected(rejection, clientToken, clock.millis()));
    }

    private CompletionStage<Void> send(String topic, ObjectNode payload) {
        return responses.answer(topic, payload);
    }
}
