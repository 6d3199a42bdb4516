package io.shadowmq.extension.routing;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import org.jetbrains.annotations.NotNull;

import java.util.List;

/**
 * HiveMQ takes one client lifecycle listener per extension: this one passes every event to each of several (presence,
 * routing), in order. One listener failing does not keep the event from the others.
 */
public final class LifecycleListeners implements ClientLifecycleEventListener {

    private final List<ClientLifecycleEventListener> listeners;

    public LifecycleListeners(@NotNull ClientLifecycleEventListener... listeners) {
        this.listeners = List.of(listeners);
    }

    @Override
    public void onMqttConnectionStart(@NotNull ConnectionStartInput input) {
        listeners.forEach(listener -> each(() -> listener.onMqttConnectionStart(input)));
    }

    @Override
    public void onAuthenticationSuccessful(@NotNull AuthenticationSuccessfulInput input) {
        listeners.forEach(listener -> each(() -> listener.onAuthenticationSuccessful(input)));
    }

    @Override
    public void onDisconnect(@NotNull DisconnectEventInput input) {
        listeners.forEach(listener -> each(() -> listener.onDisconnect(input)));
    }

    private static void each(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException bug) {
            org.slf4j.LoggerFactory.getLogger(LifecycleListeners.class).error("client lifecycle listener failed", bug);
        }
    }
}
