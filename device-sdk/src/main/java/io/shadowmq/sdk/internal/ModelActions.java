package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;

/** The model's actions as the SDK checks against them: the input of an invocation, the output of a handler. */
final class ModelActions {

    private ModelActions() {}

    static @NotNull Optional<Rejection> checkInput(
            @NotNull ThingModel model, @NotNull String action, @NotNull JsonNode input) {
        return Optional.empty();
    }

    static @NotNull Optional<Rejection> checkOutput(
            @NotNull ThingModel model, @NotNull String action, @NotNull JsonNode output) {
        return Optional.empty();
    }
}
