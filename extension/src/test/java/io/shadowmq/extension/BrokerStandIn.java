package io.shadowmq.extension;

import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.events.EventRegistry;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import com.hivemq.extension.sdk.api.services.intializer.InitializerRegistry;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * HiveMQ's registries as a unit test of {@link ShadowExtension} stands them in, where no broker runs: each call is
 * recorded ({@code "SecurityRegistry.setAuthenticatorProvider"}) and answered with nothing, and the one named call
 * fails as a broker refusing it would. The metric registry is a real one. Tests that need the broker's behaviour use
 * a real embedded HiveMQ instead.
 * <pre>{@code
 * BrokerStandIn broker = BrokerStandIn.failing("setClientLifecycleEventListener");
 * ShadowExtension.start(installation, broker.services(), clock);   // throws StartFailure
 * }</pre>
 */
final class BrokerStandIn {

    private final @Nullable String failingMethod;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final MetricRegistry metrics = new MetricRegistry();

    private BrokerStandIn(@Nullable String failingMethod) {
        this.failingMethod = failingMethod;
    }

    static @NotNull BrokerStandIn accepting() {
        return new BrokerStandIn(null);
    }

    /** A stand-in whose method {@code method} (of any of the services) throws. */
    static @NotNull BrokerStandIn failing(@NotNull String method) {
        return new BrokerStandIn(method);
    }

    @NotNull
    BrokerServices services() {
        return new BrokerServices(
                recording(SecurityRegistry.class),
                recording(InitializerRegistry.class),
                recording(EventRegistry.class),
                recording(ClientService.class),
                recording(SubscriptionStore.class),
                recording(PublishService.class),
                metrics);
    }

    /** The calls so far, oldest first. */
    @NotNull
    List<String> calls() {
        return List.copyOf(calls);
    }

    @NotNull
    MetricRegistry metrics() {
        return metrics;
    }

    private <T> T recording(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> type.getSimpleName() + " stand-in";
                };
            }
            calls.add(type.getSimpleName() + "." + method.getName());
            if (method.getName().equals(failingMethod)) {
                throw new IllegalStateException("the broker refused " + method.getName());
            }
            return null;
        }));
    }
}
