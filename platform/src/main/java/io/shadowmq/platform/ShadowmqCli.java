package io.shadowmq.platform;

import io.shadowmq.platform.cli.BenchCommand;
import io.shadowmq.platform.cli.CliFailure;
import io.shadowmq.platform.cli.ShadowCommand;
import io.shadowmq.platform.cli.ThingsCommand;
import io.shadowmq.platform.demo.DemoCommand;
import io.shadowmq.platform.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./shadowmq}: the platform's command line (docs/deploy.md).
 *
 * <pre>{@code ./shadowmq up --mqtt-port 1883 --http-port 8080}</pre>
 *
 * Every expected failure is one line on stderr naming the cause and the fix, exit 1 ({@link CliFailure}).
 * {@code things} and {@code shadow} have a lighter main of their own, {@link io.shadowmq.platform.cli.OperatorCli}.
 */
@Command(
        name = "shadowmq",
        mixinStandardHelpOptions = true,
        version = "ShadowMQ 0.1.0",
        description = "The ShadowMQ device-shadow platform.",
        subcommands = {UpCommand.class, DemoCommand.class, ThingsCommand.class, ShadowCommand.class, BenchCommand.class
        })
public final class ShadowmqCli {

    public static void main(String[] args) {
        // Several jars on the classpath carry a logback.xml (HiveMQ's, the service's); name ours explicitly.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "shadowmq-logback.xml");
        }
        int exit = CliFailure.oneLine(new CommandLine(new ShadowmqCli())).execute(args);
        System.exit(exit);
    }
}
