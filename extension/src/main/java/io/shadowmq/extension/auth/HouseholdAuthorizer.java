package io.shadowmq.extension.auth;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.shadowmq.store.Futures;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Decides every SUBSCRIBE by {@link TopicPolicy}: a thing's own topics at once, another thing's topics after an
 * (almost always cached) owner lookup. Refused: SUBACK 0x87 for MQTT 5, 0x80 for 3.1.1 (HiveMQ maps it). Publishes
 * are decided by {@link ActorResolver} users in the publish interceptor, see {@code ShadowTopicInterceptor}.
 * A granted subscription is answered once {@code onGranted} completes: the change feed routes the thing's changes
 * to this broker from then on, so the subscriber gets the next change (at once when they already are).
 */
public final class HouseholdAuthorizer implements SubscriptionAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(HouseholdAuthorizer.class);

    private final TopicPolicy policy;
    private final ActorResolver actors;
    private final Duration timeout;
    private final BiFunction<String, String, CompletionStage<?>> onGranted;

    /**
     * @param onGranted given the client id and the filter of a granted subscription; the SUBACK waits for it (a
     *                  failure still grants: the subscription stands, only its routing may lag)
     */
    public HouseholdAuthorizer(
            @NotNull TopicPolicy policy,
            @NotNull ActorResolver actors,
            @NotNull Duration timeout,
            @NotNull BiFunction<String, String, CompletionStage<?>> onGranted) {
        this.policy = policy;
        this.actors = actors;
        this.timeout = timeout;
        this.onGranted = onGranted;
    }

    @Override
    public void authorizeSubscribe(
            @NotNull SubscriptionAuthorizerInput input, @NotNull SubscriptionAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String filter = input.getSubscription().getTopicFilter();
        CompletableFuture<TopicAccess> access = actors.access(clientId, actor -> policy.maySubscribe(actor, filter))
                .thenCompose(decision -> decision instanceof TopicAccess.Refused
                        ? CompletableFuture.completedFuture(decision)
                        : onGranted
                                .apply(clientId, filter)
                                .toCompletableFuture()
                                .thenApply(Object.class::cast)
                                // Within HiveMQ's own bound: a subscription is never refused for routing that lags.
                                .completeOnTimeout(null, timeout.toMillis() / 2, TimeUnit.MILLISECONDS)
                                .handle((routed, error) -> decision));
        if (access.isDone()) {
            decide(output, clientId, filter, access.join());
            return;
        }
        Async<SubscriptionAuthorizerOutput> async = output.async(timeout, TimeoutFallback.FAILURE);
        Futures.whenComplete(access, log, "subscription authorization", (decision, error) -> {
            try {
                decide(output, clientId, filter, decision);
            } finally {
                async.resume();
            }
        });
    }

    private static void decide(
            SubscriptionAuthorizerOutput output, String clientId, String filter, TopicAccess access) {
        if (access instanceof TopicAccess.Refused refused) {
            log.debug("SUBSCRIBE {} by {} refused: {}", filter, clientId, refused.reason());
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, refused.reason());
        } else {
            output.authorizeSuccessfully();
        }
    }
}
