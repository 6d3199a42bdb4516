package io.shadowmq.store.command;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Skeleton: every call answers 501 until the Redis implementation lands. */
public final class CommandStore {

    /** How many commands of one thing may be open (not final) at once; one more is 429. */
    public static final int MAX_PENDING = 100;

    public @NotNull CompletionStage<Outcome<Command>> invoke(@NotNull ThingId thing, @NotNull Invocation invocation) {
        return notYet();
    }

    public @NotNull CompletionStage<Outcome<Command>> get(@NotNull ThingId thing, @NotNull String commandId) {
        return notYet();
    }

    public @NotNull CompletionStage<Outcome<CommandPage>> list(
            @NotNull ThingId thing, @Nullable CommandStatus status, int limit, @Nullable String cursor) {
        return notYet();
    }

    public @NotNull CompletionStage<Outcome<Command>> cancel(@NotNull ThingId thing, @NotNull String commandId) {
        return notYet();
    }

    public @NotNull CompletionStage<Outcome<List<Command>>> deliverable(@NotNull ThingId thing) {
        return notYet();
    }

    public @NotNull CompletionStage<Outcome<Command>> delivered(@NotNull ThingId thing, @NotNull String commandId) {
        return notYet();
    }

    public @NotNull CompletionStage<Outcome<Command>> report(
            @NotNull ThingId thing, @NotNull String commandId, @NotNull StatusReport report) {
        return notYet();
    }

    public @NotNull CompletionStage<Outcome<Command>> expire(@NotNull ThingId thing, @NotNull String commandId) {
        return notYet();
    }

    private static <T> CompletionStage<Outcome<T>> notYet() {
        return CompletableFuture.completedFuture(
                Outcome.rejected(new Rejection(501, "commands are not implemented yet")));
    }
}
