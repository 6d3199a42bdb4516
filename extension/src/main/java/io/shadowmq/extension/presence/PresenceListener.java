package io.shadowmq.extension.presence;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import io.shadowmq.extension.auth.ActorResolver;
import io.shadowmq.extension.auth.ConnectedThing;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.presence.PresenceRecorder;
import io.shadowmq.store.presence.PresenceStore;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Marks things connected and disconnected in the store. Every connection gets a session id ({@link BrokerNode}:
 * this node, its current run, a counter) kept in the connection's own attribute store, so the disconnect of an old
 * connection that arrives after the thing already reconnected — here or on another node — cannot mark it offline,
 * and a connect written late (after its own disconnect, or after a later session's) cannot mark it online
 * (PresenceStore orders the sessions of one run). Writes answered 503 are retried ({@link PresenceRecorder}), so a
 * busy Redis does not leave a connected thing shown offline. What a run of this node leaves connected when the
 * broker stops is ended at the stop ({@link LeaseKeeper}); what it leaves when it dies, by any other broker or REST
 * service once its lease expired, or by this node's next run ({@link PresenceSweep}). A connection here that a newer
 * one on another node took over is closed by {@link SessionTakeover}.
 */
public final class PresenceListener implements ClientLifecycleEventListener {

    private static final Logger log = LoggerFactory.getLogger(PresenceListener.class);
    static final String SESSION_ATTRIBUTE = "shadowmq.session";

    private final PresenceRecorder presence;
    private final ActorResolver actors;
    private final Clock clock;
    private final BrokerNode node;
    private final AtomicLong sessions = new AtomicLong();
    private final SessionTakeover takeover;

    public PresenceListener(
            @NotNull PresenceStore presence,
            @NotNull ActorResolver actors,
            @NotNull Clock clock,
            @NotNull BrokerNode node,
            @NotNull SessionTakeover takeover) {
        this.presence = new PresenceRecorder(presence, PresenceRecorder.FIRST_RETRY, PresenceRecorder.ATTEMPTS);
        this.takeover = takeover;
        this.actors = actors;
        this.clock = clock;
        this.node = node;
    }

    /**
     * Shows the sessions open on this broker connected again where a reaper ended them while this broker had lost
     * its lease ({@link LeaseKeeper}); answers how many.
     */
    public @NotNull CompletionStage<Integer> reassertOpenSessions(long nowMillis) {
        return presence.reassert(nowMillis);
    }

    @Override
    public void onMqttConnectionStart(@NotNull ConnectionStartInput input) {
        // Nothing yet: a connection counts once it is authenticated.
    }

    @Override
    public void onAuthenticationSuccessful(@NotNull AuthenticationSuccessfulInput input) {
        String clientId = input.getClientInformation().getClientId();
        String session = node.session(sessions.incrementAndGet());
        input.getConnectionInformation().getConnectionAttributeStore().putAsString(SESSION_ATTRIBUTE, session);
        takeover.started(clientId, session);
        long now = clock.millis();
        record(
                clientId,
                "connected",
                actor -> presence.connected(actor.thing(), actor.owner(), session, now)
                        .thenApply(outcome -> {
                            if (outcome instanceof Outcome.Ok<Boolean> shown && shown.value()) {
                                takeover.recorded(clientId, session);
                            }
                            return outcome;
                        }),
                1,
                PresenceRecorder.FIRST_RETRY);
    }

    @Override
    public void onDisconnect(@NotNull DisconnectEventInput input) {
        String clientId = input.getClientInformation().getClientId();
        ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
        Optional<String> session = attributes.getAsString(SESSION_ATTRIBUTE);
        if (session.isEmpty() || !ThingId.isValid(clientId)) {
            return; // never authenticated
        }
        takeover.ended(clientId, session.get());
        long now = clock.millis();
        record(
                clientId,
                "disconnected",
                actor -> presence.disconnected(actor.thing(), actor.owner(), session.get(), now),
                1,
                PresenceRecorder.FIRST_RETRY);
    }

    /**
     * Writes {@code what} once the thing's household is known. The lookup can fail while Redis is unavailable: it is
     * tried again like the write itself ({@link PresenceRecorder}), since a disconnect never written would show the
     * thing connected until this node restarts. Writes of one session landing out of order are harmless (the
     * store orders the sessions of a run).
     */
    private void record(
            String clientId,
            String what,
            Function<ConnectedThing, CompletionStage<Outcome<Boolean>>> write,
            int attempt,
            Duration pause) {
        Futures.whenComplete(actors.actor(clientId), log, "recording presence", (actor, failure) -> {
            if (failure == null) {
                Futures.logFailure(
                        write.apply(actor).thenAccept(outcome -> logFailure(outcome, clientId, what)),
                        log,
                        "thing " + clientId + ": recording " + what);
                return;
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof ActorResolver.UnknownThing) {
                return; // deleted meanwhile: its presence went with it
            }
            if (attempt >= PresenceRecorder.ATTEMPTS) {
                log.warn(
                        "thing {}: could not record {}: household lookup failed: {}",
                        clientId,
                        what,
                        cause.getMessage());
                return;
            }
            CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> record(clientId, what, write, attempt + 1, pause.multipliedBy(2)));
        });
    }

    private static void logFailure(Outcome<Boolean> outcome, String clientId, String what) {
        if (outcome instanceof Outcome.Rejected<Boolean> failed) {
            log.warn(
                    "thing {}: could not record {}: {}",
                    clientId,
                    what,
                    failed.rejection().message());
        }
    }
}
