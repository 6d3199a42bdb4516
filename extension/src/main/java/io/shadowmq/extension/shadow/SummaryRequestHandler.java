package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.summary.ReadFilter;
import io.shadowmq.model.summary.Summary;
import io.shadowmq.model.summary.SummaryRequest;
import io.shadowmq.model.summary.SummaryTopic;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.summary.ThingSummaries;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers {@code things/T/summary/get} on {@code .../get/accepted} with what a voice assistant would say about T
 * ({@link ThingSummaries}), or on {@code .../get/rejected} with {@code {"code","message","clientToken"}}. Who may ask
 * was decided by the {@code TopicPolicy} before this runs: T itself and the members of its household.
 *
 * <pre>{@code
 * summaries.handle(ThingId.of("speaker-1"), SummaryTopic.parse("things/car-1/summary/get").orElseThrow(), payload);
 * }</pre>
 */
public final class SummaryRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(SummaryRequestHandler.class);

    private final ThingSummaries summaries;
    private final ResponseSink responses;
    private final ShadowMetrics metrics;
    private final Clock clock;

    public SummaryRequestHandler(
            @NotNull ThingSummaries summaries,
            @NotNull ResponseSink responses,
            @NotNull ShadowMetrics metrics,
            @NotNull Clock clock) {
        this.summaries = summaries;
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
                return reject(topic, invalid.rejection(), salvaged);
            }
            SummaryRequest request = ((Outcome.Ok<SummaryRequest>) parsed).value();
            // Every member of a household may read all of its things today; per-household grants narrow this.
            answered = summaries
                    .summarize(topic.thing(), request, ReadFilter.ALL)
                    .thenCompose(outcome -> {
                        if (outcome instanceof Outcome.Ok<Summary> ok) {
                            metrics.accepted();
                            ObjectNode body = ok.value().toJson();
                            if (request.clientToken() != null) {
                                body.put("clientToken", request.clientToken());
                            }
                            body.put("timestamp", clock.millis());
                            return send(topic.accepted(), body);
                        }
                        return reject(topic, ((Outcome.Rejected<Summary>) outcome).rejection(), request.clientToken());
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
            return reject(topic, Rejection.internal("internal error"), salvaged);
        });
    }

    private CompletionStage<Void> reject(SummaryTopic topic, Rejection rejection, @Nullable String clientToken) {
        log.debug("thing {}: summary rejected {}: {}", topic.thing(), rejection.code(), rejection.message());
        metrics.rejected(rejection.code());
        return send(topic.rejected(), ShadowPayloads.rejected(rejection, clientToken, clock.millis()));
    }

    private CompletionStage<Void> send(String topic, ObjectNode payload) {
        return responses.answer(topic, payload);
    }
}
