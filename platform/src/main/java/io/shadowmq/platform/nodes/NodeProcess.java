package io.shadowmq.platform.nodes;

import org.jetbrains.annotations.NotNull;

import java.util.concurrent.CompletableFuture;

/**
 * A platform node ({@link BrokerProcess}, {@link ServiceProcess}) in a JVM of its own: what {@code up} supervises and
 * stops, whatever the node serves.
 */
public abstract class NodeProcess implements AutoCloseable {

    protected final ChildJvm jvm;

    NodeProcess(@NotNull ChildJvm jvm) {
        this.jvm = jvm;
    }

    /** SIGTERM without waiting; {@link #close()} waits for the end. */
    public void requestStop() {
        jvm.requestStop();
    }

    public long pid() {
        return jvm.pid();
    }

    /** Completes with one line if the node's JVM ends without {@link #close()}. */
    public @NotNull CompletableFuture<String> died() {
        return jvm.died();
    }

    /** Stops it gracefully (SIGTERM, then SIGKILL if it hangs) and waits until it is gone. */
    @Override
    public void close() {
        jvm.close();
    }
}
