package io.shadowmq.store.command;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * A request to invoke an action of a thing ({@link CommandStore#invoke}).
 *
 * @param action            the action's name in the thing's model
 * @param input             the input; {@code MissingNode} (or {@code null}, {@code {}}) for none
 * @param ttl               how long the command may wait for a final state; null for the action's default
 * @param idempotencyKey    a key that makes a repeat of this invocation answer the first command (24 h); null for none.
 *                          Scoped by the caller (MQTT uses {@code invoker:clientToken})
 * @param invokedBy         who invokes: a thing id, an API key's name or {@code admin}
 * @param mayInvokeCritical whether the invoker holds the {@code actions:critical} permission
 */
public record Invocation(
        @NotNull String action,
        @NotNull JsonNode input,
        @Nullable Duration ttl,
        @Nullable String idempotencyKey,
        @NotNull String invokedBy,
        boolean mayInvokeCritical) {

    public Invocation {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(invokedBy, "invokedBy");
    }
}
