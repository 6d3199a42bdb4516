package io.shadowmq.sdk;

import io.shadowmq.sdk.internal.Invocation;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A command this client invoked ({@link HouseholdThing#invokeAsync}) and the platform accepted (queued), and what
 * becomes of it: its states as the platform publishes them ({@code queued, delivered, running 35 %, succeeded}).
 *
 * <pre>{@code
 * InvokedCommand start = washer.invokeAsync("start", Map.of("program", "eco")).join();
 * start.onState(state -> System.out.println(state.status().wireName() + " " + state.progress().orElse(0)));
 * CommandState last = start.finalState().orTimeout(3, TimeUnit.HOURS).join();
 * }</pre>
 *
 * <p>States are published to the connected invoker only: those published while this client is offline do not come
 * again, and {@link #finalState()} may then not complete - bound it with {@code orTimeout}.
 */
public final class InvokedCommand {

    private final Invocation invocation;

    InvokedCommand(@NotNull Invocation invocation) {
        this.invocation = invocation;
    }

    /** The platform's id of the command. */
    public @NotNull String commandId() {
        return invocation.commandId();
    }

    /** The thing that carries it out. */
    public @NotNull String thingId() {
        return invocation.thingId();
    }

    /** The action, e.g. {@code start}. */
    public @NotNull String action() {
        return invocation.action();
    }

    /**
     * Calls {@code listener} with every state of the command: at once with those seen so far, in order, then with each
     * new one, on the MQTT client's thread (return quickly).
     */
    public @NotNull InvokedCommand onState(@NotNull Consumer<CommandState> listener) {
        invocation.onState(listener);
        return this;
    }

    /** The states seen so far, oldest first. Example: {@code cmd.states().size()}. */
    public @NotNull List<CommandState> states() {
        return invocation.states();
    }

    /**
     * Completes with the final state (succeeded, failed, expired or cancelled); fails with
     * {@link ShadowClosedException} when the client closes first.
     */
    public @NotNull CompletableFuture<CommandState> finalState() {
        return invocation.finalState();
    }

    @Override
    public String toString() {
        return "InvokedCommand[" + thingId() + " " + action() + " " + commandId() + "]";
    }
}
