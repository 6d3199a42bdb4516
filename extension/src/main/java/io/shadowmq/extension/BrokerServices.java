package io.shadowmq.extension;

import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.events.EventRegistry;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import com.hivemq.extension.sdk.api.services.intializer.InitializerRegistry;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import org.jetbrains.annotations.NotNull;

/**
 * The parts of HiveMQ the extension registers with and calls: passed in rather than read from {@link Services}
 * wherever they are needed, so that {@link ShadowExtension} is built from what it is given (and can be built outside
 * a running broker, in a test).
 * <pre>{@code
 * ShadowExtension.start(installation, BrokerServices.ofHiveMq(), Clock.systemUTC());
 * }</pre>
 *
 * @param security      where the authenticator and the authorizer are registered
 * @param initializers  where the client initializer (the interceptors) is registered
 * @param events        where the client lifecycle listener is registered
 * @param clients       connected clients: asked and disconnected
 * @param subscriptions subscriptions of a client
 * @param publishing    replies and deltas to devices
 * @param metrics       HiveMQ's metric registry
 */
public record BrokerServices(
        @NotNull SecurityRegistry security,
        @NotNull InitializerRegistry initializers,
        @NotNull EventRegistry events,
        @NotNull ClientService clients,
        @NotNull SubscriptionStore subscriptions,
        @NotNull PublishService publishing,
        @NotNull MetricRegistry metrics) {

    /** The services of the broker that runs the extension (only there: {@link Services} is HiveMQ's). */
    public static @NotNull BrokerServices ofHiveMq() {
        return new BrokerServices(
                Services.securityRegistry(),
                Services.initializerRegistry(),
                Services.eventRegistry(),
                Services.clientService(),
                Services.subscriptionStore(),
                Services.publishService(),
                Services.metricRegistry());
    }
}
