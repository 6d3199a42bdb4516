package io.shadowmq.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.Services;
import io.shadowmq.extension.auth.ActorResolver;
import io.shadowmq.extension.auth.AuthFailureBrake;
import io.shadowmq.extension.auth.ConnectAdmission;
import io.shadowmq.extension.auth.DeviceAuthenticator;
import io.shadowmq.extension.auth.HouseholdAuthorizer;
import io.shadowmq.extension.auth.NoRetainedReplay;
import io.shadowmq.extension.auth.OutOfServiceAuthenticator;
import io.shadowmq.extension.auth.SettingsCheckedVerifier;
import io.shadowmq.extension.auth.StoreCredentialVerifier;
import io.shadowmq.extension.auth.StoreOwnerLookup;
import io.shadowmq.extension.auth.TopicPolicy;
import io.shadowmq.extension.auth.WillPolicy;
import io.shadowmq.extension.config.ConfigParser;
import io.shadowmq.extension.config.EnvSubstitution;
import io.shadowmq.extension.config.ExtensionConfig;
import io.shadowmq.extension.config.InvalidConfigException;
import io.shadowmq.extension.config.RedisConnection;
import io.shadowmq.extension.presence.BrokerNode;
import io.shadowmq.extension.presence.LeaseKeeper;
import io.shadowmq.extension.presence.PresenceListener;
import io.shadowmq.extension.presence.SessionTakeover;
import io.shadowmq.extension.presence.PresenceSweep;
import io.shadowmq.extension.routing.FeedMetrics;
import io.shadowmq.extension.routing.LifecycleListeners;
import io.shadowmq.extension.routing.ThingInterest;
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
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.feed.FeedSubscription;
import io.shadowmq.store.feed.NodeFeed;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import java.util.stream.Collectors;
import io.shadowmq.store.platform.SettingsAgreement;
import io.shadowmq.store.platform.SettingsVerdict;
import io.shadowmq.store.platform.SharedSetting;
import io.shadowmq.store.presence.LeaseReaper;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Wires the extension together when HiveMQ starts it, and nothing else: reads {@code conf/config.xml}, connects the
 * shadow store (lazily: Redis may come up later; until then CONNECTs are refused, fail closed), registers the
 * authenticator, the subscription authorizer, the interceptors that serve the shadow topics and the presence
 * listener, and follows this node's share of the change feed (the things it watches, credential changes) for
 * deltas, documents and disconnects. An unusable configuration is logged as
 * one ERROR line naming the setting, and the extension stays loaded but out of service: it refuses every CONNECT
 * ({@link OutOfServiceAuthenticator}) until the configuration is fixed and HiveMQ restarted. So is a pepper or a
 * feed partition count that differs from the rest of the installation's, found at the first successful contact with
 * Redis ({@link SettingsAgreement}); until then no credential is checked and nothing is written to Redis.
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
    private @Nullable LeaseKeeper leaseKeeper;
    private @Nullable SettingsAgreement settings;

    @Override
    public void extensionStart(@NotNull ExtensionStartInput input, @NotNull ExtensionStartOutput output) {
        Clock clock = Clock.systemUTC();
        try {
            start(input, clock);
        } catch (InvalidConfigException | ModelLoadException e) {
            outOfService(e.getMessage(), clock);
        } catch (RuntimeException e) {
            log.error("ShadowMQ extension failed to start", e);
            outOfService("the start failed: " + e, clock);
        }
    }

    /**
     * Not {@code output.preventExtensionStartup}: HiveMQ would write a DISABLED file into the extension folder and
     * keep running without ShadowMQ after the operator fixed the configuration and restarted. Instead the extension
     * stays loaded, refuses every CONNECT, and says so - here once, and again on refused CONNECTs.
     */
    private synchronized void outOfService(@NotNull String problem, @NotNull Clock clock) {
        closeStore();
        log.error("ShadowMQ extension out of service: {}. Fix this and restart HiveMQ; until then every CONNECT is "
                + "refused with 0x88 server unavailable (MQTT 3.1.1: 3).", problem);
        OutOfServiceAuthenticator refuseAll = new OutOfServiceAuthenticator(problem, clock);
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> refuseAll);
    }

    private void start(@NotNull ExtensionStartInput input, @NotNull Clock clock)
            throws InvalidConfigException {
        Path home = input.getExtensionInformation().getExtensionHomeFolder().toPath();
        ExtensionConfig config = new ConfigParser(EnvSubstitution.ofSystemEnvironment()).parse(home);
        ThingModels models = config.thingModelsDir().map(ThingModels::loadDirectory).orElseGet(ThingModels::bundled);
        Path dataFolder = input.getServerInformation().getDataFolder().toPath();
        BrokerNode node;
        try {
            node = BrokerNode.load(dataFolder);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException("cannot read or write the broker node id in "
                    + dataFolder.resolve(BrokerNode.FILE_NAME) + " (presence needs it to survive restarts; the "
                    + "broker's data folder must be writable): " + e);
        }

        ShadowStore store = ShadowStore.connect(storeConfig(config), models);
        this.store = store;
        SettingsAgreement settings = SettingsAgreement.start(store.platform()::check);
        this.settings = settings;
        Duration timeout = config.storeTimeout();
        ShadowMetrics metrics = new ShadowMetrics(Services.metricRegistry());

        StoreOwnerLookup owners = new StoreOwnerLookup(store.things(), config.credentialCache().ttl(),
                config.credentialCache().maxSize());
        ConnectAdmission admission = ConnectAdmission.of(config.connectQueue());
        StoreCredentialVerifier verifier = new StoreCredentialVerifier(store.things(), owners,
                config.credentialCache().ttl(), config.credentialCache().maxSize(), admission);
        SettingsCheckedVerifier checkedVerifier = new SettingsCheckedVerifier(settings, verifier);
        ActorResolver actors = new ActorResolver(owners);
        TopicPolicy policy = new TopicPolicy(owners);
        // The wait for a turn plus a little longer than the store's own bound, so a store failure is answered as such,
        // not as a timeout.
        DeviceAuthenticator authenticator = new DeviceAuthenticator(checkedVerifier,
                admission.maxWait().plus(timeout).plusMillis(500),
                new AuthFailureBrake(config.authFailureLimit()), metrics::authFailure, DeviceAuthenticator.PUBLISH_ANYWHERE);
        NodeFeed nodeFeed = store.nodeFeed(node.id());
        new FeedMetrics(Services.metricRegistry(), nodeFeed).register();
        ThingInterest interest = new ThingInterest(nodeFeed, Services.clientService()::isClientConnected,
                clientId -> Services.subscriptionStore().getSubscriptions(clientId).thenApply(subscriptions ->
                        subscriptions.stream().map(TopicSubscription::getTopicFilter).collect(Collectors.toSet())));
        HouseholdAuthorizer authorizer = new HouseholdAuthorizer(policy, actors, timeout, interest::subscribed);

        HiveMqResponseSink responses = new HiveMqResponseSink(Services.publishService());
        ShadowRequestHandler handler = new ShadowRequestHandler(store.shadows(), responses,
                new UpdateRateLimiter(config.rateLimit().updatesPerSecond(), config.rateLimit().burst()), metrics, clock);
        ShadowTopicInterceptor requests = new ShadowTopicInterceptor(handler, policy, actors, metrics,
                timeout.multipliedBy(3));
        SessionTakeover takeover = new SessionTakeover(store.presence(), ShadowExtensionMain::disconnectTakenOver);
        DeltaDispatcher deltas = new DeltaDispatcher(store.shadows(), responses, metrics, clock, thing -> {
            verifier.forget(thing);
            owners.forget(thing);
            disconnect(thing);
        }, takeover::onPresenceChanged, interest::own);
        DeltaSubscriptionInterceptor deltaSubscriptions = new DeltaSubscriptionInterceptor(deltas);
        NoRetainedReplay noRetainedReplay = new NoRetainedReplay();
        // A Will would bypass the publish interceptor: refused before the credentials are even checked.
        WillPolicy connects = new WillPolicy(authenticator);

        Services.securityRegistry().setAuthenticatorProvider(providerInput -> connects);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        Services.initializerRegistry().setClientInitializer((initializerInput, clientContext) -> {
            clientContext.addPublishInboundInterceptor(requests);
            clientContext.addSubscribeInboundInterceptor(deltaSubscriptions);
            clientContext.addSubscribeInboundInterceptor(noRetainedReplay);
            clientContext.addUnsubscribeInboundInterceptor((unsubscribeInput, unsubscribeOutput) ->
                    interest.unsubscribed(unsubscribeInput.getClientInformation().getClientId()));
        });
        PresenceListener presence = new PresenceListener(store.presence(), actors, clock, node, takeover);
        ClientLifecycleEventListener lifecycle = new LifecycleListeners(presence, interest);
        Services.eventRegistry().setClientLifecycleEventListener(providerInput -> lifecycle);
        PresenceSweep sweep = new PresenceSweep(store.presence(), owners, node, clock,
                thing -> Services.clientService().isClientConnected(thing.value()));
        Supplier<LeaseKeeper> lease = () -> new LeaseKeeper(store.leases(), new LeaseReaper(store.leases(),
                store.presence(), store.things(), clock, config.presenceLease().reapEvery(), node.runId()), node,
                config.presenceLease(), clock, presence::reassertOpenSessions);
        // All of these write to Redis or read the feed by partition: only once the shared settings agree.
        settings.verdict().thenAccept(verdict -> onVerdict(verdict, store, sweep, lease, deltas, nodeFeed, clock));

        log.info("ShadowMQ extension {} started: redis {}, store timeout {} ms, {}, thing models {} ({}), node {}, "
                        + "presence lease {} s renewed every {} s", input.getExtensionInformation().getVersion(),
                config.redis(), timeout.toMillis(), config.rateLimit(),
                config.thingModelsDir().map(Path::toString).orElse("bundled"), String.join(", ", models.types()),
                node.id() + " run " + node.run(), config.presenceLease().ttl().toSeconds(),
                config.presenceLease().renewEvery().toSeconds());
    }

    private synchronized void onVerdict(@NotNull SettingsVerdict verdict, @NotNull ShadowStore checked,
                                        @NotNull PresenceSweep sweep, @NotNull Supplier<LeaseKeeper> lease,
                                        @NotNull DeltaDispatcher deltas, @NotNull NodeFeed nodeFeed,
                                        @NotNull Clock clock) {
        if (store != checked) {
            return; // stopped meanwhile
        }
        if (verdict instanceof SettingsVerdict.Disagreed disagreed) {
            outOfService(settingName(disagreed.setting()) + " " + disagreed.problem(), clock);
            return;
        }
        presenceSweep = sweep;
        sweep.start();
        leaseKeeper = lease.get();
        leaseKeeper.start();
        feed = checked.follow(nodeFeed, deltas);
        log.info("ShadowMQ extension serving: its pepper and feed partitions agree with the platform record in Redis");
    }

    @Override
    public void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {
        closeStore();
        log.info("ShadowMQ extension stopped");
    }

    private synchronized void closeStore() {
        if (leaseKeeper != null) {
            leaseKeeper.close(); // first: it marks this run's things disconnected through the store
            leaseKeeper = null;
        }
        if (settings != null) {
            settings.close();
            settings = null;
        }
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (presenceSweep != null) {
            presenceSweep.close();
            presenceSweep = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /** The setting as this file names it, and where its value usually comes from. */
    private static String settingName(SharedSetting setting) {
        return switch (setting) {
            case PEPPER -> "<shadowmq>/<pepper> (usually ${SHADOWMQ_PEPPER})";
            case FEED_PARTITIONS -> "<shadowmq>/<feed>/<partitions> (usually ${SHADOWMQ_FEED_PARTITIONS})";
            case REDIS_TOPOLOGY -> "<shadowmq>/<redis>/<address>";
        };
    }

    private static void disconnect(ThingId thing) {
        Services.clientService().disconnectClient(thing.value()).whenComplete((wasConnected, error) -> {
            if (Boolean.TRUE.equals(wasConnected)) {
                log.info("thing {} disconnected: its credentials changed", thing);
            }
        });
    }

    /** As HiveMQ ends the older connection of a client id within one broker, with the same reason code. */
    private static void disconnectTakenOver(ThingId thing) {
        Services.clientService().disconnectClient(thing.value(), false, DisconnectReasonCode.SESSION_TAKEN_OVER,
                "another connection of this thing took over (on another broker)");
    }

    private static StoreConfig storeConfig(ExtensionConfig config) {
        Pepper pepper = config.pepper();
        StoreConfig store;
        if (config.redis() instanceof RedisConnection.RedissonConfigFile file) {
            store = StoreConfig.ofRedissonFile(file.path(), pepper);
        } else if (config.redis() instanceof RedisConnection.ClusterNodes cluster) {
            store = StoreConfig.of(cluster.uris(), pepper);
        } else {
            store = StoreConfig.of(((RedisConnection.Address) config.redis()).uri().toString(), pepper);
        }
        return store.withTimeout(config.storeTimeout())
                .withReplicaAcks(config.replicaAcks())
                .withFeed(config.feed().partitions(), config.feed().maxLength())
                .withLimits(new ShadowLimits(config.maxPayloadBytes(),
                config.maxStateBytes(), ShadowLimits.DEFAULT.maxStateDepth()));
    }
}
