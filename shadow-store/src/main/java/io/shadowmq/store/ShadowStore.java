package io.shadowmq.store;

import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.search.SearchSchema;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.apikey.ApiKeyStore;
import io.shadowmq.store.command.CommandStore;
import io.shadowmq.store.due.DueIndex;
import io.shadowmq.store.due.DueMember;
import io.shadowmq.store.due.Sweeper;
import io.shadowmq.store.feed.ChangeFeed;
import io.shadowmq.store.feed.FeedListener;
import io.shadowmq.store.feed.FeedRouter;
import io.shadowmq.store.feed.FeedSubscription;
import io.shadowmq.store.feed.FeedWriter;
import io.shadowmq.store.feed.NodeFeed;
import io.shadowmq.store.grant.AuditLog;
import io.shadowmq.store.grant.CachedHouseholdGuard;
import io.shadowmq.store.grant.GrantStore;
import io.shadowmq.store.grant.HouseholdGuard;
import io.shadowmq.store.grant.RedisAuditLog;
import io.shadowmq.store.grant.RedisGrantStore;
import io.shadowmq.store.history.HistoryStore;
import io.shadowmq.store.platform.PlatformRecord;
import io.shadowmq.store.presence.BrokerLeases;
import io.shadowmq.store.presence.PresenceStore;
import io.shadowmq.store.redis.ConnectingClient;
import io.shadowmq.store.redis.StoreCall;
import io.shadowmq.store.registry.SecretHasher;
import io.shadowmq.store.registry.ThingRegistry;
import io.shadowmq.store.schedule.ScheduleStore;
import io.shadowmq.store.search.SearchIndex;
import io.shadowmq.store.search.ThingSearch;
import io.shadowmq.store.shadow.ShadowRepository;
import org.jetbrains.annotations.NotNull;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.BaseConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SubscriptionMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The device-shadow store on Redis: the one engine behind the HiveMQ extension and the REST service.
 *
 * <pre>{@code
 * try (ShadowStore store = ShadowStore.connect(StoreConfig.of("redis://127.0.0.1:6379", pepper), ThingModels.bundled())) {
 *     store.shadows().update(ThingId.of("car-1"), Requester.thing(ThingId.of("car-1")), request).thenAccept(outcome -> ...);
 * }
 * }</pre>
 *
 * <p>Every call is asynchronous, bounded by {@link StoreConfig#timeout()}, and completes normally with a typed
 * outcome; Redis being down is a 503 outcome, never a hang or an exception. Connecting happens in the background: a
 * store made while Redis is down answers 503 and works as soon as Redis is back.
 */
public final class ShadowStore implements AutoCloseable {

    /**
     * Connections per Redis server (per master on a Cluster). Redisson runs one command per connection at a time:
     * bursts (a reconnect storm, a fleet disconnecting) need room, or commands wait for a connection and fail.
     */
    private static final int CONNECTION_POOL_SIZE = 64;

    private static final int CONNECTION_MINIMUM_IDLE = 8;
    /** Pause before a command a Redis Cluster refused without running it (TRYAGAIN, CLUSTERDOWN) is sent again. */
    static final int CLUSTER_REFUSED_RETRY_MILLIS = 50;
    /** How often a Redis Cluster's topology is read again (failover, resharding). */
    static final int CLUSTER_SCAN_INTERVAL_MILLIS = 1000;

    private final RedissonClient redis;
    private final StoreCall call;
    private final ChangeFeed feed;
    private final FeedWriter feedWriter;
    private final FeedRouter feedRouter;
    private final ShadowRepository shadows;
    private final ThingRegistry things;
    private final ApiKeyStore apiKeys;
    private final PresenceStore presence;
    private final BrokerLeases leases;
    private final PlatformRecord platform;
    private final DueIndex due;
    private final Sweeper sweeper;
    private final CommandStore commands;
    private final ScheduleStore schedules;
    private final RedisAuditLog audit;
    private final RedisGrantStore grants;
    private final CachedHouseholdGuard household;
    private final SearchIndex searchIndex;
    private final ThingSearch search;
    private final HistoryStore history;

    private ShadowStore(
            RedissonClient redis,
            StoreConfig config,
            ThingModels models,
            Clock clock,
            LongSupplier nanoClock,
            boolean announceInCommit) {
        this.redis = redis;
        this.call = new StoreCall(config.timeout(), nanoClock);
        SecretHasher hasher = new SecretHasher(config.pepper());
        this.feed = new ChangeFeed(redis, call, config.feedPartitions(), announceInCommit);
        this.feedWriter =
                new FeedWriter(redis, call, config.feedPartitions(), config.feedMaxLength(), announceInCommit);
        this.feedRouter = new FeedRouter(redis, call, feedWriter);
        this.searchIndex = new SearchIndex(redis, SearchSchema.of(models), call);
        this.shadows = new ShadowRepository(
                redis,
                models,
                feedWriter,
                feedRouter,
                call,
                config.limits(),
                config.idempotencyWindow(),
                clock,
                config.memoryReadsFor(),
                config.replicaAcks(),
                config.maxUpdatesInFlight(),
                searchIndex,
                config.searchIndex(),
                config.history());
        this.things = new ThingRegistry(
                redis, models, feedWriter, call, hasher, clock, this::forgetDeprovisioned, searchIndex);
        this.history = new HistoryStore(redis, call, things, models, config.history(), clock);
        this.apiKeys = new ApiKeyStore(redis, call, hasher, clock);
        this.leases = new BrokerLeases(redis, call);
        this.presence = new PresenceStore(redis, call, feedWriter, feedRouter, leases);
        this.search = new ThingSearch(searchIndex, shadows, presence, config.searchMaxScanThings());
        this.platform = new PlatformRecord(
                redis, call, hasher, config.feedPartitions(), redis.getConfig().isClusterConfig(), models, clock);
        // Its own bound on calls: a sweep that waits out a slow moment must not make the calls that answer devices
        // and REST clients fail fast.
        this.due = new DueIndex(redis, new StoreCall(call.timeout(), call.nanoClock()), config.feedPartitions());
        this.sweeper = new Sweeper(due, clock);
        shadows.expiresDesiredThrough(due, sweeper);
        this.commands = new CommandStore(redis, models, feedWriter, feedRouter, call, due, clock);
        sweeper.handle(DueMember.COMMAND, commands::onDue);
        this.schedules = new ScheduleStore(
                redis, models, things, shadows, commands, call, due, clock, ScheduleStore.DEFAULT_GRACE);
        sweeper.handle(ScheduleStore.DUE_KIND, schedules::onDue);
        this.audit = new RedisAuditLog(redis, call);
        this.grants = new RedisGrantStore(redis, things, feedWriter, call, clock, audit, this::forgetGrants);
        this.household = new CachedHouseholdGuard(things, models, grants, clock);
    }

    /** A thing this process deprovisioned: what is cached of it goes at once (other processes hear it on the feed). */
    private void forgetDeprovisioned(ThingId thing) {
        shadows.forget(thing);
        household.forgetThing(thing);
    }

    /** A household's grants this process changed: forgotten at once (other processes hear it on the feed). */
    private void forgetGrants(Owner owner) {
        household.forget(owner);
    }

    public static @NotNull ShadowStore connect(@NotNull StoreConfig config, @NotNull ThingModels models) {
        return connect(config, models, Clock.systemUTC());
    }

    public static @NotNull ShadowStore connect(
            @NotNull StoreConfig config, @NotNull ThingModels models, @NotNull Clock clock) {
        // A Cluster keeps the feed partitions in other slots than a thing's shadow: one script cannot touch both.
        return connect(config, models, clock, System::nanoTime);
    }

    /** As {@link #connect(StoreConfig, ThingModels, Clock)}, measuring monotonic time with {@code nanoClock} (tests). */
    static @NotNull ShadowStore connect(
            @NotNull StoreConfig config,
            @NotNull ThingModels models,
            @NotNull Clock clock,
            @NotNull LongSupplier nanoClock) {
        RedissonClient redis = connectInBackground(config);
        try {
            return new ShadowStore(
                    redis, config, models, clock, nanoClock, !redis.getConfig().isClusterConfig());
        } catch (RuntimeException | Error e) {
            redis.shutdown(0, 2, TimeUnit.SECONDS); // no client left behind, with its threads
            throw e;
        }
    }

    /** As on a Redis Cluster: the commit and the feed entry are two commands (tests of that path on one node). */
    static @NotNull ShadowStore connectAnnouncingAfterCommit(@NotNull StoreConfig config, @NotNull ThingModels models) {
        return new ShadowStore(connectInBackground(config), config, models, Clock.systemUTC(), System::nanoTime, false);
    }

    /**
     * The Redis client, made on a thread of its own, never on the caller's: calls answer 503 until Redis is reached
     * ({@link ConnectingClient}). Not Redisson's lazy initialization: its first command joins the connect on the
     * calling thread, and on a Redis Cluster a Netty thread handling a disconnect can join the same connect and
     * deadlock with it.
     */
    private static @NotNull RedissonClient connectInBackground(@NotNull StoreConfig config) {
        String address = config.redissonConfigFile() != null
                ? "the servers of " + config.redissonConfigFile()
                : config.redisAddress();
        return ConnectingClient.start(redissonConfig(config), String.valueOf(address))
                .client();
    }

    /** The Redis client (tests look at what Redis holds, such as whether a lease has expired yet). */
    @NotNull
    RedissonClient redis() {
        return redis;
    }

    public @NotNull ShadowRepository shadows() {
        return shadows;
    }

    /** The search index over every thing's type, owner and searchable shadow values. */
    public @NotNull SearchIndex searchIndex() {
        return searchIndex;
    }

    /** Finds things by their state (search over shadow values). */
    public @NotNull ThingSearch search() {
        return search;
    }

    /** Each thing's recent reported history, per property ({@link StoreConfig#history()} says how much is kept). */
    public @NotNull HistoryStore history() {
        return history;
    }

    public @NotNull ThingRegistry things() {
        return things;
    }

    public @NotNull ApiKeyStore apiKeys() {
        return apiKeys;
    }

    public @NotNull PresenceStore presence() {
        return presence;
    }

    /** Liveness leases of broker runs, for presence that survives a broker's death. */
    public @NotNull BrokerLeases leases() {
        return leases;
    }

    /** Commands: invocations of things' actions and what became of them. */
    public @NotNull CommandStore commands() {
        return commands;
    }

    /** Household schedules: desired writes and commands at set times, fired by the {@link #sweeper()}. */
    public @NotNull ScheduleStore schedules() {
        return schedules;
    }

    /** Household grants: what a thing may do on another thing of its household beyond its model's defaults. */
    public @NotNull GrantStore grants() {
        return grants;
    }

    /**
     * What a household member may do on another thing of its household, behind caches. Every follow of the feed
     * through this store ({@link #follow}, {@link #followWhatIsKept}, {@link #followPartitions}) keeps it current:
     * a {@code grants} event forgets the household's grants before the listener hears of it.
     */
    public @NotNull HouseholdGuard household() {
        return household;
    }

    /** Each household's audit trail of cross-thing operations and grant changes. */
    public @NotNull AuditLog audit() {
        return audit;
    }

    /** When things fall due (command and desired-value expiries), for the {@link #sweeper()} to run. */
    public @NotNull DueIndex due() {
        return due;
    }

    /** This store's sweeper of the due index: register handlers on it, start it with {@link #startSweeper()}. */
    public @NotNull Sweeper sweeper() {
        return sweeper;
    }

    /** Starts running what falls due (command expiry, desired expiry) every 500 ms; idempotent, stopped by close. */
    public void startSweeper() {
        sweeper.start();
    }

    /** The settings every node of the installation must share; check them before serving (SettingsAgreement). */
    public @NotNull PlatformRecord platform() {
        return platform;
    }

    /**
     * Follows the change feed (see {@link ChangeFeed#follow}) and, while the follow keeps up, lets this store answer
     * shadow reads from memory ({@link ShadowRepository#get}): each event reaches the shadows and the household guard before the listener.
     * A process follows once; a later follow replaces the earlier one as the source of coherence.
     */
    public @NotNull FeedSubscription follow(@NotNull FeedListener listener) {
        FeedSubscription subscription = feed.follow(event -> {
            shadows.observe(event);
            household.observe(event);
            listener.onEvent(event);
        });
        shadows.servesReadsWhile(subscription);
        return subscription;
    }

    /**
     * The share of the change feed of broker node {@code node}: the changes of the things it watches and every
     * credential and grant change ({@link NodeFeed}). What the node stops watching, this store forgets.
     */
    public @NotNull NodeFeed nodeFeed(@NotNull String node) {
        return nodeFeed(node, NodeFeed.INBOX_TTL);
    }

    /** As {@link #nodeFeed(String)}, with the inbox outliving the node's last renewal by {@code inboxTtl}. */
    public @NotNull NodeFeed nodeFeed(@NotNull String node, @NotNull java.time.Duration inboxTtl) {
        // Its own bound on calls: a registration that failed late in an outage (an unwatch queued while Redis was
        // down) must not make the device-facing calls fail fast after Redis is back.
        return new NodeFeed(
                redis, new StoreCall(call.timeout(), call.nanoClock()), feed, node, inboxTtl, shadows::forget);
    }

    /**
     * Follows a node's share of the feed (see {@link NodeFeed#follow}) and lets this store answer reads of the
     * things the node watches from memory, while the follow keeps up; each event reaches the shadows and the household guard before the
     * listener.
     */
    public @NotNull FeedSubscription follow(@NotNull NodeFeed node, @NotNull FeedListener listener) {
        FeedSubscription subscription = node.follow(event -> {
            shadows.observe(event);
            household.observe(event);
            listener.onEvent(event);
        });
        shadows.servesReadsWhile(node);
        shadows.deliverCommitsTo(node);
        return subscription;
    }

    /**
     * For a process that holds no devices (the REST service): node {@code node} watches exactly the things this
     * store keeps in memory, and their reads are answered from memory while its follow keeps up
     * ({@link ShadowRepository#watchesWhatItKeeps}). The node's inbox expires with the process.
     */
    public @NotNull FeedSubscription followWhatIsKept(@NotNull String node) {
        NodeFeed feedOfNode = nodeFeed(node);
        shadows.watchesWhatItKeeps(feedOfNode);
        return follow(feedOfNode, event -> {});
    }

    /**
     * Follows some partitions of the feed only (see {@link ChangeFeed#followPartitions}); each event reaches the
     * shadows before the listener. Reads from memory follow the coverage the caller gives
     * {@link ShadowRepository#servesReadsWhile(io.shadowmq.store.feed.FeedCoverage)}.
     */
    public @NotNull FeedSubscription followPartitions(int @NotNull [] partitions, @NotNull FeedListener listener) {
        return feed.followPartitions(partitions, event -> {
            shadows.observe(event);
            household.observe(event);
            listener.onEvent(event);
        });
    }

    /** Reads and follows the change feed. */
    public @NotNull ChangeFeed feed() {
        return feed;
    }

    /** Appends changes to the change feed's partitions. */
    public @NotNull FeedWriter feedWriter() {
        return feedWriter;
    }

    /** Routes changes to the inboxes of the broker nodes that watch their things. */
    public @NotNull FeedRouter feedRouter() {
        return feedRouter;
    }

    /** Answers ok when Redis answers within the timeout (readiness checks). */
    public @NotNull CompletionStage<Outcome<Boolean>> ping() {
        return call.run(
                "ping", redis.getBucket("smq:ping", StringCodec.INSTANCE).isExistsAsync(), exists -> Outcome.ok(true));
    }

    @Override
    public void close() {
        sweeper.close();
        redis.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /**
     * A Redis Cluster given by its node addresses: the same bounds as one server, per master. Reads go to masters only (Redisson's default for
     * a cluster reads from replicas, which would let a client miss the update it has just been told was accepted);
     * the topology is polled every second, so a promoted replica is used within about a second of its promotion.
     *
     * <p>A cluster refuses a command it did not run with TRYAGAIN (a script whose keys a slot migration has split
     * between two masters), CLUSTERDOWN (a master lost, its replica not yet promoted) or READONLY (a master demoted
     * under the client's feet). Nothing ran, so sending it again is safe for every command, idempotent or not:
     * Redisson does, every {@value #CLUSTER_REFUSED_RETRY_MILLIS} ms for as long as the store timeout lasts, instead
     * of once after a second (also for a cluster from a Redisson file).
     */
    private static @NotNull Config clusterConfig(@NotNull StoreConfig config) {
        Config redisson = new Config();
        ClusterServersConfig cluster = redisson.useClusterServers()
                .addNodeAddress(config.clusterNodes().toArray(String[]::new))
                .setReadMode(ReadMode.MASTER)
                .setSubscriptionMode(SubscriptionMode.MASTER)
                .setScanInterval(CLUSTER_SCAN_INTERVAL_MILLIS)
                .setMasterConnectionPoolSize(CONNECTION_POOL_SIZE)
                .setMasterConnectionMinimumIdleSize(CONNECTION_MINIMUM_IDLE)
                .setSlaveConnectionMinimumIdleSize(1);
        bounded(cluster, config);
        resendRefused(cluster, config);
        return redisson;
    }

    private static void resendRefused(@NotNull ClusterServersConfig cluster, @NotNull StoreConfig config) {
        cluster.setRetryAttempts((int) Math.max(1, config.timeout().toMillis() / CLUSTER_REFUSED_RETRY_MILLIS))
                .setRetryInterval(CLUSTER_REFUSED_RETRY_MILLIS);
    }

    /**
     * Timeouts and retries shared by every topology. Waiting for a free connection is bounded by
     * (1 + retryAttempts) x retryInterval; StoreCall's own timeout answers 503 in time whatever Redisson does behind it.
     */
    private static <T extends BaseConfig<T>> void bounded(@NotNull T server, @NotNull StoreConfig config) {
        int timeoutMillis = (int) Math.min(config.timeout().toMillis(), Integer.MAX_VALUE);
        server.setConnectTimeout(Math.min(timeoutMillis, 1000))
                .setTimeout(timeoutMillis)
                .setRetryAttempts(1)
                .setRetryInterval(Math.max(100, timeoutMillis / 2))
                .setPingConnectionInterval(1000)
                .setClientName("shadowmq");
    }

    /**
     * A YAML parser's message on one line, without the lines of the file it quotes (one may hold a password): what
     * is wrong and where, e.g. {@code expected ',' or ']', but got <stream end> in 'string', line 3, column 1:}.
     */
    private static @NotNull String withoutQuotedLines(@NotNull RuntimeException malformed) {
        String message = malformed.getMessage() == null ? malformed.toString() : malformed.getMessage();
        // The parser indents the quoted line and the caret under it by four spaces or more.
        return message.lines()
                .filter(line -> !line.startsWith("    ") && !line.isBlank())
                .map(String::strip)
                .collect(Collectors.joining(" "));
    }

    /** The Redisson configuration the store connects with (the benchmark's reply floor uses the same). */
    public static @NotNull Config redissonConfig(@NotNull StoreConfig config) {
        Config redisson;
        if (config.redissonConfigFile() != null) {
            try {
                redisson = Config.fromYAML(config.redissonConfigFile().toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read Redisson config " + config.redissonConfigFile() + ": " + e.getMessage(), e);
            } catch (RuntimeException malformed) {
                // Redisson's YAML parser throws unchecked exceptions, their message quoting the file's lines: not
                // passed on as the cause either, so that no stack trace in a log shows them.
                throw new IllegalArgumentException("cannot read Redisson config " + config.redissonConfigFile() + ": "
                        + withoutQuotedLines(malformed));
            }
            if (redisson == null) {
                throw new IllegalArgumentException(
                        "cannot read Redisson config " + config.redissonConfigFile() + ": it is empty");
            }
            // Replicas answer reads a replication delay late, so a client could miss the update it was just told
            // was accepted: whatever the file says, the store reads from masters.
            if (redisson.isClusterConfig()) {
                resendRefused(redisson.useClusterServers().setReadMode(ReadMode.MASTER), config);
            } else if (redisson.isSentinelConfig()) {
                redisson.useSentinelServers().setReadMode(ReadMode.MASTER);
            }
        } else if (!config.clusterNodes().isEmpty()) {
            redisson = clusterConfig(config);
        } else {
            redisson = new Config();
            bounded(
                    redisson.useSingleServer()
                            .setAddress(config.redisAddress())
                            .setConnectionPoolSize(CONNECTION_POOL_SIZE)
                            .setConnectionMinimumIdleSize(CONNECTION_MINIMUM_IDLE),
                    config);
        }
        if (config.redisPassword() != null && config.redissonConfigFile() == null) {
            redisson.setPassword(config.redisPassword()); // Redisson 4 takes it here, not per server config
        }
        // String codec, not Kryo: documents are JSON and must stay readable with redis-cli.
        redisson.setCodec(StringCodec.INSTANCE);
        redisson.setUseScriptCache(true);
        redisson.setLazyInitialization(false); // connected on a thread of its own: see connectInBackground
        redisson.setNettyThreads(config.nettyThreads());
        redisson.setThreads(2);
        return redisson;
    }
}
