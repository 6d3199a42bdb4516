package io.shadowmq.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.DocumentsPayload;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.sdk.DeltaListener;
import io.shadowmq.sdk.ShadowDelta;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The device's own shadow as the session last saw it, and the deltas it hands over: the document it predicts the
 * state size of a report from (get answers, documents), and the {@link DeltaGate} that lets each delta through once,
 * newest only. Nothing of it is handed out: the public API gets copies. Guarded by the session's lock; listeners are
 * called through {@link Effects}, after the lock is released.
 *
 * <pre>{@code
 * synchronized (lock) { shadow.delta(json, effects); }
 * effects.run();
 * }</pre>
 */
final class LocalShadow {

    private final List<DeltaListener> deltaListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<DocumentsPayload>> documentsListeners = new CopyOnWriteArrayList<>();
    private final DeltaGate deltaGate = new DeltaGate();
    /** The own shadow as last seen, for predicting the state size; null until seen. */
    private @Nullable ShadowDocument known;

    void addDeltaListener(@NotNull DeltaListener listener) {
        deltaListeners.add(listener);
    }

    void addDocumentsListener(@NotNull Consumer<DocumentsPayload> listener) {
        documentsListeners.add(listener);
    }

    /** The shadow as last seen, or null when not seen yet. */
    @Nullable
    ShadowDocument known() {
        return known;
    }

    /** A document of the own shadow was seen; an older one than the one known changes nothing. */
    void remember(@NotNull ShadowDocument document) {
        if (known == null || document.version() >= known.version()) {
            known = document;
        }
    }

    /** The own shadow was deleted at {@code version}: from then on it is empty. */
    void deleted(long version) {
        if (known == null || version >= known.version()) {
            known = ShadowDocument.empty(version);
        }
    }

    /**
     * The shadow read after a (re)connect: remembered, and its delta handed over unless a delta of that version (pushed
     * by the broker on subscribe) was handed over already.
     */
    void synchronizedTo(@NotNull JsonNode answer, @NotNull Effects effects) {
        ShadowDocument document = ShadowDocument.fromStoredJson(answer);
        remember(document);
        ObjectNode delta = document.delta();
        if (delta.isEmpty()) {
            deltaGate.seen(document.version());
        } else if (deltaGate.admit(document.version())) {
            hand(
                    new ShadowDelta(
                            delta,
                            document.deltaMetadata(),
                            document.version(),
                            answer.path("timestamp").asLong()),
                    effects);
        }
    }

    /** An {@code update/delta} message: handed over once, if newer than any seen. */
    void delta(@NotNull JsonNode json, @NotNull Effects effects) {
        ShadowDelta delta = new ShadowDelta(
                object(json, "state"),
                object(json, "metadata"),
                requiredLong(json, "version"),
                json.path("timestamp").asLong());
        if (deltaGate.admit(delta.version())) {
            hand(delta, effects);
        }
    }

    /** An {@code update/documents} message: remembered, and handed to the documents listeners. */
    void documents(@NotNull JsonNode json, @NotNull Effects effects) {
        DocumentsPayload documents = DocumentsPayload.read(json);
        remember(documents.current());
        documentsListeners.forEach(listener -> effects.add(() -> listener.accept(documents)));
    }

    private void hand(ShadowDelta delta, Effects effects) {
        deltaListeners.forEach(listener -> effects.add(() -> listener.onDelta(delta)));
    }

    static @NotNull ObjectNode object(@NotNull JsonNode json, @NotNull String key) {
        JsonNode value = json.get(key);
        return value instanceof ObjectNode object ? object : SafeJson.object();
    }

    static long requiredLong(@NotNull JsonNode json, @NotNull String key) {
        JsonNode value = json.get(key);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException(key + " missing");
        }
        return value.longValue();
    }
}
