package io.shadowmq.model.shadow;

import org.jetbrains.annotations.NotNull;

/**
 * What an update did: accepted with the document before and after, or rejected with a code and a message. Both are
 * expected outcomes, so callers handle both; the responses are built from it by {@link ShadowPayloads}.
 *
 * <pre>{@code
 * UpdateOutcome outcome = ShadowAlgebra.apply(current, request, clock.millis(), ShadowLimits.DEFAULT);
 * if (outcome instanceof UpdateOutcome.Accepted accepted) {
 *     publish("update/accepted", ShadowPayloads.accepted(accepted));
 *     if (accepted.deltaChanged()) {
 *         publish("update/delta", ShadowPayloads.delta(accepted.current(), now));
 *     }
 * } else if (outcome instanceof UpdateOutcome.Rejected rejected) {
 *     publish("update/rejected", ShadowPayloads.rejected(rejected.rejection(), request.clientToken(), now));
 * }
 * }</pre>
 */
public sealed interface UpdateOutcome permits UpdateOutcome.Accepted, UpdateOutcome.Rejected {

    /**
     * The update applied: {@code current} is {@code previous} with the request merged in, one version later.
     */
    record Accepted(
            @NotNull ShadowDocument previous,
            @NotNull ShadowDocument current,
            @NotNull UpdateRequest request) implements UpdateOutcome {

        public Accepted {
            if (previous == null || current == null || request == null) {
                throw new IllegalArgumentException("previous, current and request must not be null");
            }
        }

        /**
         * True when the thing has something new to do: the delta is not empty and differs from the one before
         * (numbers compared by value). This is when {@code update/delta} is published.
         */
        public boolean deltaChanged() {
            return current.hasNewDeltaSince(previous);
        }
    }

    /** The update was refused; the shadow is unchanged. */
    record Rejected(@NotNull Rejection rejection) implements UpdateOutcome {

        public Rejected {
            if (rejection == null) {
                throw new IllegalArgumentException("rejection must not be null");
            }
        }
    }
}
