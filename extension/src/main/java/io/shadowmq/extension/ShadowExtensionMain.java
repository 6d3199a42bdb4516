package io.shadowmq.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.shadowmq.extension.auth.ActorResolver;
import io.shadowmq.extension.auth.AuthFailureBrake;
import io.shadowmq.extension.auth.ConnectAdmission;
import io.shadowmq.extension.auth.DeviceAuthenticator;
import io.shadowmq.extension.auth.HouseholdAuthorizer;
import io.shadowmq.extension.auth.StoreCredentialVerifier;
import io.shadowmq.extension.auth.StoreOwnerLookup;
import io.shadowmq.extension.auth.TopicPolicy;
import io.shadowmq.extension.config.ConfigParser;
import io.shadowmq.extension.config.EnvSubstitution;
import io.shadowmq.extension.config.ExtensionConfig;
import io.shadowmq.extension.config.InvalidConfigException;
import io.shadowmq.extension.config.RedisConnection;
import io.shadowmq.extension.presence.BrokerNode;
import io.shadowmq.extension.presence.PresenceListener;
import io.shadowmq.extension.presence.PresenceSweep;
import io.shadowmq.extension.shadow.DeltaDispatcher;
import io.shadowmq.extension.shadow.DeltaSubscriptionInterceptor;
import io.shadowmq.extension.shadow.HiveMqResponseSink;
import io.shadowmq.extension.shadow.ShadowMetrics;
import io.shadowmq.extension.shadow.ShadowRequestHandler;
import io.shadowmq.extension.shadow.ShadowTopicInterceptor;
import io.shadowmq.extension.shadow.UpdateRateLimiter;
import io.shadowmq.model.schema.ModelLoadException;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.feed.FeedSubscription;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires the extension together when HiveMQ starts it, and nothing else: reads {@code conf/config.xml}, connects the
 * shadow store (lazily: Redis may come up later; until then CONNECTs are refused, fail closed), registers the
 * authenticator, the subscription authorizer, the interceptors that serve the shadow topics and the presence
 * listener, and follows the change feed for deltas and credential changes. An unusable configuration stops the start
 * with a one-line reason; HiveMQ then runs without the extension and refuses every CONNECT (CE's default).
 * <pre>{@code
 * // HiveMQ finds this class through META-INF/services/com.hivemq.extension.sdk.api.ExtensionMain
 * // and calls extensionStart(...) on one of its own threads while the broker starts.
 * }</pre>
 */
public final class ShadowExtensionMain implements ExtensionMain {

    private static final Logger log = LoggerFactory.getLogger(ShadowExtensionMain.class);

    private @Nullable ShadowStore store;
    private @Nullable FeedSubscription feed;
    private @Nullable PresenceSweep presenceSweep;

    @Override
    public void extensionStart(@NotNull ExtensionStartInput input, @NotNull ExtensionStartOutput output) {
        Path home = input.getExtensionInformation().getExtensionHomeFolder().toPath();
        ExtensionConfig config;
        ThingModels models;
        try {
            config = new ConfigParser(EnvSubstitution.ofSystemEnvironment()).parse(home);
            models = config.thingModelsDir().map(ThingModels::loadDirectory).orElseGet(ThingModels::bundled);
        } catch (InvalidConfigException | ModelLoadException e) {
            // HiveMQ logs a prevented start only at INFO; this is the line an operator must see.
            log.error("ShadowMQ extension not started: {}", e.getMessage());
            output.preventExtensionStartup(e.getMessage());
            return;
        }

        Path dataFolder = input.getServerInformation().getDataFolder().toPath();
        BrokerNode node;
        try {
            node = BrokerNode.load(dataFolder);
        } catch (IOException | IllegalArgumentException e) {
            String reason = "cannot read or write the broker node id in " + dataFolder.resolve(BrokerNode.FILE_NAME)
                    + " (presence needs it to survive restarts; the broker's data folder must be writable): " + e;
            log.error("ShadowMQ extension not started: {}", reason);
            output.preventExtensionStartup(reason);
            return;
        }

        store = ShadowStore.connect(storeConfig(config), models);
        Clock clock = Clock.systemUTC();
        Duration timeout = config.storeTimeout();
        ShadowMetrics metrics = new ShadowMetrics(Services.metricRegistry());

        StoreOwnerLookup owners = new StoreOwnerLookup(store.things(), config.credentialCache().ttl(),
                config.credentialCache().maxSize());
        ConnectAdmission admission = ConnectAdmission.of(config.connectQueue());
        StoreCredentialVerifier verifier = new StoreCredentialVerifier(store.things(), owners,
                config.credentialCache().ttl(), config.credentialCache().maxSize(), admission);
        ActorResolver actors = new ActorResolver(owners);
        TopicPolicy policy = new TopicPolicy(owners);
        // The wait for a turn plus a little longer than the store's own bound, so a store failure is answered as such,
        // not as a timeout.
        DeviceAuthenticator authenticator = new DeviceAuthenticator(verifier,
                admission.maxWait().plus(timeout).plusMillis(500),
                new AuthFailureBrake(config.authFailureLimit()), metrics::authFailure, DeviceAuthenticator.PUBLISH_ANYWHERE);
        HouseholdAuthorizer authorizer = new HouseholdAuthorizer(policy, actors, timeout);

        HiveMqResponseSink responses = new HiveMqResponseSink(Services.publishService());
        ShadowRequestHandler handler = new ShadowRequestHandler(store.shadows(), responses,
                new UpdateRateLimiter(config.rateLimit().updatesPerSecond(), config.rateLimit().burst()), metrics, clock);
        ShadowTopicInterceptor requests = new ShadowTopicInterceptor(handler, policy, actors, metrics,
                timeout.multipliedBy(3));
        DeltaDispatcher deltas = new DeltaDispatcher(store.shadows(), responses, metrics, clock, thing -> {
            verifier.forget(thing);
            owners.forget(thing);
            disconnect(thing);
        });
        DeltaSubscriptionInterceptor deltaSubscriptions = new DeltaSubscriptionInterceptor(deltas);

        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        Services.initializerRegistry().setClientInitializer((initializerInput, clientContext) -> {
            clientContext.addPublishInboundInterceptor(requests);
            clientContext.addSubscribeInboundInterceptor(deltaSubscriptions);
        });
        PresenceListener presence = new PresenceListener(store.presence(), actors, clock, node);
        Services.eventRegistry().setClientLifecycleEventListener(providerInput -> presence);
        presenceSweep = new PresenceSweep(store.presence(), owners, node, clock,
                thing -> Services.clientService().isClientConnected(thing.value()));
        presenceSweep.start();
        feed = store.follow(deltas);

        log.info("ShadowMQ extension {} started: redis {}, store timeout {} ms, {}, thing models {} ({}), node {}",
                input.getExtensionInformation().getVersion(), config.redis(), timeout.toMillis(),
                config.rateLimit(), config.thingModelsDir().map(Path::toString).orElse("bundled"),
                String.join(", ", models.types()), node.id() + " run " + node.run());
    }

    @Override
    public void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {
        if (feed != null) {
            feed.close();
        }
        if (presenceSweep != null) {
            presenceSweep.close();
        }
        if (store != null) {
            store.close();
        }
        log.info("ShadowMQ extension stopped");
    }

    private static void disconnect(ThingId thing) {
        Services.clientService().disconnectClient(thing.value()).whenComplete((wasConnected, error) -> {
            if (Boolean.TRUE.equals(wasConnected)) {
                log.info("thing {} disconnected: its credentials changed", thing);
            }
        });
    }

    private static StoreConfig storeConfig(ExtensionConfig config) {
        StoreConfig store = config.redis() instanceof RedisConnection.RedissonConfigFile file
                ? StoreConfig.ofRedissonFile(file.path(), config.pepper().bytes())
                : StoreConfig.of(((RedisConnection.Address) config.redis()).uri().toString(), config.pepper().bytes());
        return store.withTimeout(config.storeTimeout()).withLimits(new ShadowLimits(config.maxPayloadBytes(),
                config.maxStateBytes(), ShadowLimits.DEFAULT.maxStateDepth()));
    }
}
