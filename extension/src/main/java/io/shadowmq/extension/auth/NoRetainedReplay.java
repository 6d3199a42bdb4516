package io.shadowmq.extension.auth;

import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.ModifiableSubscription;
import com.hivemq.extension.sdk.api.packets.subscribe.RetainHandling;
import org.jetbrains.annotations.NotNull;

/**
 * Sets every subscription to "do not send retained messages" (MQTT 5 retain handling 2; HiveMQ honours it for MQTT
 * 3.1.1 subscriptions too). ShadowMQ never publishes a retained message and no client message is ever stored as one
 * (requests are consumed, everything else is refused, Wills are refused), so nothing is lost; what this guards
 * against is a retained message already in the broker's store - put there by an earlier release that let Wills
 * through, on a broker with file persistence - being replayed onto a shadow topic on every subscribe. A pending delta
 * is pushed by ShadowMQ itself when a device subscribes, from the shadow in Redis.
 */
public final class NoRetainedReplay implements SubscribeInboundInterceptor {

    @Override
    public void onInboundSubscribe(@NotNull SubscribeInboundInput input, @NotNull SubscribeInboundOutput output) {
        for (ModifiableSubscription subscription : output.getSubscribePacket().getSubscriptions()) {
            subscription.setRetainHandling(RetainHandling.DO_NOT_SEND);
        }
    }
}
