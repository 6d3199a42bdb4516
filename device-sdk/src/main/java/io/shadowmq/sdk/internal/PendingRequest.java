package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One request on its way - a shadow request, an action invocation or a summary request: the topic and the exact bytes to publish (kept,
 * so that a request interrupted by a disconnect goes out again unchanged, with the same client token, and the
 * platform's idempotency answers a repeat with the first result), and the future its answer completes. Mutable state
 * is guarded by the session's lock.
 */
final class PendingRequest {

    final @NotNull ThingId thing;
    /** The shadow operation, or null for an action invocation or a summary request. */
    final ShadowTopic.@Nullable Operation operation;
    /** Where it is published; its answers arrive on this topic's {@code /accepted} and {@code /rejected}. */
    final @NotNull String topic;

    final @NotNull String clientToken;
    final byte @NotNull [] payload;
    /** The answer's payload, or a {@link ShadowException}. */
    final @NotNull CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    /** The SDK's own {@code get} after a (re)connect: not resent after a disconnect, the next connect sends a new one. */
    final boolean internal;

    /** Counts sends, so that a timeout or failure of an earlier send is recognised as stale. */
    int attempt;

    long firstSentNanos;
    ScheduledFuture<?> timeout;

    PendingRequest(
            @NotNull ThingId thing,
            ShadowTopic.@Nullable Operation operation,
            @NotNull String topic,
            @NotNull String clientToken,
            byte @NotNull [] payload,
            boolean internal) {
        this.thing = thing;
        this.operation = operation;
        this.topic = topic;
        this.clientToken = clientToken;
        this.payload = payload;
        this.internal = internal;
    }

    @NotNull
    String describe() {
        return (operation != null ? operation.level() + " of " + thing : topic) + " (clientToken " + clientToken + ")";
    }

    void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
