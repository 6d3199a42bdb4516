package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what would be published, in order; the broker itself is tested in the ITs. */
final class RecordingSink implements ResponseSink {

    record Sent(String topic, ObjectNode payload, String toClient) {}

    final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public @NotNull CompletableFuture<Void> publish(@NotNull String topic, byte @NotNull [] json) {
        try {
            sent.add(new Sent(topic, (ObjectNode) SafeJson.read(json), null));
        } catch (MalformedJsonException e) {
            throw new AssertionError("published JSON that does not parse: " + e.getMessage(), e);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public @NotNull CompletableFuture<Boolean> publishToClient(
            @NotNull String clientId, @NotNull String topic, @NotNull ObjectNode payload) {
        sent.add(new Sent(topic, payload, clientId));
        return CompletableFuture.completedFuture(true);
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }
}
