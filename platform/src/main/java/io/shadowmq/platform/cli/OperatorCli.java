package io.shadowmq.platform.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The fast path of {@code ./shadowmq things ...} and {@code ./shadowmq shadow ...}: the same commands as
 * {@code ShadowmqCli}'s, in a JVM that loads only them, picocli, Jackson and java.net.http — no broker, Redis client,
 * web server or logging on the classpath, so a call is a JVM start plus one HTTP request. The script runs it with a
 * class-data archive (AppCDS) made by the first call ({@value #TRAIN_PROPERTY}{@code =true}) and the C1 compiler only
 * (docs/benchmarks.md, "CLI latency").
 *
 * <pre>{@code java -cp platform.jar:picocli.jar:jackson-*.jar:thing-model.jar io.shadowmq.platform.cli.OperatorCli things list}</pre>
 */
@Command(
        name = "shadowmq",
        mixinStandardHelpOptions = true,
        version = "ShadowMQ 0.1.0",
        description = "Provision things and read or set shadows through a running platform's REST API.",
        subcommands = {ThingsCommand.class, ShadowCommand.class})
public final class OperatorCli {

    /** Set on the call whose exit writes the class-data archive: it then also loads what other calls use. */
    public static final String TRAIN_PROPERTY = "shadowmq.cli.train";

    public static void main(String[] args) {
        int exit = CliFailure.oneLine(new CommandLine(new OperatorCli())).execute(args);
        if (Boolean.getBoolean(TRAIN_PROPERTY)) {
            loadWhatCallsUse();
        }
        System.exit(exit);
    }

    /**
     * Loads the classes of a successful call and of a refused one, so the archive a first call makes serves both,
     * whichever way that first call went (no token, say).
     */
    static void loadWhatCallsUse() {
        URI uri = URI.create(RestConnection.DEFAULT_URL + "/api/v1/things");
        RestConnection.client(uri);
        HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer x")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        Printer.pretty("{\"items\":[{\"thingId\":\"car-1\",\"on\":true,\"t\":21.5,\"n\":null}],\"nextCursor\":null}");
        Printer.problem(new RestConnection.Answer(404, "{\"title\":\"Not found\",\"detail\":\"no thing car-1\"}"));
    }
}
