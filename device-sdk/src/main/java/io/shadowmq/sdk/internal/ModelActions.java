package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.schema.ActionModel;
import io.shadowmq.model.schema.ThingModel;
import io.shadowmq.model.shadow.Rejection;
import org.jetbrains.annotations.NotNull;

import java.util.Optional;

/**
 * The model's actions as the SDK checks against them, with the platform's rules ({@link ActionModel}): the input of an
 * invocation, the output of a handler.
 */
final class ModelActions {

    private ModelActions() {}

    /**
     * 404 for an action the model does not have, else the action's input check (422), in the platform's order. A
     * critical action is left to the platform: it refuses it (403) before it looks at the input.
     */
    static @NotNull Optional<Rejection> checkInput(
            @NotNull ThingModel model, @NotNull String action, @NotNull JsonNode input) {
        Optional<ActionModel> known = model.action(action);
        if (known.isEmpty()) {
            return Optional.of(unknown(model, action));
        }
        return known.get().critical() ? Optional.empty() : known.get().checkInput(input);
    }

    /** The action's output check (422); an action the model does not have has no output to check. */
    static @NotNull Optional<Rejection> checkOutput(
            @NotNull ThingModel model, @NotNull String action, @NotNull JsonNode output) {
        return model.action(action).flatMap(known -> known.checkOutput(output));
    }

    private static Rejection unknown(ThingModel model, String action) {
        return new Rejection(Rejection.NO_SHADOW, "thing type " + model.type() + " has no action " + action);
    }
}
