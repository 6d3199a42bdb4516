package io.shadowmq.platform.demo;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory that is gone when its user is done — closed normally, after a failure, or at JVM exit
 * (Ctrl-C, SIGTERM) — together with what ran in it: {@link #occupiedBy} names what to stop first (a platform whose
 * Redis writes there). The demo's platform keeps its pepper and admin token in it; nothing of it may stay behind.
 *
 * <pre>{@code
 * try (ScratchDir scratch = ScratchDir.create("shadowmq-demo-")) {
 *     scratch.occupiedBy(LocalPlatform.start(LocalPlatform.Options.onFreePorts(scratch.path(), folder), progress));
 * } // platform stopped, directory deleted
 * }</pre>
 */
final class ScratchDir implements AutoCloseable {

    private final Path path;
    private final Thread atExit;
    private @Nullable AutoCloseable occupant;
    private boolean released;

    private ScratchDir(Path path) {
        this.path = path;
        this.atExit = new Thread(this::release, "scratch-dir-cleanup");
    }

    static @NotNull ScratchDir create(@NotNull String prefix) throws IOException {
        ScratchDir scratch = new ScratchDir(Files.createTempDirectory(prefix));
        Runtime.getRuntime().addShutdownHook(scratch.atExit);
        return scratch;
    }

    @NotNull
    Path path() {
        return path;
    }

    /** {@code occupant} is closed before the directory is deleted. */
    synchronized void occupiedBy(@NotNull AutoCloseable occupant) {
        this.occupant = occupant;
    }

    @Override
    public void close() {
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(atExit);
        } catch (IllegalStateException exiting) {
            // Closed by a shutdown hook's work: ours has run or runs, and does nothing twice.
        }
    }

    private synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        if (occupant != null) {
            try {
                occupant.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
        delete(path);
    }

    private static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
