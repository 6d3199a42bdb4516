package io.shadowmq.extension.shadow;

import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.Subscription;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Notices a thing subscribing, so what waits for it is pushed once the subscription is active: a pending delta
 * ({@link DeltaDispatcher}), its commands ({@code CommandDispatcher}). Each listener gets the thing and every filter
 * of the SUBSCRIBE and decides itself whether the filter covers its topic.
 */
public final class OwnSubscriptionInterceptor implements SubscribeInboundInterceptor {

    private final List<BiConsumer<ThingId, String>> listeners;

    @SafeVarargs
    public OwnSubscriptionInterceptor(@NotNull BiConsumer<ThingId, String>... listeners) {
        this.listeners = List.of(listeners);
    }

    @Override
    public void onInboundSubscribe(@NotNull SubscribeInboundInput input, @NotNull SubscribeInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        if (!ThingId.isValid(clientId)) {
            return;
        }
        ThingId thing = ThingId.of(clientId);
        for (Subscription subscription : input.getSubscribePacket().getSubscriptions()) {
            listeners.forEach(listener -> listener.accept(thing, subscription.getTopicFilter()));
        }
    }
}
