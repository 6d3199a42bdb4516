package io.shadowmq.extension.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import io.shadowmq.extension.auth.MemberAccess;
import io.shadowmq.model.access.Access;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Each subscriber sees of another thing's state only what it may read. The platform publishes a thing's shadow
 * answers and documents once to every subscriber ({@code things/T/shadow/get/accepted}, {@code update/accepted},
 * {@code update/documents}, {@code update/delta}); when HiveMQ writes such a PUBLISH to a client that is not T (a
 * household member: the authorizer let nobody else subscribe), this replaces the payload with what the member's
 * {@link Access} may read ({@code readable}) - untouched, and not even parsed, when the access reads everything of
 * the model ({@code readsEverything}), and not re-serialised when nothing was pruned.
 *
 * <p>Decided on the member's cached access, so almost always at once on HiveMQ's thread; when it is not cached the
 * delivery waits (asynchronously) for the store at most {@code waitAtMost}, and fails closed: no answer in time, a
 * store failure or an unreadable payload means the PUBLISH is not delivered to that client.
 *
 * <p>Registered after {@code CommandAcks} on every client: HiveMQ runs a client's outbound interceptors in the order
 * they were added, each seeing the packet as the previous one left it, and a prevented delivery ends the chain.
 * {@code CommandAcks} only reads the packet identifier and topic, and this never touches a command topic.
 * <pre>{@code
 * clientContext.addPublishOutboundInterceptor(commandAcks);
 * clientContext.addPublishOutboundInterceptor(new SubscriberFilter(members, Duration.ofSeconds(1)));
 * }</pre>
 */
public final class SubscriberFilter implements PublishOutboundInterceptor {

    private static final Logger log = LoggerFactory.getLogger(SubscriberFilter.class);

    /** {@code operation/result} of the shadow topics that carry a thing's state. */
    private static final String DELTA = "/update/delta";

    private static final Set<String> CARRY_STATE =
            Set.of("get/accepted", "update/accepted", "update/documents", "update/delta");

    private final MemberAccess members;
    private final Duration waitAtMost;

    /** @param waitAtMost how long a delivery may wait for an access that is not cached before it is dropped */
    public SubscriberFilter(@NotNull MemberAccess members, @NotNull Duration waitAtMost) {
        this.members = members;
        this.waitAtMost = waitAtMost;
    }

    @Override
    public void onOutboundPublish(@NotNull PublishOutboundInput input, @NotNull PublishOutboundOutput output) {
        String topic = input.getPublishPacket().getTopic();
        String clientId = input.getClientInformation().getClientId();
        if (isUnder(topic, clientId)) {
            return; // the thing's own answers and deltas, nearly every delivery: nothing parsed, nothing allocated
        }
        Optional<ThingId> target = stateTopicOf(topic);
        if (target.isEmpty()) {
            return;
        }
        if (!ThingId.isValid(clientId)) {
            output.preventPublishDelivery(); // cannot happen: every client is a thing
            return;
        }
        CompletableFuture<Access> access = members.of(ThingId.of(clientId), target.get());
        if (access.isDone()) {
            filter(
                    output,
                    topic,
                    clientId,
                    access.handle((known, failure) -> failure == null ? known : null)
                            .join());
            return;
        }
        Async<PublishOutboundOutput> async = output.async(waitAtMost, TimeoutFallback.FAILURE);
        Futures.whenComplete(access, log, "access of " + clientId + " for " + topic, (known, failure) -> {
            try {
                filter(output, topic, clientId, known);
            } finally {
                async.resume();
            }
        });
    }

    /** Prunes the payload to what {@code access} may read; no access (failed) prevents the delivery. */
    private static void filter(PublishOutboundOutput output, String topic, String clientId, @Nullable Access access) {
        if (access == null) {
            log.debug("{} not delivered to {}: its access could not be read", topic, ThingId.printable(clientId));
            output.preventPublishDelivery();
            return;
        }
        if (access.readsEverything()) {
            return;
        }
        Optional<byte[]> pruned;
        try {
            pruned = prune(
                    access,
                    topic.endsWith(DELTA),
                    output.getPublishPacket().getPayload().orElse(null));
        } catch (RuntimeException e) {
            log.warn("{} not delivered to {}: its payload could not be filtered", topic, clientId, e);
            output.preventPublishDelivery();
            return;
        }
        pruned.ifPresent(bytes -> output.getPublishPacket().setPayload(ByteBuffer.wrap(bytes)));
    }

    /**
     * What {@code access} may read of a shadow payload ({@code delta}: an {@code update/delta} payload, whose state is
     * one tree), serialised; empty when it may read all of it (the payload is delivered as it is).
     *
     * @throws RuntimeException when the payload is no JSON object (nothing the platform publishes)
     */
    static @NotNull Optional<byte[]> prune(@NotNull Access access, boolean delta, @Nullable ByteBuffer payload) {
        if (payload == null) {
            throw new IllegalArgumentException("no payload");
        }
        ByteBuffer buffer = payload.asReadOnlyBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        // The platform wrote these bytes (from a document it read with SafeJson.read): read them as trusted, without
        // the untrusted-input checks (UTF-8 scan, value walk) a device's payload gets.
        JsonNode read;
        try {
            read = SafeJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is no JSON: " + e.getMessage(), e);
        }
        if (!(read instanceof ObjectNode document)) {
            throw new IllegalArgumentException("payload is no JSON object");
        }
        ObjectNode readable = delta ? access.readableDelta(document) : access.readable(document);
        return readable.equals(document) ? Optional.empty() : Optional.of(SafeJson.write(readable));
    }

    /** Whether {@code topic} is one of thing {@code thing}'s own, {@code things/<thing>/...}. */
    static boolean isUnder(@NotNull String topic, @NotNull String thing) {
        int at = ShadowTopic.ROOT.length() + 1;
        return topic.length() > at + thing.length()
                && topic.startsWith(ShadowTopic.ROOT)
                && topic.charAt(at - 1) == '/'
                && topic.startsWith(thing, at)
                && topic.charAt(at + thing.length()) == '/';
    }

    /** The thing whose state {@code topic} carries, for {@code things/T/shadow/{get|update}/{accepted|documents|delta}}. */
    static @NotNull Optional<ThingId> stateTopicOf(@NotNull String topic) {
        if (!topic.startsWith(ShadowTopic.ROOT + "/")) {
            return Optional.empty();
        }
        String[] levels = topic.split("/", -1);
        if (levels.length != 5
                || !levels[2].equals(ShadowTopic.SHADOW)
                || !CARRY_STATE.contains(levels[3] + "/" + levels[4])
                || !ThingId.isValid(levels[1])) {
            return Optional.empty();
        }
        return Optional.of(ThingId.of(levels[1]));
    }
}
