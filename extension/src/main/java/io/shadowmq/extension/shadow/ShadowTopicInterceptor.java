package io.shadowmq.extension.shadow;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * Takes shadow requests ({@code things/T/shadow/update|get|delete}) out of normal routing and hands them to the
 * {@link ShadowRequestHandler}. The PUBLISH is held asynchronously until the answer is handed to the broker, so a
 * device that floods requests is slowed by its own in-flight window instead of piling work up here; no HiveMQ thread
 * ever waits on Redis. The output is resumed exactly once, when the handler's stage completes (it never fails).
 */
public final class ShadowTopicInterceptor implements PublishInboundInterceptor {

    private final ShadowRequestHandler handler;
    private final Duration holdAtMost;

    /**
     * @param holdAtMost how long HiveMQ may hold a request before acknowledging it anyway; longer than the store
     *                   timeout, so normally the answer comes first
     */
    public ShadowTopicInterceptor(@NotNull ShadowRequestHandler handler, @NotNull Duration holdAtMost) {
        this.handler = handler;
        this.holdAtMost = holdAtMost;
    }

    @Override
    public void onInboundPublish(@NotNull PublishInboundInput input, @NotNull PublishInboundOutput output) {
        Optional<ShadowTopic> topic = ShadowTopic.parse(input.getPublishPacket().getTopic());
        String clientId = input.getClientInformation().getClientId();
        if (topic.isEmpty() || !ThingId.isValid(clientId)) {
            return; // not a request: the authorizer already decided whether it may be routed
        }
        byte[] payload = bytes(input.getPublishPacket().getPayload());
        // Requests are answered on the response topics, never routed to subscribers.
        output.preventPublishDelivery();
        Async<PublishInboundOutput> async = output.async(holdAtMost, TimeoutFallback.SUCCESS);
        handler.handle(ThingId.of(clientId), topic.get(), payload).whenComplete((done, error) -> async.resume());
    }

    private static byte[] bytes(Optional<ByteBuffer> payload) {
        if (payload.isEmpty()) {
            return new byte[0];
        }
        ByteBuffer buffer = payload.get().asReadOnlyBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
