package io.shadowmq.platform;

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
 */
@Command(name = "shadowmq", mixinStandardHelpOptions = true, version = "ShadowMQ 0.1.0",
        description = "The ShadowMQ device-shadow platform.",
        subcommands = {UpCommand.class, DemoCommand.class, ThingsCommand.class, ShadowCommand.class})
public final class ShadowmqCli {

    public static void main(String[] args) {
        // Several jars on the classpath carry a logback.xml (HiveMQ's, the service's); name ours explicitly.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "shadowmq-logback.xml");
        }
        int exit = new CommandLine(new ShadowmqCli()).execute(args);
        System.exit(exit);
    }
}
