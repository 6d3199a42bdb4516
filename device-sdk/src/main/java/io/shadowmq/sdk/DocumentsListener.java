package io.shadowmq.sdk;

import org.jetbrains.annotations.NotNull;

/**
 * Receives the whole shadow before and after every accepted update of the thing ({@code update/documents}), whoever
 * made it. Called on the MQTT client's thread; return quickly.
 *
 * <pre>{@code
 * client.onDocuments(change -> display.show(change.current().reported()));
 * }</pre>
 */
@FunctionalInterface
public interface DocumentsListener {

    /** The shadow before and after one accepted update. Example: {@code change.current().version()}. */
    void onDocuments(@NotNull ShadowDocuments documents);
}
