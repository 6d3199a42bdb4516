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
 *
 * @param state     the change as sent, e.g. {@code {"reported":{"range":310}}}; a deletion appears as {@code null}
 * @param metadata  {@code {"timestamp":ms}} for each leaf the update wrote
 * @param version   the shadow's version after this update
 * @param timestamp when the update was applied, epoch milliseconds
 */
public record UpdateAccepted(@NotNull ObjectNode state, @NotNull ObjectNode metadata, long version, long timestamp) {

    /** Keeps its own copies: changing the trees passed in later changes nothing here. */
    public UpdateAccepted {
        state = state.deepCopy();
        metadata = metadata.deepCopy();
    }

    /** The change as sent, as a fresh copy: changing it changes nothing the client or other listeners see. */
    @Override
    public @NotNull ObjectNode state() {
        return state.deepCopy();
    }

    /** The metadata, as a fresh copy. */
    @Override
    public @NotNull ObjectNode metadata() {
        return metadata.deepCopy();
    }
}
