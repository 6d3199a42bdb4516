package io.shadowmq.store.command;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;

/**
 * One page of a thing's commands, newest first ({@link CommandStore#list}).
 *
 * @param commands   this page's commands
 * @param nextCursor what to pass to get the next page; null on the last page
 */
public record CommandPage(
        @NotNull List<Command> commands, @Nullable String nextCursor) {

    public CommandPage {
        commands = List.copyOf(commands);
    }
}
