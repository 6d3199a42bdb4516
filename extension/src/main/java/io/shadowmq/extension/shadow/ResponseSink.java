package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Where the platform's answers go: HiveMQ's publish service in the broker, a recorder in tests. Answers are
 * published at QoS 1 (docs/protocol.md).
 */
public interface ResponseSink {

    /** Publishes JSON text (UTF-8) to every subscriber of {@code topic}, as it is. */
    @NotNull
    CompletableFuture<Void> publish(@NotNull String topic, byte @NotNull [] json);

    /** Publishes to every subscriber of {@code topic}. */
    default @NotNull CompletableFuture<Void> publish(@NotNull String topic, @NotNull ObjectNode payload) {
        return publish(topic, SafeJson.write(payload));
    }

    /**
     * Publishes an answer, logging a failure instead of passing it on: an answer the broker would not take is lost,
     * not retried, and the request it answers is done either way. Never completes exceptionally.
     */
    default @NotNull CompletionStage<Void> answer(@NotNull String topic, @NotNull ObjectNode payload) {
        return publish(topic, payload).handle((done, error) -> {
            if (error != null) {
                LoggerFactory.getLogger(ResponseSink.class)
                        .warn("could not publish to {}: {}", topic, error.getMessage());
            }
            return null;
        });
    }

    /**
     * Publishes to one client only; completes with {@code false} when that client has no subscription matching
     * {@code topic} (yet).
     */
    @NotNull
    CompletableFuture<Boolean> publishToClient(
            @NotNull String clientId, @NotNull String topic, @NotNull ObjectNode payload);

    /**
     * Publishes an answer to one client only (the requester), logging a failure instead of passing it on, as
     * {@link #answer}; completes once handed to the broker (or not), never exceptionally.
     */
    default @NotNull CompletionStage<Void> answerTo(
            @NotNull String clientId, @NotNull String topic, @NotNull ObjectNode payload) {
        return publishToClient(clientId, topic, payload).handle((sent, error) -> {
            if (error != null) {
                LoggerFactory.getLogger(ResponseSink.class)
                        .warn("could not publish to {} for {}: {}", topic, clientId, error.getMessage());
            }
            return null;
        });
    }

    /** A new subscription becomes active shortly after it is authorized: how often a push to it is tried again. */
    Duration SUBSCRIPTION_POLL = Duration.ofMillis(25);

    /** How many times a push to a new subscription is tried (3 s in all). */
    int SUBSCRIPTION_POLLS = 120;

    /**
     * Publishes to one client whose subscription matching {@code topic} is being made now (a SUBSCRIBE on its way):
     * tried every {@link #SUBSCRIPTION_POLL} until the subscription is active, at most {@link #SUBSCRIPTION_POLLS}
     * times. Completes with {@code true} once handed to the broker for the client, {@code false} when the
     * subscription never became active (refused, or the client left); never exceptionally.
     */
    default @NotNull CompletableFuture<Boolean> publishToClientOnceSubscribed(
            @NotNull String clientId, @NotNull String topic, @NotNull ObjectNode payload) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        tryPublishToClient(clientId, topic, payload, SUBSCRIPTION_POLLS, done);
        return done;
    }

    private void tryPublishToClient(
            String clientId, String topic, ObjectNode payload, int triesLeft, CompletableFuture<Boolean> done) {
        CompletableFuture<Boolean> attempt;
        try {
            attempt = publishToClient(clientId, topic, payload);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        Futures.whenComplete(
                attempt, LoggerFactory.getLogger(ResponseSink.class), "publish to " + topic, (delivered, error) -> {
                    if (error == null && Boolean.TRUE.equals(delivered)) {
                        done.complete(true);
                    } else if (triesLeft > 1) {
                        CompletableFuture.delayedExecutor(SUBSCRIPTION_POLL.toMillis(), TimeUnit.MILLISECONDS)
                                .execute(() -> tryPublishToClient(clientId, topic, payload, triesLeft - 1, done));
                    } else {
                        done.complete(false);
                    }
                });
    }
}
