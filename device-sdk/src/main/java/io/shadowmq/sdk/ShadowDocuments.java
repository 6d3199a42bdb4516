package io.shadowmq.sdk;

import io.shadowmq.model.shadow.DocumentsPayload;
import org.jetbrains.annotations.NotNull;

/**
 * The whole shadow before and after an accepted update of the thing ({@code update/documents}), whoever made it.
 * Read-only, like {@link ShadowState}.
 *
 * <pre>{@code
 * client.onDocuments(change -> display.show(change.current().reported()));
 * }</pre>
 */
public final class ShadowDocuments {

    private final ShadowState previous;
    private final ShadowState current;
    private final long timestamp;

    ShadowDocuments(@NotNull DocumentsPayload payload) {
        this.previous = new ShadowState(payload.previous());
        this.current = new ShadowState(payload.current());
        this.timestamp = payload.timestamp();
    }

    /** The shadow before the update. Example: {@code change.previous().version()}. */
    public @NotNull ShadowState previous() {
        return previous;
    }

    /** The shadow after the update. Example: {@code change.current().reported()}. */
    public @NotNull ShadowState current() {
        return current;
    }

    /** When the platform sent it, epoch milliseconds. Example: {@code Instant.ofEpochMilli(change.timestamp())}. */
    public long timestamp() {
        return timestamp;
    }
}
