package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletionStage;

/**
 * Carries out one action of the thing ({@link ShadowClient#onCommand}). The returned stage completes with the
 * command's output ({@code null} or a JSON null for none): the SDK checks it against the action's output schema and
 * publishes {@code succeeded}; a stage that fails (or a handler that throws) publishes {@code failed} with the
 * {@link CommandFailedException}'s reason or the exception's message.
 *
 * <pre>{@code
 * CommandHandler start = (command, progress) -> washer.run(command.input().path("program").asText(), progress::report);
 * }</pre>
 */
@FunctionalInterface
public interface CommandHandler {

    /** Called on the MQTT client's thread: return quickly, do the work elsewhere. */
    @NotNull
    CompletionStage<JsonNode> handle(@NotNull DeviceCommand command, @NotNull CommandProgress progress);
}
