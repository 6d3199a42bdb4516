package io.shadowmq.extension.shadow;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import io.shadowmq.extension.auth.ActorResolver;
import io.shadowmq.extension.auth.TopicAccess;
import io.shadowmq.extension.auth.TopicPolicy;
import io.shadowmq.extension.command.CommandRequestHandler;
import io.shadowmq.model.command.CommandTopic;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.summary.SummaryTopic;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides every PUBLISH of a thing ({@link TopicPolicy}: its own requests, or a household member's update/get or
 * invocation) and takes requests out of normal routing: shadow requests ({@code things/T/shadow/update|get|delete})
 * to the {@link ShadowRequestHandler}, command requests ({@code things/T/actions/{action}},
 * {@code things/T/commands/{commandId}/status}) to the {@link CommandRequestHandler}, summary requests
 * ({@code things/T/summary/get}) to the {@link SummaryRequestHandler}. A refused publish is dropped
 * with PUBACK 0x87 for MQTT 5 at QoS 1; an MQTT 3.1.1 client, which has no way to hear "no", just sees it
 * acknowledged and never answered (docs/protocol.md) instead of being disconnected as a failed publish authorization
 * would do, and so does an MQTT 5 client at QoS 2 (see {@code refuse}). Nothing a client publishes is ever routed, so nothing it publishes is stored as retained either.
 * The PUBLISH is held asynchronously until the answer is handed to the broker, so a device that floods requests is
 * slowed by its own in-flight window instead of piling work up here; no HiveMQ thread ever waits on Redis. The output is resumed exactly once, when the handler's stage completes (it never fails).
 */
public final class ShadowTopicInterceptor implements PublishInboundInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ShadowTopicInterceptor.class);

    private final ShadowRequestHandler handler;
    private final CommandRequestHandler commands;
    private final SummaryRequestHandler summaries;
    private final TopicPolicy policy;
    private final ActorResolver actors;
    private final ShadowMetrics metrics;
    private final Duration holdAtMost;
    private final Clock clock;
    private final long maxQueueWaitMillis;

    /**
     * @param holdAtMost   how long HiveMQ may hold a request before acknowledging it anyway; longer than the store
     *                     timeout, so normally the answer comes first
     * @param maxQueueWait a shadow request that waited longer in the broker's own queue (from its arrival, the
     *                     PUBLISH's timestamp, to this interceptor) is answered 503 at once, unparsed: the broker is
     *                     behind, and working off a backlog whose senders have given up would keep it behind
     * @param clock        wall clock, the one the PUBLISH timestamps are taken with
     */
    public ShadowTopicInterceptor(
            @NotNull ShadowRequestHandler handler,
            @NotNull CommandRequestHandler commands,
            @NotNull SummaryRequestHandler summaries,
            @NotNull TopicPolicy policy,
            @NotNull ActorResolver actors,
            @NotNull ShadowMetrics metrics,
            @NotNull Duration holdAtMost,
            @NotNull Duration maxQueueWait,
            @NotNull Clock clock) {
        this.handler = handler;
        this.commands = commands;
        this.summaries = summaries;
        this.policy = policy;
        this.actors = actors;
        this.metrics = metrics;
        this.holdAtMost = holdAtMost;
        this.maxQueueWaitMillis = maxQueueWait.toMillis();
        this.clock = clock;
    }

    @Override
    public void onInboundPublish(@NotNull PublishInboundInput input, @NotNull PublishInboundOutput output) {
        String topic = input.getPublishPacket().getTopic();
        String clientId = input.getClientInformation().getClientId();
        CompletableFuture<TopicAccess> access = actors.access(clientId, actor -> policy.mayPublish(actor, topic));
        if (access.isDone()) {
            // The common case, a thing's own request: decided without going asynchronous.
            TopicAccess decision = access.join();
            if (decision instanceof TopicAccess.Refused refused) {
                refuse(input, output, clientId, topic, refused);
                return;
            }
            handle(input, output, clientId, topic);
            return;
        }
        Async<PublishInboundOutput> async = output.async(
                holdAtMost, TimeoutFallback.FAILURE, AckReasonCode.NOT_AUTHORIZED, "authorization timed out");
        Futures.whenComplete(access, log, "publish authorization", (decision, error) -> {
            if (decision instanceof TopicAccess.Refused refused) {
                refuse(input, output, clientId, topic, refused);
                async.resume();
            } else {
                dispatch(input, output, clientId, topic).whenComplete((done, failure) -> async.resume());
            }
        });
    }

    private void handle(PublishInboundInput input, PublishInboundOutput output, String clientId, String topic) {
        Async<PublishInboundOutput> async = output.async(holdAtMost, TimeoutFallback.SUCCESS);
        dispatch(input, output, clientId, topic).whenComplete((done, error) -> async.resume());
    }

    private CompletionStage<Void> dispatch(
            PublishInboundInput input, PublishInboundOutput output, String clientId, String topic) {
        // Requests are answered on the response topics, never routed to subscribers. The policy only grants
        // request topics, so a granted publish always is one.
        output.preventPublishDelivery();
        try {
            ThingId requester = ThingId.of(clientId);
            byte[] payload = bytes(input.getPublishPacket().getPayload());
            Optional<ShadowTopic> request = ShadowTopic.parse(topic);
            if (request.isPresent()) {
                long waited = clock.millis() - input.getPublishPacket().getTimestamp();
                if (waited > maxQueueWaitMillis) {
                    return handler.shed(request.get(), payload, waited, maxQueueWaitMillis);
                }
                return handler.handle(requester, request.get(), payload);
            }
            Optional<CommandTopic> command = CommandTopic.parse(topic);
            if (command.isPresent()) {
                return commands.handle(requester, command.get(), payload);
            }
            Optional<SummaryTopic> summary = SummaryTopic.parse(topic);
            if (summary.isPresent()) {
                return summaries.handle(requester, summary.get(), payload);
            }
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException bug) {
            // The handlers answer their own failures; this only keeps a bug before them from holding the PUBLISH.
            log.error(
                    "PUBLISH to {} by {} could not be handed to its handler", topic, ThingId.printable(clientId), bug);
            return CompletableFuture.completedFuture(null);
        }
    }

    private void refuse(
            PublishInboundInput input,
            PublishInboundOutput output,
            String clientId,
            String topic,
            TopicAccess.Refused refused) {
        metrics.rejected(403);
        log.debug("PUBLISH to {} by {} refused: {}", topic, ThingId.printable(clientId), refused.reason());
        if (input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5
                && input.getPublishPacket().getQos() != Qos.EXACTLY_ONCE) {
            output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, refused.reason());
        } else {
            // MQTT 3 has no negative PUBACK: HiveMQ would disconnect the client for one. The contract drops it.
            // MQTT 5 at QoS 2: after a PUBREC with an error code, HiveMQ CE 2025.5 answers the client's next QoS 2
            // PUBLISH under the same packet identifier (which the client may reuse at once) with PUBREC success and
            // never hands it to us - a real request would be acknowledged and lost. Dropped with success instead.
            output.preventPublishDelivery();
        }
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
