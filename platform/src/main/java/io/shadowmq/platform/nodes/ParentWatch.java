package io.shadowmq.platform.nodes;

import java.io.IOException;
import java.io.InputStream;

/**
 * A node ends with the JVM that started it.
 */
final class ParentWatch {

    private ParentWatch() {}

    /**
     * Exits (running the shutdown hooks, so the node stops gracefully) when stdin ends: the parent holds the other end
     * of that pipe, and the operating system closes it when the parent goes, however it goes — even {@code kill -9}
     * leaves no orphan node holding its port.
     */
    static void exitWhenParentGoes() {
        Thread watch = new Thread(
                () -> {
                    try (InputStream stdin = System.in) {
                        while (stdin.read() >= 0) {
                            // The parent never writes; anything read is ignored.
                        }
                    } catch (IOException ignored) {
                        // A broken pipe is the parent gone as well.
                    }
                    System.exit(0);
                },
                "shadowmq-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
