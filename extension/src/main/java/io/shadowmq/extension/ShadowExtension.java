package io.shadowmq.extension;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.shadowmq.extension.auth.ActorResolver;
import io.shadowmq.extension.auth.AuthFailureBrake;
import io.shadowmq.extension.auth.ConnectAdmission;
import io.shadowmq.extension.auth.DeviceAuthenticator;
import io.shadowmq.extension.auth.HouseholdAuthorizer;
import io.shadowmq.extension.auth.MemberAccess;
import io.shadowmq.extension.auth.NoRetainedReplay;
import io.shadowmq.extension.auth.OutOfServiceAuthenticator;
import io.shadowmq.extension.auth.SettingsCheckedVerifier;
import io.shadowmq.extension.auth.StoreCredentialVerifier;
import io.shadowmq.extension.auth.StoreOwnerLookup;
import io.shadowmq.extension.auth.TopicPolicy;
import io.shadowmq.extension.auth.WillPolicy;
import io.shadowmq.extension.command.CommandAcks;
import io.shadowmq.extension.command.CommandDispatcher;
import io.shadowmq.extension.command.CommandRequestHandler;
import io.shadowmq.extension.config.ConfigParser;
import io.shadowmq.extension.config.EnvSubstitution;
import io.shadowmq.extension.config.ExtensionConfig;
import io.shadowmq.extension.config.InvalidConfigException;
import io.shadowmq.extension.presence.BrokerNode;
import io.shadowmq.extension.presence.LeaseKeeper;
import io.shadowmq.extension.presence.PresenceListener;
import io.shadowmq.extension.presence.PresenceSweep;
import io.shadowmq.extension.presence.SessionTakeover;
import io.shadowmq.extension.routing.FeedMetrics;
import io.shadowmq.extension.routing.LifecycleListeners;
import io.shadowmq.extension.routing.ThingInterest;
import io.shadowmq.extension.shadow.DeltaDispatcher;
import io.shadowmq.extension.shadow.HiveMqResponseSink;
import io.shadowmq.extension.shadow.OwnSubscriptionInterceptor;
import io.shadowmq.extension.shadow.ShadowMetrics;
import io.shadowmq.extension.shadow.ShadowRequestHandler;
import io.shadowmq.extension.shadow.ShadowTopicInterceptor;
import io.shadowmq.extension.shadow.SubscriberFilter;
import io.shadowmq.extension.shadow.SummaryRequestHandler;
import io.shadowmq.extension.shadow.UpdateRateLimiter;
import io.shadowmq.model.schema.ModelLoadException;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.Futures;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.feed.FeedListener;
import io.shadowmq.store.feed.NodeFeed;
import io.shadowmq.store.platform.SettingsAgreement;
import io.shadowmq.store.platform.SettingsVerdict;
import io.shadowmq.store.platform.SharedSetting;
import io.shadowmq.store.presence.LeaseReaper;
import io.shadowmq.store.summary.ThingSummaries;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The running extension: everything {@link ShadowExtensionMain} starts, built by {@link #start} and stopped by
 * {@link #close()}, last-started first. It reads {@code conf/config.xml}, connects the shadow store (lazily: Redis
 * may come up later; until then CONNECTs are refused with 0x88, fail closed), checks the settings shared with the
 * rest of the installation ({@link SettingsAgreement}), registers the authenticator, the subscription authorizer,
 * the interceptors that serve the shadow and command topics and the presence listener, and - once the shared
 * settings agree - follows this node's share of the change feed (the things it watches, credential changes) for
 * deltas, documents, commands and disconnects, runs the sweeper of due commands and desired values, keeps this run's
 * presence lease and ends the sessions earlier runs left open.
 *
 * <p>What a failure does depends on whether the operator can fix it in a file:
 * <ul>
 *   <li><b>Out of service</b> - an unusable configuration: {@code conf/config.xml} (an unknown element, a value out
 *   of range, a missing environment variable), the thing models folder, the broker node id in the data folder, the
 *   Redisson YAML file named by {@code <redis>/<redisson-config>} (malformed YAML, unknown property, an address
 *   Redisson refuses), and - found at the first contact with Redis - a pepper or feed partition count that differs
 *   from the rest of the installation's. One ERROR line names the setting; the extension stays loaded with nothing
 *   else running and refuses every CONNECT with 0x88 server unavailable ({@link OutOfServiceAuthenticator}) until the
 *   configuration is fixed and HiveMQ restarted. Not {@code preventExtensionStartup}: HiveMQ would write a
 *   {@code DISABLED} file that keeps ShadowMQ off after the fix, and a broker without it refuses CONNECTs with 0x87
 *   not authorized, which devices may take as final.</li>
 *   <li><b>Start prevented</b> - anything else that fails while starting (a defect, a damaged or incompatible jar, a
 *   registration HiveMQ refuses): {@link #start} stops what it had started and throws {@link StartFailure}, whose
 *   reason names the step that failed and what was stopped again; the main passes it to
 *   {@code preventExtensionStartup}.</li>
 *   <li><b>Not a failure</b> - Redis unreachable at start. The extension starts, refuses CONNECTs with 0x88 (never
 *   0x86) and writes nothing to Redis until the shared settings could be checked, and serves once they agree,
 *   without a restart.</li>
 * </ul>
 * A failure while starting to serve after the settings agreed (on the settings check's thread, after {@link #start}
 * returned) can no longer prevent the start: it stops everything and goes out of service.
 * <pre>{@code
 * ShadowExtension running = ShadowExtension.start(installation, BrokerServices.ofHiveMq(), Clock.systemUTC());
 * ...
 * running.close();   // at extension stop
 * }</pre>
 */
public final class ShadowExtension implements AutoCloseable {

    /** Under the main's name: the logger operators' log configurations know for the extension's own lines. */
    private static final Logger log = LoggerFactory.getLogger(ShadowExtensionMain.class);

    private static final String REDISSON_CONFIG = "<shadowmq>/<redis>/<redisson-config>";

    /**
     * Where HiveMQ installed and runs the extension.
     *
     * @param home       the extension's folder (with {@code conf/config.xml})
     * @param dataFolder the broker's data folder (the broker node id is kept there)
     * @param version    the extension's version, for the log
     */
    public record Installation(
            @NotNull Path home,
            @NotNull Path dataFolder,
            @NotNull String version) {

        public Installation {
            Objects.requireNonNull(home, "home");
            Objects.requireNonNull(dataFolder, "dataFolder");
            Objects.requireNonNull(version, "version");
        }
    }

    /** The extension cannot start, and is not out of service either; what it had started is stopped again. */
    public static final class StartFailure extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient List<String> stopped;

        StartFailure(@NotNull String step, @NotNull Throwable cause, @NotNull List<String> stopped) {
            super(
                    "ShadowMQ could not start: " + step + " failed (" + cause + "); "
                            + (stopped.isEmpty()
                                    ? "nothing had been started"
                                    : "stopped again: " + String.join(", ", stopped)),
                    cause);
            this.stopped = List.copyOf(stopped);
        }

        /** What had been started before the failure and was stopped again, last-started first. */
        public @NotNull List<String> stopped() {
            return stopped;
        }
    }

    private final @NotNull BrokerServices broker;
    private final @NotNull Clock clock;
    private final StartedParts parts = new StartedParts(); // guarded by this
    private @Nullable String outOfService; // guarded by this
    private boolean closed; // guarded by this

    private ShadowExtension(@NotNull BrokerServices broker, @NotNull Clock clock) {
        this.broker = broker;
        this.clock = clock;
    }

    /**
     * Starts the extension: serving (or waiting for Redis), or out of service when its configuration is unusable.
     *
     * @throws StartFailure when anything else failed; nothing it started is left running
     */
    public static @NotNull ShadowExtension start(
            @NotNull Installation installation, @NotNull BrokerServices broker, @NotNull Clock clock)
            throws StartFailure {
        ShadowExtension extension = new ShadowExtension(broker, clock);
        synchronized (extension) {
            try {
                try {
                    extension.wire(installation);
                } catch (InvalidConfigException | ModelLoadException e) {
                    extension.goOutOfService(e.getMessage());
                }
            } catch (RuntimeException | Error e) {
                String step = extension.parts.step();
                List<String> started = extension.parts.names();
                extension.parts.close();
                extension.closed = true;
                log.error("ShadowMQ extension failed to start while {}", step, e);
                throw new StartFailure(step, e, started);
            }
        }
        return extension;
    }

    /** Why the extension is out of service, when it is. */
    public synchronized @NotNull Optional<String> outOfService() {
        return Optional.ofNullable(outOfService);
    }

    /** What runs now, last-started first (empty once closed or out of service). */
    public synchronized @NotNull List<String> running() {
        return parts.names();
    }

    /** Stops everything, last-started first: a clean stop marks this run's things disconnected before the store closes. */
    @Override
    public synchronized void close() {
        closed = true;
        parts.close();
    }

    private void wire(@NotNull Installation installation) throws InvalidConfigException {
        parts.step("reading the configuration");
        ExtensionConfig config = new ConfigParser(EnvSubstitution.ofSystemEnvironment()).parse(installation.home());
        parts.step("loading the thing models");
        ThingModels models =
                config.thingModelsDir().map(ThingModels::loadDirectory).orElseGet(ThingModels::bundled);
        parts.step("reading the broker node id");
        BrokerNode node = brokerNode(installation.dataFolder());

        parts.step("connecting the shadow store");
        ShadowStore store = parts.keep("the shadow store", connect(config, models));
        parts.step("starting the shared-settings check");
        SettingsAgreement settings =
                parts.keep("the shared-settings check", SettingsAgreement.start(store.platform()::check));

        parts.step("registering the metrics");
        ShadowMetrics metrics = new ShadowMetrics(broker.metrics());
        metrics.watchUpdates(store.shadows());
        NodeFeed nodeFeed = store.nodeFeed(node.id());
        FeedMetrics feedMetrics = new FeedMetrics(broker.metrics(), nodeFeed);
        parts.keep("the feed metrics", feedMetrics::remove);
        feedMetrics.register();

        parts.step("building the request handling");
        Duration timeout = config.storeTimeout();
        StoreOwnerLookup owners = new StoreOwnerLookup(
                store.things(),
                config.credentialCache().ttl(),
                config.credentialCache().maxSize());
        ConnectAdmission admission = ConnectAdmission.of(config.connectQueue());
        StoreCredentialVerifier verifier = new StoreCredentialVerifier(
                store.things(),
                owners,
                config.credentialCache().ttl(),
                config.credentialCache().maxSize(),
                admission);
        SettingsCheckedVerifier checkedVerifier = new SettingsCheckedVerifier(settings, verifier);
        ActorResolver actors = new ActorResolver(owners);
        TopicPolicy policy = new TopicPolicy(owners);
        // The wait for a turn plus a little longer than the store's own bound, so a store failure is answered as such,
        // not as a timeout.
        DeviceAuthenticator authenticator = new DeviceAuthenticator(
                checkedVerifier,
                admission.maxWait().plus(timeout).plusMillis(500),
                new AuthFailureBrake(config.authFailureLimit()),
                metrics::authFailure,
                DeviceAuthenticator.PUBLISH_ANYWHERE);
        Function<String, CompletionStage<Set<String>>> filtersOf = clientId -> broker.subscriptions()
                .getSubscriptions(clientId)
                .thenApply(subscriptions -> subscriptions.stream()
                        .map(TopicSubscription::getTopicFilter)
                        .collect(Collectors.toSet()));
        ThingInterest interest = new ThingInterest(nodeFeed, broker.clients()::isClientConnected, filtersOf);
        MemberAccess members = new MemberAccess(store.household(), store.audit(), owners, models, clock);
        HouseholdAuthorizer authorizer = new HouseholdAuthorizer(policy, actors, timeout, (clientId, filter) -> {
            members.recordSubscription(clientId, filter);
            return interest.subscribed(clientId, filter);
        });

        HiveMqResponseSink responses = new HiveMqResponseSink(broker.publishing());
        ShadowRequestHandler handler = new ShadowRequestHandler(
                store.shadows(),
                members,
                responses,
                new UpdateRateLimiter(
                        config.rateLimit().updatesPerSecond(),
                        config.rateLimit().burst()),
                metrics,
                clock);
        CommandRequestHandler commandRequests = new CommandRequestHandler(
                store.commands(),
                members,
                responses,
                new UpdateRateLimiter(
                        config.rateLimit().updatesPerSecond(),
                        config.rateLimit().burst(),
                        "command requests"),
                metrics,
                clock);
        SummaryRequestHandler summaries = new SummaryRequestHandler(
                new ThingSummaries(store.things(), store.shadows(), store.presence(), models, clock),
                members,
                responses,
                metrics,
                clock);
        // A request that waited half the store timeout in the broker's queue (1 s by default) is shed: long enough
        // that a busy but healthy broker (a GC pause, a burst) sheds nothing, short enough to stay out of a backlog.
        ShadowTopicInterceptor requests = new ShadowTopicInterceptor(
                handler,
                commandRequests,
                summaries,
                policy,
                actors,
                metrics,
                timeout.multipliedBy(3),
                timeout.dividedBy(2),
                clock);
        SessionTakeover takeover = new SessionTakeover(store.presence(), this::disconnectTakenOver);
        CommandAcks commandAcks = CommandAcks.recordingIn(store.commands());
        // A delivery waiting for an access that is not cached: as long as a request may wait for the store.
        SubscriberFilter readable = new SubscriberFilter(members, timeout.plusMillis(500));
        CommandDispatcher commandDelivery = new CommandDispatcher(
                store.commands(),
                responses,
                interest::own,
                broker.clients()::isClientConnected,
                filtersOf,
                commandAcks::forget);
        DeltaDispatcher deltas = new DeltaDispatcher(
                store.shadows(),
                responses,
                metrics,
                clock,
                thing -> {
                    verifier.forget(thing);
                    owners.forget(thing);
                    disconnectChanged(thing);
                },
                takeover::onPresenceChanged,
                interest::own);
        OwnSubscriptionInterceptor ownSubscriptions =
                new OwnSubscriptionInterceptor(deltas::onSubscribed, commandDelivery::onSubscribed);
        NoRetainedReplay noRetainedReplay = new NoRetainedReplay();
        // A Will would bypass the publish interceptor: refused before the credentials are even checked.
        WillPolicy connects = new WillPolicy(authenticator);
        PresenceListener presence = new PresenceListener(store.presence(), actors, clock, node, takeover);
        ClientLifecycleEventListener lifecycle = new LifecycleListeners(presence, interest, commandDelivery);
        PresenceSweep sweep = parts.keep(
                "the presence sweep",
                new PresenceSweep(
                        store.presence(),
                        owners,
                        node,
                        clock,
                        thing -> broker.clients().isClientConnected(thing.value())));
        Supplier<LeaseKeeper> lease = () -> new LeaseKeeper(
                store.leases(),
                new LeaseReaper(
                        store.leases(),
                        store.presence(),
                        store.things(),
                        clock,
                        config.presenceLease().reapEvery(),
                        node.runId()),
                node,
                config.presenceLease(),
                clock,
                presence::reassertOpenSessions);

        // Last, once everything they call is built: HiveMQ offers no way to take a registration back.
        parts.step("registering the authenticator with HiveMQ");
        broker.security().setAuthenticatorProvider(providerInput -> connects);
        parts.step("registering the authorizer with HiveMQ");
        broker.security().setAuthorizerProvider(providerInput -> authorizer);
        parts.step("registering the client initializer with HiveMQ");
        broker.initializers().setClientInitializer((initializerInput, clientContext) -> {
            clientContext.addPublishInboundInterceptor(requests);
            clientContext.addSubscribeInboundInterceptor(ownSubscriptions);
            clientContext.addPublishOutboundInterceptor(commandAcks);
            // After CommandAcks, which must see every PUBLISH (this one may prevent a delivery).
            clientContext.addPublishOutboundInterceptor(readable);
            clientContext.addPubackInboundInterceptor(commandAcks);
            clientContext.addSubscribeInboundInterceptor(noRetainedReplay);
            clientContext.addUnsubscribeInboundInterceptor(
                    (unsubscribeInput, unsubscribeOutput) -> interest.unsubscribed(
                            unsubscribeInput.getClientInformation().getClientId()));
        });
        parts.step("registering the client lifecycle listener with HiveMQ");
        broker.events().setClientLifecycleEventListener(providerInput -> lifecycle);

        // Shadow changes, credential and presence changes to the deltas; command changes to the command delivery.
        // A household's grants changed (every node hears it): the store's follow has the household guard forget them
        // before this listener runs, so a live session's next request is decided on the grants as they are now.
        FeedListener changes = event -> {
            deltas.onEvent(event);
            commandDelivery.onEvent(event);
        };
        // All of these write to Redis or read the feed by partition: only once the shared settings agree.
        parts.step("waiting for the shared-settings check");
        Futures.logFailure(
                settings.verdict().thenAccept(verdict -> onVerdict(verdict, store, sweep, lease, changes, nodeFeed)),
                log,
                "starting presence, deltas and the node feed once the shared settings agreed");

        log.info(
                "ShadowMQ extension {} started: redis {}, store timeout {} ms, {}, thing models {} ({}), node {}, "
                        + "presence lease {} s renewed every {} s",
                installation.version(),
                config.redis(),
                timeout.toMillis(),
                config.rateLimit(),
                config.thingModelsDir().map(Path::toString).orElse("bundled"),
                String.join(", ", models.types()),
                node.id() + " run " + node.run(),
                config.presenceLease().ttl().toSeconds(),
                config.presenceLease().renewEvery().toSeconds());
    }

    private synchronized void onVerdict(
            @NotNull SettingsVerdict verdict,
            @NotNull ShadowStore store,
            @NotNull PresenceSweep sweep,
            @NotNull Supplier<LeaseKeeper> lease,
            @NotNull FeedListener changes,
            @NotNull NodeFeed nodeFeed) {
        if (closed || outOfService != null) {
            return; // stopped meanwhile
        }
        try {
            if (verdict instanceof SettingsVerdict.Disagreed disagreed) {
                goOutOfService(settingName(disagreed.setting()) + " " + disagreed.problem());
                return;
            }
            parts.step("starting the presence sweep");
            sweep.start();
            parts.step("starting the presence lease");
            parts.keep("the presence lease", lease.get()).start();
            parts.step("starting the due sweeper (desired values and commands expire with nobody connected)");
            store.startSweeper();
            parts.step("following the change feed");
            parts.keep("the change feed follow", store.follow(nodeFeed, changes));
        } catch (RuntimeException | Error e) {
            log.error("ShadowMQ extension failed to start serving while {}", parts.step(), e);
            goOutOfService("starting to serve failed while " + parts.step() + ": " + e);
            return;
        }
        log.info("ShadowMQ extension serving: its pepper and feed partitions agree with the platform record in Redis");
    }

    /** Stops everything and refuses every CONNECT with 0x88 from now on, saying why here once and on refused ones. */
    private void goOutOfService(@NotNull String problem) {
        parts.close();
        parts.step("registering the out-of-service authenticator with HiveMQ");
        log.error(
                "ShadowMQ extension out of service: {}. Fix this and restart HiveMQ; until then every CONNECT is "
                        + "refused with 0x88 server unavailable (MQTT 3.1.1: 3).",
                problem);
        OutOfServiceAuthenticator refuseAll =
                new OutOfServiceAuthenticator(problem, clock, new ShadowMetrics(broker.metrics())::authFailure);
        broker.security().setAuthenticatorProvider(providerInput -> refuseAll);
        outOfService = problem;
    }

    private static @NotNull BrokerNode brokerNode(@NotNull Path dataFolder) throws InvalidConfigException {
        try {
            return BrokerNode.load(dataFolder);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException("cannot read or write the broker node id in "
                    + dataFolder.resolve(BrokerNode.FILE_NAME) + " (presence needs it to survive restarts; the "
                    + "broker's data folder must be writable): " + e);
        }
    }

    /**
     * The store client. A Redisson file Redisson cannot use is configuration; an address was checked when the
     * configuration was read, so a failure there is not.
     */
    private static @NotNull ShadowStore connect(@NotNull ExtensionConfig config, @NotNull ThingModels models)
            throws InvalidConfigException {
        StoreConfig storeConfig = config.store().storeConfig();
        try {
            return ShadowStore.connect(storeConfig, models);
        } catch (RuntimeException e) {
            Path file = storeConfig.redissonConfigFile();
            if (file == null) {
                throw e;
            }
            // The store names the file when it cannot read it (quoting none of its lines); Redisson does not.
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new InvalidConfigException(
                    REDISSON_CONFIG
                            + (message.contains(file.toString())
                                    ? ": " + message
                                    : " names " + file + ", which Redisson cannot use: " + message),
                    e);
        }
    }

    /** The setting as the configuration file names it, and where its value usually comes from. */
    private static String settingName(SharedSetting setting) {
        return switch (setting) {
            case PEPPER -> "<shadowmq>/<pepper> (usually ${SHADOWMQ_PEPPER})";
            case FEED_PARTITIONS -> "<shadowmq>/<feed>/<partitions> (usually ${SHADOWMQ_FEED_PARTITIONS})";
            case REDIS_TOPOLOGY -> "<shadowmq>/<redis>/<address>";
        };
    }

    private void disconnectChanged(ThingId thing) {
        Futures.whenComplete(
                broker.clients().disconnectClient(thing.value()),
                log,
                "disconnecting a thing whose credentials changed",
                (wasConnected, error) -> {
                    if (error != null) {
                        log.warn("thing {}: could not disconnect it after its credentials changed", thing, error);
                    } else if (Boolean.TRUE.equals(wasConnected)) {
                        log.info("thing {} disconnected: its credentials changed", thing);
                    }
                });
    }

    /** As HiveMQ ends the older connection of a client id within one broker, with the same reason code. */
    private void disconnectTakenOver(ThingId thing) {
        Futures.logFailure(
                broker.clients()
                        .disconnectClient(
                                thing.value(),
                                false,
                                DisconnectReasonCode.SESSION_TAKEN_OVER,
                                "another connection of this thing took over (on another broker)"),
                log,
                "thing " + thing + ": ending its connection taken over on another broker");
    }
}
