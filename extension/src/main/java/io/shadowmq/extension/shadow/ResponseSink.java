package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletableFuture;

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
     * Publishes to one client only; completes with {@code false} when that client has no subscription matching
     * {@code topic} (yet).
     */
    @NotNull
    CompletableFuture<Boolean> publishToClient(
            @NotNull String clientId, @NotNull String topic, @NotNull ObjectNode payload);
}
