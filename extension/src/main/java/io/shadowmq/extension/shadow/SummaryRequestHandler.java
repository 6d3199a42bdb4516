package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.extension.auth.MemberAccess;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.summary.Summary;
import io.shadowmq.model.summary.SummaryRequest;
import io.shadowmq.model.summary.SummaryTopic;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.grant.AuditEntry;
import io.shadowmq.store.summary.ThingSummaries;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers {@code things/T/summary/get} on {@code .../get/accepted} with what a voice assistant would say about T
 * ({@link ThingSummaries}), or on {@code .../get/rejected} with {@code {"code","message","clientToken"}}, sent to the
 * asker alone. Who may ask was decided by the {@code TopicPolicy} before this runs: T itself and the members of its
 * household; a member hears only what its {@link MemberAccess} lets it read (its {@code readFilter}), and the ask is
 * recorded in the household's audit trail.
 *
 * <pre>{@code
 * summaries.handle(ThingId.of("speaker-1"), SummaryTopic.parse("things/car-1/summary/get").orElseThrow(), payload);
 * }</pre>
 */
public final class SummaryRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(SummaryRequestHandler.class);

    private final ThingSummaries summaries;
    private final MemberAccess members;
    private final ResponseSink responses;
    private final ShadowMetrics metrics;
    private final Clock clock;

    /** What the audit trail names as read by a summary. */
    static final String SUMMARY = "summary";

    public SummaryRequestHandler(
            @NotNull ThingSummaries summaries,
            @NotNull MemberAccess members,
            @NotNull ResponseSink responses,
            @NotNull ShadowMetrics metrics,
            @NotNull Clock clock) {
        this.summaries = summaries;
        this.members = members;
        this.responses = responses;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Completes once the one answer is handed to the broker; never completes exceptionally. */
    public @NotNull CompletionStage<Void> handle(
            @NotNull ThingId requester, @NotNull SummaryTopic topic, byte @NotNull [] payload) {
        String salvaged = ShadowRequests.salvageClientToken(payload).orElse(null);
        CompletionStage<Void> answered;
        try {
            Outcome<SummaryRequest> parsed = SummaryRequest.parse(payload);
            if (parsed instanceof Outcome.Rejected<SummaryRequest> invalid) {
                return reject(requester, topic, invalid.rejection(), salvaged);
            }
            SummaryRequest request = ((Outcome.Ok<SummaryRequest>) parsed).value();
            // A household member hears only what its access lets it read; the thing itself everything.
            answered = members.of(requester, topic.thing())
                    .handle((access, failure) -> Optional.ofNullable(failure == null ? access : null))
                    .thenCompose(access -> access.isEmpty()
                            ? CompletableFuture.completedFuture(
                                    Outcome.<Summary>rejected(MemberAccess.unavailable(requester, topic.thing())))
                            : summaries.summarize(
                                    topic.thing(), request, access.get().readFilter()))
                    .thenCompose(outcome -> {
                        if (outcome instanceof Outcome.Ok<Summary> ok) {
                            metrics.accepted();
                            members.record(requester, topic.thing(), AuditEntry.READ, List.of(SUMMARY), 200);
                            ObjectNode body = ok.value().toJson();
                            if (request.clientToken() != null) {
                                body.put("clientToken", request.clientToken());
                            }
                            body.put("timestamp", clock.millis());
                            return send(requester, topic.accepted(), body);
                        }
                        Rejection rejection = ((Outcome.Rejected<Summary>) outcome).rejection();
                        members.record(requester, topic.thing(), AuditEntry.READ, List.of(SUMMARY), rejection.code());
                        return reject(requester, topic, rejection, request.clientToken());
                    });
        } catch (RuntimeException bug) {
            answered = CompletableFuture.failedFuture(bug);
        }
        return answered.exceptionallyCompose(bug -> {
            log.error(
                    "thing {}: summary request by {} failed, answered 500 (clientToken {})",
                    topic.thing(),
                    requester,
                    salvaged,
                    bug);
            return reject(requester, topic, Rejection.internal("internal error"), salvaged);
        });
    }

    private CompletionStage<Void> reject(
            ThingId requester, SummaryTopic topic, Rejection rejection, @Nullable String clientToken) {
        log.debug("thing {}: summary rejected {}: {}", topic.thing(), rejection.code(), rejection.message());
        metrics.rejected(rejection.code());
        return send(requester, topic.rejected(), ShadowPayloads.rejected(rejection, clientToken, clock.millis()));
    }

    /**
     * To the asker alone: a summary is spoken for what the asker may read, so another member subscribed to the same
     * answer topic must not hear it.
     */
    private CompletionStage<Void> send(ThingId requester, String topic, ObjectNode payload) {
        return responses.answerTo(requester.value(), topic, payload);
    }
}
