package io.shadowmq.platform.cli;

import org.jetbrains.annotations.NotNull;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * An expected failure of a command — the REST service unreachable, no token, a token refused — said in one line
 * that names the cause and the fix. {@link #oneLine(CommandLine)} makes a command line print every failure that
 * way ({@code shadowmq things list: cannot reach ...}) and exit 1; {@code SHADOWMQ_DEBUG=1} adds the stack trace.
 */
public final class CliFailure extends Exception {

    public CliFailure(@NotNull String message) {
        super(message);
    }

    /** {@code commandLine}, printing a failure of any of its commands as one line on stderr with exit code 1. */
    public static @NotNull CommandLine oneLine(@NotNull CommandLine commandLine) {
        IExecutionExceptionHandler handler = (Exception failure, CommandLine command, ParseResult parsed) -> {
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + describe(failure));
            if (System.getenv("SHADOWMQ_DEBUG") != null) {
                failure.printStackTrace(command.getErr());
            }
            command.getErr().flush();
            return 1;
        };
        return commandLine.setExecutionExceptionHandler(handler);
    }

    /** The message of an expected failure; for anything else its type too, first line only. */
    static @NotNull String describe(@NotNull Exception failure) {
        String message = String.valueOf(failure.getMessage());
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        return failure instanceof CliFailure
                ? message
                : failure.getClass().getSimpleName() + ": " + message + " (SHADOWMQ_DEBUG=1 shows where)";
    }
}
