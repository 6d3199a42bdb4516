package io.shadowmq.service.http;

import io.shadowmq.model.shadow.Outcome;
import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Continues with a store outcome's value, or answers its rejection as a problem: the glue between the store's
 * {@link Outcome}s and {@link Reply}s, so that no handler forgets the rejected case.
 *
 * <pre>{@code
 * return Replies.then(store.things().find(id), thing -> presence(thing));
 * }</pre>
 */
public final class Replies {

    private Replies() {}

    /** The reply for the value, or the rejection's problem. */
    public static <T> @NotNull Reply map(@NotNull Outcome<T> outcome, @NotNull Function<T, Reply> onOk) {
        if (outcome instanceof Outcome.Ok<T> ok) {
            return onOk.apply(ok.value());
        }
        return Problem.from(((Outcome.Rejected<T>) outcome).rejection()).toReply();
    }

    /** Once the stage completes: the next step for the value, or the rejection's problem. */
    public static <T> @NotNull CompletionStage<Reply> then(
            @NotNull CompletionStage<Outcome<T>> stage, @NotNull Function<T, CompletionStage<Reply>> onOk) {
        return stage.thenCompose(outcome -> {
            if (outcome instanceof Outcome.Ok<T> ok) {
                return onOk.apply(ok.value());
            }
            return done(
                    Problem.from(((Outcome.Rejected<T>) outcome).rejection()).toReply());
        });
    }

    /** An outcome already at hand (a parsed body, a path id) continued like {@link #then}. */
    public static <T> @NotNull CompletionStage<Reply> then(
            @NotNull Outcome<T> outcome, @NotNull Function<T, CompletionStage<Reply>> onOk) {
        return then(CompletableFuture.completedFuture(outcome), onOk);
    }

    public static @NotNull CompletionStage<Reply> done(@NotNull Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
