package io.shadowmq.extension.command;

import com.hivemq.extension.sdk.api.interceptor.puback.PubackInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackInboundInput;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.shadowmq.model.command.CommandTopic;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandStore;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Tells when a device acknowledged a command: {@code delivered} means the device's PUBACK of the QoS 1 PUBLISH on
 * {@code things/T/commands/{commandId}}, not the broker accepting it for delivery.
 *
 * <p>Why interceptors and not {@code PublishService.publishToClient}'s future: in HiveMQ CE 2025.5 that future
 * completes as soon as the message is in the client's queue (PublishDistributorImpl sets {@code DELIVERED} when the
 * queue add succeeds), long before - or without - any PUBACK. The outbound PUBLISH interceptor runs when the PUBLISH
 * is written to the client's connection, with its packet identifier already assigned; the PUBACK inbound
 * interceptor sees the device's PUBACK with that identifier. So this remembers, per client, which packet
 * identifier carries which command, and on the matching PUBACK reports the command delivered (CommandOverMqttIT
 * proves it with a device that acknowledges by hand).
 *
 * <p>Every outbound QoS 1 or 2 PUBLISH to a client replaces what was remembered under its packet identifier (a
 * non-command message clears it), and every PUBACK takes it away, so a reused identifier never acknowledges a
 * command it did not carry. A PUBACK with an error code (MQTT 5, {@code 0x80} and up) is no delivery: the command
 * stays queued and is sent again when the thing comes back.
 * <pre>{@code
 * CommandAcks acks = CommandAcks.recordingIn(store.commands());
 * clientContext.addPublishOutboundInterceptor(acks);
 * clientContext.addPubackInboundInterceptor(acks);
 * }</pre>
 */
public final class CommandAcks implements PublishOutboundInterceptor, PubackInboundInterceptor {

    private static final Logger log = LoggerFactory.getLogger(CommandAcks.class);

    private final BiConsumer<ThingId, String> delivered;
    /** Client id → packet identifier → the command id that PUBLISH carried. */
    private final Map<String, Map<Integer, String>> inFlight = new ConcurrentHashMap<>();

    /** @param delivered called with the thing and the command id once the thing acknowledged the command */
    public CommandAcks(@NotNull BiConsumer<ThingId, String> delivered) {
        this.delivered = delivered;
    }

    /** Acknowledged commands are recorded as {@link CommandStore#delivered}. */
    public static @NotNull CommandAcks recordingIn(@NotNull CommandStore commands) {
        return new CommandAcks((thing, commandId) -> Futures.whenComplete(
                commands.delivered(thing, commandId), log, "command " + commandId + " delivered", (outcome, error) -> {
                    if (outcome instanceof Outcome.Rejected<Command> refused) {
                        // The command stays as it was: sent again on the thing's next subscribe, at least once.
                        log.warn(
                                "thing {}: command {} acknowledged, but not recorded as delivered: {}",
                                thing,
                                commandId,
                                refused.rejection().message());
                    }
                }));
    }

    @Override
    public void onOutboundPublish(@NotNull PublishOutboundInput input, @NotNull PublishOutboundOutput output) {
        PublishPacket publish = input.getPublishPacket();
        if (publish.getQos() == Qos.AT_MOST_ONCE) {
            return;
        }
        String clientId = input.getClientInformation().getClientId();
        Optional<String> command = ThingId.isValid(clientId)
                ? CommandTopic.deliveredCommandId(ThingId.of(clientId), publish.getTopic())
                : Optional.empty();
        if (command.isPresent()) {
            inFlight.computeIfAbsent(clientId, id -> new ConcurrentHashMap<>())
                    .put(publish.getPacketId(), command.get());
        } else {
            Map<Integer, String> packets = inFlight.get(clientId);
            if (packets != null) {
                packets.remove(publish.getPacketId());
            }
        }
    }

    @Override
    public void onInboundPuback(@NotNull PubackInboundInput input, @NotNull PubackInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Map<Integer, String> packets = inFlight.get(clientId);
        if (packets == null) {
            return;
        }
        String commandId = packets.remove(input.getPubackPacket().getPacketIdentifier());
        if (commandId == null) {
            return;
        }
        AckReasonCode code = input.getPubackPacket().getReasonCode();
        if (code == AckReasonCode.SUCCESS || code == AckReasonCode.NO_MATCHING_SUBSCRIBERS) {
            delivered.accept(ThingId.of(clientId), commandId);
        }
    }

    /** The client's connection ended: what it had not acknowledged is sent again on its next connection. */
    public void forget(@NotNull String clientId) {
        inFlight.remove(clientId);
    }

    /** How many commands wait for a PUBACK on this broker (tests, metrics). */
    public int awaitingAck() {
        return inFlight.values().stream().mapToInt(Map::size).sum();
    }
}
