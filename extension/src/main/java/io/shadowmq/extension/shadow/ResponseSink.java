package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletableFuture;

/**
 * Where the platform's answers go: HiveMQ's publish service in the broker, a recorder in tests. Answers are
 * published at QoS 1 (CONTRACT.md §3).
 */
public interface ResponseSink {

    /** Publishes to every subscriber of {@code topic}. */
    @NotNull CompletableFuture<Void> publish(@NotNull String topic, @NotNull ObjectNode payload);

    /**
     * Publishes to one client only; completes with {@code false} when that client has no subscription matching
     * {@code topic} (yet).
     */
    @NotNull CompletableFuture<Boolean> publishToClient(@NotNull String clientId, @NotNull String topic,
                                                        @NotNull ObjectNode payload);
}
