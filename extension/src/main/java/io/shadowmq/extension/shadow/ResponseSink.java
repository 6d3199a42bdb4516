package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
}
