package io.shadowmq.extension.routing;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import io.shadowmq.model.command.CommandTopic;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.ShadowTopic;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.feed.NodeFeed;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Which things' changes this broker needs, client by client: a connected thing's own, and those of every thing whose
 * topics a client here subscribed to (a household member's {@code update/documents}). It keeps {@link NodeFeed}'s
 * holds in step with HiveMQ: a hold per client and thing, taken when the client connects or a subscription is
 * granted, and checked against HiveMQ's own view (is the client connected, which subscriptions does it have) when
 * a client disconnects or unsubscribes — so a session taken over by a new connection, or a persistent session's
 * restored subscriptions, end up exactly as HiveMQ has them.
 * <pre>{@code
 * ThingInterest interest = new ThingInterest(nodeFeed, clientService::isClientConnected, filtersOf);
 * interest.subscribed("speaker-1", "things/car-1/shadow/update/documents").thenRun(suback);
 * }</pre>
 */
public final class ThingInterest implements ClientLifecycleEventListener {

    private static final Logger log = LoggerFactory.getLogger(ThingInterest.class);

    /** After an UNSUBSCRIBE or a disconnect, HiveMQ's view is asked this much later, once it has applied it. */
    static final Duration SETTLE = Duration.ofMillis(500);

    private static final Set<String> SUBTREES = Set.of(ShadowTopic.SHADOW, CommandTopic.COMMANDS);

    private final NodeFeed node;
    private final Function<String, CompletionStage<Boolean>> isConnected;
    private final Function<String, CompletionStage<Set<String>>> filtersOf;

    /**
     * @param isConnected whether a client id has a connection on this broker now
     * @param filtersOf   the topic filters a client id is subscribed to on this broker now
     */
    public ThingInterest(
            @NotNull NodeFeed node,
            @NotNull Function<String, CompletionStage<Boolean>> isConnected,
            @NotNull Function<String, CompletionStage<Set<String>>> filtersOf) {
        this.node = node;
        this.isConnected = isConnected;
        this.filtersOf = filtersOf;
    }

    /**
     * The thing whose changes a filter needs here ({@code things/{id}/shadow/...}: its documents and deltas;
     * {@code things/{id}/commands/...}: its commands and their states), if it names one. Not
     * {@code things/{id}/actions/...}: those answers go to the invoker from the broker it invoked on, no feed needed.
     */
    public static @NotNull Optional<ThingId> thingOf(@NotNull String filter) {
        String[] levels = filter.split("/", 4);
        return levels.length >= 3
                        && levels[0].equals(ShadowTopic.ROOT)
                        && SUBTREES.contains(levels[2])
                        && ThingId.isValid(levels[1])
                ? Optional.of(ThingId.of(levels[1]))
                : Optional.empty();
    }

    /**
     * A subscription was granted: completes once the thing it names is watched, so the next change reaches the
     * subscriber (the SUBACK waits for it). Completes at once when the thing is already watched.
     */
    public @NotNull CompletionStage<Outcome<Boolean>> subscribed(@NotNull String clientId, @NotNull String filter) {
        return thingOf(filter)
                .map(thing -> node.hold(clientId, thing))
                .orElseGet(() -> CompletableFuture.completedFuture(Outcome.ok(false)));
    }

    /** The thing's own changes reach this broker once this completes (a connected thing is watched). */
    public @NotNull CompletionStage<Outcome<Boolean>> own(@NotNull ThingId thing) {
        return node.hold(thing.value(), thing);
    }

    /** A client unsubscribed: what it still needs is looked up once HiveMQ applied the UNSUBSCRIBE. */
    public void unsubscribed(@NotNull String clientId) {
        later(clientId);
    }

    @Override
    public void onMqttConnectionStart(@NotNull ConnectionStartInput input) {
        // Nothing yet: a connection counts once it is authenticated.
    }

    @Override
    public void onAuthenticationSuccessful(@NotNull AuthenticationSuccessfulInput input) {
        String clientId = input.getClientInformation().getClientId();
        if (ThingId.isValid(clientId)) {
            own(ThingId.of(clientId));
            // A persistent session brings its subscriptions back without a SUBSCRIBE. Only holds here: HiveMQ may not
            // count the client as connected yet, so this is no moment to decide what it no longer needs.
            filtersOf.apply(clientId).thenAccept(filters -> filters.forEach(filter -> subscribed(clientId, filter)));
        }
    }

    @Override
    public void onDisconnect(@NotNull DisconnectEventInput input) {
        later(input.getClientInformation().getClientId());
    }

    private void later(String clientId) {
        CompletableFuture.delayedExecutor(SETTLE.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> resync(clientId));
    }

    /**
     * Holds what the client needs as HiveMQ sees it now and releases the rest of what it held before asking; a hold
     * taken meanwhile (a SUBSCRIBE granted while this asked) stays.
     */
    void resync(String clientId) {
        Set<ThingId> before = node.heldBy(clientId);
        isConnected
                .apply(clientId)
                .thenCompose(connected -> connected
                        ? filtersOf.apply(clientId).thenApply(filters -> needed(clientId, filters))
                        : CompletableFuture.completedFuture(Set.<ThingId>of()))
                .whenComplete((needed, error) -> {
                    if (error != null) {
                        log.debug(
                                "client {}: its subscriptions could not be read, keeping its holds: {}",
                                clientId,
                                error.toString());
                        return;
                    }
                    for (ThingId thing : before) {
                        if (!needed.contains(thing)) {
                            node.release(clientId, thing);
                        }
                    }
                    needed.forEach(thing -> node.hold(clientId, thing));
                });
    }

    private static Set<ThingId> needed(String clientId, Set<String> filters) {
        Set<ThingId> things = new HashSet<>();
        if (ThingId.isValid(clientId)) {
            things.add(ThingId.of(clientId));
        }
        filters.forEach(filter -> thingOf(filter).ifPresent(things::add));
        return things;
    }
}
