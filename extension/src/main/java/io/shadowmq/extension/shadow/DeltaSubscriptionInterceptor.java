package io.shadowmq.extension.shadow;

import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.Subscription;
import io.shadowmq.model.thing.ThingId;
import org.jetbrains.annotations.NotNull;

/** Notices a thing subscribing to its own delta topic, so {@link DeltaDispatcher} can push a pending delta. */
public final class DeltaSubscriptionInterceptor implements SubscribeInboundInterceptor {

    private final DeltaDispatcher dispatcher;

    public DeltaSubscriptionInterceptor(@NotNull DeltaDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void onInboundSubscribe(@NotNull SubscribeInboundInput input, @NotNull SubscribeInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        if (!ThingId.isValid(clientId)) {
            return;
        }
        ThingId thing = ThingId.of(clientId);
        for (Subscription subscription : input.getSubscribePacket().getSubscriptions()) {
            dispatcher.onSubscribed(thing, subscription.getTopicFilter());
        }
    }
}
