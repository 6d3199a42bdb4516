package io.shadowmq.extension.presence;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.presence.PresenceStore;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Closes a connection of this broker that a newer connection of the same thing on another broker node took over:
 * what HiveMQ does by itself within one broker (MQTT's session takeover), done across brokers through the presence
 * record. Brokers do not cluster, so without it a thing that reconnected elsewhere while its old connection still
 * looked open here would be connected twice, getting every delta twice.
 *
 * <p>When the thing's presence changes (an event on the change feed), a broker whose connection of the thing was
 * recorded as connected reads the thing's current session; if that is another one, a later connect replaced its own,
 * and it closes its connection. A connection whose connect is not recorded yet is left alone: its own record, still
 * to come, is the later one. The old connection's goodbye then changes nothing (its session is no longer current).
 *
 * <pre>{@code
 * SessionTakeover takeover = new SessionTakeover(store.presence(), thing -> clientService.disconnectClient(thing.value()));
 * takeover.started("car-1", "node-a/run-1/7"); takeover.recorded("car-1", "node-a/run-1/7");
 * takeover.onPresenceChanged(car1);   // car-1 connected on node-b since: its connection here is closed
 * }</pre>
 */
public final class SessionTakeover {

    private static final Logger log = LoggerFactory.getLogger(SessionTakeover.class);

    private final PresenceStore presence;
    private final Consumer<ThingId> disconnect;
    private final ConcurrentMap<String, LocalSession> local = new ConcurrentHashMap<>();

    /** This broker's connection of a thing: its session, and whether its connect was recorded. */
    private record LocalSession(String session, boolean recorded) {}

    public SessionTakeover(@NotNull PresenceStore presence, @NotNull Consumer<ThingId> disconnect) {
        this.presence = presence;
        this.disconnect = disconnect;
    }

    /** A connection of {@code clientId} was authenticated here under {@code session}. */
    public void started(@NotNull String clientId, @NotNull String session) {
        local.put(clientId, new LocalSession(session, false));
    }

    /** Its connect was recorded: from now on a different current session means it was taken over. */
    public void recorded(@NotNull String clientId, @NotNull String session) {
        local.computeIfPresent(
                clientId, (id, mine) -> mine.session().equals(session) ? new LocalSession(session, true) : mine);
    }

    /** The connection ended. */
    public void ended(@NotNull String clientId, @NotNull String session) {
        local.computeIfPresent(clientId, (id, mine) -> mine.session().equals(session) ? null : mine);
    }

    /** The thing's presence changed somewhere: closes this broker's connection of it if another session took over. */
    public void onPresenceChanged(@NotNull ThingId thing) {
        LocalSession mine = local.get(thing.value());
        if (mine == null || !mine.recorded()) {
            return;
        }
        presence.currentSession(thing).thenAccept(outcome -> {
            if (outcome instanceof Outcome.Ok<Optional<String>> current
                    && current.value().isPresent()
                    && !current.value().get().equals(mine.session())
                    && mine.equals(local.get(thing.value()))) {
                log.info(
                        "thing {}: session {} took over from session {} here; closing this connection",
                        thing,
                        current.value().get(),
                        mine.session());
                disconnect.accept(thing);
            }
        });
    }
}
