package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import io.shadowmq.model.json.SafeJson;
import org.jetbrains.annotations.NotNull;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** Publishes the platform's answers through HiveMQ's {@link PublishService}, at QoS 1, as UTF-8 JSON. */
public final class HiveMqResponseSink implements ResponseSink {

    private final PublishService publishService;

    public HiveMqResponseSink(@NotNull PublishService publishService) {
        this.publishService = publishService;
    }

    @Override
    public @NotNull CompletableFuture<Void> publish(@NotNull String topic, byte @NotNull [] json) {
        return publishService.publish(toPublish(topic, json));
    }

    @Override
    public @NotNull CompletableFuture<Boolean> publishToClient(
            @NotNull String clientId, @NotNull String topic, @NotNull ObjectNode payload) {
        return publishService
                .publishToClient(toPublish(topic, SafeJson.write(payload)), clientId)
                .thenApply(result -> result == PublishToClientResult.SUCCESSFUL);
    }

    private static Publish toPublish(String topic, byte[] json) {
        return Builders.publish()
                .topic(topic)
                .qos(Qos.AT_LEAST_ONCE)
                .payloadFormatIndicator(PayloadFormatIndicator.UTF_8)
                .contentType("application/json")
                .payload(ByteBuffer.wrap(json))
                .build();
    }
}
