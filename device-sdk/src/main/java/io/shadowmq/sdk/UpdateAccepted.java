package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jetbrains.annotations.NotNull;

/**
 * The platform accepted an update ({@code update/accepted}): what it applied and the shadow's new version. Reports
 * coalesced into one update all complete with the same value.
 *
 * <pre>{@code
 * UpdateAccepted accepted = client.reportAsync(Map.of("range", 310)).join();
 * accepted.version();  // e.g. 12
 * }</pre>
 */
public final class UpdateAccepted extends StateChange {

    /**
     * An accepted update; keeps its own copies of the trees, so changing them later changes nothing here.
     *
     * @param state     the change as sent, e.g. {@code {"reported":{"range":310}}}; a deletion appears as {@code null}
     * @param metadata  {@code {"timestamp":ms}} for each leaf the update wrote
     * @param version   the shadow's version after this update
     * @param timestamp when the update was applied, epoch milliseconds
     */
    public UpdateAccepted(@NotNull ObjectNode state, @NotNull ObjectNode metadata, long version, long timestamp) {
        super(state, metadata, version, timestamp);
    }
}
