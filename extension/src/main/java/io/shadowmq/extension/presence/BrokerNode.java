package io.shadowmq.extension.presence;

import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who records presence: this broker node (the same id across restarts, kept in a file in the broker's data folder)
 * and its current run (new at every start). Presence sessions are {@code node/run/counter}, so a node that starts
 * again can find and end what its earlier runs left connected.
 * <pre>{@code
 * BrokerNode node = BrokerNode.load(dataFolder);   // node "3f2a9c1e", run "b07d44a2"
 * node.session(17);                                // "3f2a9c1e/b07d44a2/17"
 * }</pre>
 *
 * @param id  the node, stable while its data folder lives
 * @param run this start of the node
 */
public record BrokerNode(@NotNull String id, @NotNull String run) {

    public static final String FILE_NAME = "shadowmq-node-id";
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public BrokerNode {
        if (!PART.matcher(id).matches() || !PART.matcher(run).matches()) {
            throw new IllegalArgumentException(
                    "node id and run must match " + PART + ", were '" + id + "' and '" + run + "'");
        }
    }

    /** The node whose id is in {@code dataFolder} (written there, new, the first time), in a new run. */
    public static @NotNull BrokerNode load(@NotNull Path dataFolder) throws IOException {
        Path file = dataFolder.resolve(FILE_NAME);
        String id;
        if (Files.isRegularFile(file)) {
            id = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } else {
            id = randomPart();
            Files.createDirectories(dataFolder);
            Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
        }
        return new BrokerNode(id, randomPart());
    }

    /** The {@code counter}th session of this run. */
    public @NotNull String session(long counter) {
        return runPrefix() + counter;
    }

    /** This run as its liveness lease names it: {@code "3f2a9c1e/b07d44a2"}. */
    public @NotNull String runId() {
        return id + "/" + run;
    }

    /** What every session of this run starts with. */
    public @NotNull String runPrefix() {
        return runId() + "/";
    }

    private static String randomPart() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
