package io.shadowmq.sdk.internal;

import io.shadowmq.sdk.CommandState;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One command this client invoked and the platform accepted: the states seen of it so far, the listeners, and the
 * final state once it came. A listener added late gets the states seen before first, in order, so none is missed.
 * Its own monitor guards it (never the session's lock): listeners are called under it, one state at a time.
 *
 * <pre>{@code
 * invocation.onState(state -> log(state));
 * invocation.finalState().thenAccept(state -> log("ended " + state.status()));
 * }</pre>
 */
public final class Invocation {

    private final String commandId;
    private final String thingId;
    private final String action;
    private final List<CommandState> seen = new ArrayList<>();
    private final List<Consumer<CommandState>> listeners = new ArrayList<>();
    private final CompletableFuture<CommandState> finalState = new CompletableFuture<>();

    Invocation(@NotNull String commandId, @NotNull String thingId, @NotNull String action) {
        this.commandId = commandId;
        this.thingId = thingId;
        this.action = action;
    }

    public @NotNull String commandId() {
        return commandId;
    }

    public @NotNull String thingId() {
        return thingId;
    }

    public @NotNull String action() {
        return action;
    }

    /** Adds a listener; it gets every state seen so far at once, then each new one. */
    public synchronized void onState(@NotNull Consumer<CommandState> listener) {
        listeners.add(listener);
        seen.forEach(state -> call(listener, state));
    }

    /** The states seen so far, oldest first. */
    public synchronized @NotNull List<CommandState> states() {
        return List.copyOf(seen);
    }

    /** Completes with the final state (succeeded, failed, expired, cancelled). */
    public @NotNull CompletableFuture<CommandState> finalState() {
        return finalState.copy();
    }

    /** A state arrived; a repeat of the last one, and anything after the final one, changes nothing. */
    void arrived(@NotNull CommandState state) {
        synchronized (this) {
            if (finalState.isDone()
                    || !seen.isEmpty() && seen.get(seen.size() - 1).equals(state)) {
                return;
            }
            seen.add(state);
            listeners.forEach(listener -> call(listener, state));
        }
        if (state.status().isFinal()) {
            finalState.complete(state);
        }
    }

    /** The client closed before the final state came: the future to fail. */
    @NotNull
    CompletableFuture<CommandState> finalStateToFail() {
        return finalState;
    }

    private static void call(Consumer<CommandState> listener, CommandState state) {
        try {
            listener.accept(state);
        } catch (RuntimeException e) {
            System.getLogger(Invocation.class.getName())
                    .log(System.Logger.Level.WARNING, "a command state listener failed", e);
        }
    }
}
