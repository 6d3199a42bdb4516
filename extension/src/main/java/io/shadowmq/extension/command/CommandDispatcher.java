package io.shadowmq.extension.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import io.shadowmq.extension.shadow.ResponseSink;
import io.shadowmq.extension.shadow.TopicFilter;
import io.shadowmq.model.command.CommandTopic;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.command.Command;
import io.shadowmq.store.command.CommandStatus;
import io.shadowmq.store.command.CommandStore;
import io.shadowmq.store.feed.FeedEvent;
import io.shadowmq.store.feed.FeedEventKind;
import io.shadowmq.store.feed.FeedListener;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Brings commands to the things connected to this broker, and their states to whoever follows them here:
 * <ul>
 *   <li><b>Delivery.</b> When thing T subscribes to a filter covering {@code things/T/commands/{commandId}}
 *   ({@code things/T/commands/+}, {@code things/T/commands/#}), or comes back with a persistent session holding one,
 *   it is sent {@link CommandStore#deliverable} once the subscription is active: everything in flight again (the
 *   same commandId: at least once; devices dedupe), then what the order allows. On every {@code command} change of a
 *   thing subscribed here that may make something deliverable (a new command, a final state), deliverable is read
 *   again and what this connection was not sent yet is sent. At QoS 1; {@link CommandAcks} reports the PUBACK as
 *   {@code delivered}.</li>
 *   <li><b>States.</b> Every {@code command} change of a thing this broker watches is published on
 *   {@code things/T/commands/{commandId}/state} as the feed holds it, to T and to household members subscribed
 *   here - like {@code update/documents}, whoever changed it (this broker, another one, the REST service, the expiry
 *   sweep).</li>
 * </ul>
 * Store calls are asynchronous and bounded; no HiveMQ thread waits for Redis.
 */
public final class CommandDispatcher implements FeedListener, ClientLifecycleEventListener {

    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

    /** After a disconnect, HiveMQ is asked this much later whether the client is still gone. */
    static final Duration SETTLE = Duration.ofMillis(500);

    private final CommandStore commands;
    private final ResponseSink responses;
    private final Function<ThingId, CompletionStage<?>> watch;
    private final Function<String, CompletionStage<Boolean>> isConnected;
    private final Function<String, CompletionStage<Set<String>>> filtersOf;
    private final Consumer<String> gone;
    /** Thing id → the command ids its current connection here was sent and that are not final yet. */
    private final Map<String, Set<String>> sent = new ConcurrentHashMap<>();

    /**
     * @param watch       makes sure this broker is routed the thing's changes; deliverable is read after it completed,
     *                    so a command is either in that read or announced here
     * @param isConnected whether a client id has a connection on this broker now
     * @param filtersOf   the topic filters a client id is subscribed to on this broker now
     * @param gone        called with a client id whose connection ended for good (to forget what it had in flight)
     */
    public CommandDispatcher(
            @NotNull CommandStore commands,
            @NotNull ResponseSink responses,
            @NotNull Function<ThingId, CompletionStage<?>> watch,
            @NotNull Function<String, CompletionStage<Boolean>> isConnected,
            @NotNull Function<String, CompletionStage<Set<String>>> filtersOf,
            @NotNull Consumer<String> gone) {
        this.commands = commands;
        this.responses = responses;
        this.watch = watch;
        this.isConnected = isConnected;
        this.filtersOf = filtersOf;
        this.gone = gone;
    }

    @Override
    public void onEvent(@NotNull FeedEvent event) {
        if (event.kind() != FeedEventKind.COMMAND) {
            return;
        }
        ThingId thing = event.thing();
        ObjectNode state = event.body();
        String commandId = state.path("commandId").asText("");
        if (!CommandTopic.isCommandId(commandId)) {
            log.warn("feed entry {} of thing {} names no command; not published", event.id(), thing);
            return;
        }
        String topic = CommandTopic.state(thing, commandId);
        Futures.logFailure(
                responses.publish(topic, event.rawBody().getBytes(StandardCharsets.UTF_8)),
                log,
                "publishing to " + topic);
        Set<String> sentHere = sent.get(thing.value());
        if (sentHere == null) {
            return; // T has no command subscription on this broker
        }
        CommandStatus status =
                CommandStatus.fromWireName(state.path("status").asText("")).orElse(CommandStatus.QUEUED);
        if (status.isFinal()) {
            sentHere.remove(commandId);
        }
        if (status == CommandStatus.QUEUED || status.isFinal()) {
            send(thing, sentHere, false);
        }
    }

    /**
     * Called when {@code thing} subscribed with {@code filter}: if it covers the thing's commands, everything
     * deliverable is sent again, once the subscription is active.
     */
    public void onSubscribed(@NotNull ThingId thing, @NotNull String filter) {
        if (!TopicFilter.matches(filter, CommandTopic.command(thing, "c"))) {
            return;
        }
        Set<String> sentHere = sent.computeIfAbsent(thing.value(), id -> ConcurrentHashMap.newKeySet());
        sentHere.clear();
        Futures.logFailure(
                watch.apply(thing)
                        .toCompletableFuture()
                        .handle((watched, error) -> null)
                        .thenRun(() -> send(thing, sentHere, true)),
                log,
                "thing " + thing + ": sending its commands on subscribe");
    }

    private void send(ThingId thing, Set<String> sentHere, boolean newSubscription) {
        Futures.whenComplete(commands.deliverable(thing), log, "deliverable commands of " + thing, (outcome, error) -> {
            if (outcome instanceof Outcome.Ok<List<Command>> deliverable) {
                for (Command command : deliverable.value()) {
                    if (sentHere.add(command.commandId())) {
                        deliver(thing, command, sentHere, newSubscription);
                    }
                }
            } else if (outcome instanceof Outcome.Rejected<List<Command>> refused) {
                // Nothing is lost: what was not sent now goes out on the next change or the next subscribe.
                log.warn(
                        "thing {}: its deliverable commands could not be read: {}",
                        thing,
                        refused.rejection().message());
            }
        });
    }

    private void deliver(ThingId thing, Command command, Set<String> sentHere, boolean newSubscription) {
        String topic = CommandTopic.command(thing, command.commandId());
        ObjectNode payload = command.toDeviceJson();
        CompletableFuture<Boolean> published = newSubscription
                ? responses.publishToClientOnceSubscribed(thing.value(), topic, payload)
                : responses.publishToClient(thing.value(), topic, payload);
        Futures.whenComplete(published, log, "sending command " + command.commandId(), (delivered, error) -> {
            if (error == null && Boolean.TRUE.equals(delivered)) {
                log.debug("thing {}: command {} ({}) sent", thing, command.commandId(), command.action());
            } else {
                // Not subscribed (any more): to be sent on the next subscribe.
                sentHere.remove(command.commandId());
                log.debug("thing {}: command {} not sent, no active subscription", thing, command.commandId());
            }
        });
    }

    @Override
    public void onMqttConnectionStart(@NotNull ConnectionStartInput input) {
        // Nothing yet: a connection counts once it is authenticated.
    }

    @Override
    public void onAuthenticationSuccessful(@NotNull AuthenticationSuccessfulInput input) {
        String clientId = input.getClientInformation().getClientId();
        if (!ThingId.isValid(clientId)) {
            return;
        }
        // A new connection has been sent nothing yet. A persistent session brings its subscriptions back without a
        // SUBSCRIBE: such a thing gets its commands as if it had subscribed.
        sent.remove(clientId);
        ThingId thing = ThingId.of(clientId);
        Futures.logFailure(
                filtersOf.apply(clientId).thenAccept(filters -> filters.forEach(filter -> onSubscribed(thing, filter))),
                log,
                "thing " + thing + ": its restored subscriptions");
    }

    @Override
    public void onDisconnect(@NotNull DisconnectEventInput input) {
        String clientId = input.getClientInformation().getClientId();
        CompletableFuture.delayedExecutor(SETTLE.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> isConnected.apply(clientId).whenComplete((connected, error) -> {
                    if (error == null && !Boolean.TRUE.equals(connected)) {
                        sent.remove(clientId);
                        gone.accept(clientId);
                    }
                }));
    }
}
