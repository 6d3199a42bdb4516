package io.shadowmq.service;

import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.service.auth.AdminToken;
import io.shadowmq.service.auth.Authenticator;
import io.shadowmq.service.commands.CommandRoutes;
import io.shadowmq.service.console.ConsoleRoutes;
import io.shadowmq.service.events.EventHub;
import io.shadowmq.service.events.EventRoutes;
import io.shadowmq.service.events.StreamSlots;
import io.shadowmq.service.grants.GrantRoutes;
import io.shadowmq.service.history.HistoryRoutes;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.JavalinErrors;
import io.shadowmq.service.http.JsonBodies;
import io.shadowmq.service.keys.KeyRoutes;
import io.shadowmq.service.models.ModelRoutes;
import io.shadowmq.service.ops.HealthRoutes;
import io.shadowmq.service.ops.HttpMetrics;
import io.shadowmq.service.ops.OpenApiRoute;
import io.shadowmq.service.schedules.ScheduleRoutes;
import io.shadowmq.service.search.SearchRoutes;
import io.shadowmq.service.server.ConnectionGuard;
import io.shadowmq.service.server.ProblemErrorHandler;
import io.shadowmq.service.server.WholeBodyHandler;
import io.shadowmq.service.shadow.ShadowRoutes;
import io.shadowmq.service.summary.SummaryRoutes;
import io.shadowmq.service.things.HouseholdAccess;
import io.shadowmq.service.things.ThingAccess;
import io.shadowmq.service.things.ThingRoutes;
import io.shadowmq.store.Futures;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.platform.SettingsAgreement;
import io.shadowmq.store.platform.SettingsVerdict;
import io.shadowmq.store.presence.LeaseReaper;
import io.shadowmq.store.summary.ThingSummaries;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running REST and Server-Sent Events service (docs/rest.md): wires the store, authentication, the feature
 * routes and the HTTP server together, and takes them down again in order.
 *
 * <pre>{@code
 * try (ShadowService service = ShadowService.start(ServiceConfig.builder()
 *         .redisAddress("redis://127.0.0.1:6379").pepper(pepper).adminToken(token).httpPort(0).build())) {
 *     URI api = URI.create("http://127.0.0.1:" + service.port() + "/api/v1/things");
 * }
 * }</pre>
 *
 * <p>Closing stops readiness first, ends the SSE streams (they would otherwise hold the graceful stop for its whole
 * grace period), lets in-flight requests finish within {@link ServiceConfig#shutdownGrace()} while new ones get 503,
 * then disconnects from Redis.
 */
public final class ShadowService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShadowService.class);

    /**
     * Jetty's request threads; responses are also written here, never on Redis I/O threads. None of them waits for a
     * client's bytes: heads are parsed and bodies read ({@link WholeBodyHandler}) asynchronously, and what a client
     * can hold is bounded by {@link ConnectionGuard}, the connection limit and {@link StreamSlots}.
     */
    static final int MAX_HTTP_THREADS = 200;

    static final int MIN_HTTP_THREADS = 8;
    /** Request line and headers together (Jetty's default, stated): a longer URL is 414, larger headers 431. */
    public static final int MAX_REQUEST_HEAD_BYTES = 8192;

    private final Javalin app;
    private final int port;
    private final ShadowStore store;
    private final SettingsAgreement settings;
    private final EventHub events;
    private final HttpMetrics metrics;
    private final LeaseReaper reaper;
    private final List<String> routes;
    private final AtomicBoolean shuttingDown;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ShadowService(
            Javalin app,
            ShadowStore store,
            SettingsAgreement settings,
            EventHub events,
            HttpMetrics metrics,
            LeaseReaper reaper,
            List<String> routes,
            AtomicBoolean shuttingDown) {
        this.app = app;
        this.reaper = reaper;
        this.port = app.port();
        this.store = store;
        this.settings = settings;
        this.events = events;
        this.metrics = metrics;
        this.routes = routes;
        this.shuttingDown = shuttingDown;
    }

    /**
     * Connects to Redis (lazily: the service starts while Redis is down and is ready once it is back), loads the
     * thing models and starts listening. Every API request is answered 503 until the shared settings agreed with the
     * platform record at the first successful contact with Redis ({@link #settingsVerdict()}).
     *
     * @throws IllegalStateException when the HTTP port cannot be bound or a thing model is broken
     */
    public static @NotNull ShadowService start(@NotNull ServiceConfig config) {
        ThingModels models =
                config.modelsDir() == null ? ThingModels.bundled() : ThingModels.loadDirectory(config.modelsDir());
        ShadowStore store = ShadowStore.connect(config.storeConfig(), models);
        SettingsAgreement settings = SettingsAgreement.start(store.platform()::check);
        EventHub events = EventHub.start(store, config.sseHeartbeat());
        HttpMetrics metrics = new HttpMetrics(events, store.shadows());
        // Marks disconnected what a broker that died left connected; brokers do the same, whoever notices first.
        LeaseReaper reaper = new LeaseReaper(
                store.leases(),
                store.presence(),
                store.things(),
                Clock.systemUTC(),
                config.presenceReapInterval(),
                null);
        try {
            ShadowService service = start(config, models, store, settings, events, metrics, reaper);
            // The reaper writes presence: only once the shared settings agree.
            Futures.logFailure(
                    settings.verdict().thenAccept(verdict -> {
                        if (verdict instanceof SettingsVerdict.Agreed) {
                            reaper.start();
                            // Desired values and commands expire whether or not a broker is up.
                            store.startSweeper();
                            indexWhatIsMissing(store);
                        }
                    }),
                    log,
                    "starting the presence reaper once the shared settings agreed");
            return service;
        } catch (RuntimeException e) {
            events.close();
            metrics.close();
            reaper.close();
            settings.close();
            store.close();
            throw e;
        }
    }

    /**
     * Things provisioned before the search index existed are indexed in the background (version-guarded: safe while
     * updates run and while other services do the same).
     */
    private static void indexWhatIsMissing(ShadowStore store) {
        Futures.logFailure(
                store.searchIndex().catchUp(store.things(), store.shadows()).thenAccept(indexed -> {
                    if (indexed instanceof io.shadowmq.model.shadow.Outcome.Ok<Integer> ok && ok.value() > 0) {
                        log.info("search index: indexed {} things it did not hold yet", ok.value());
                    } else if (indexed instanceof io.shadowmq.model.shadow.Outcome.Rejected<Integer> failed) {
                        log.warn(
                                "search index: catching up stopped ({}); things updated since are indexed",
                                failed.rejection().message());
                    }
                }),
                log,
                "indexing things the search index did not hold");
    }

    private static ShadowService start(
            ServiceConfig config,
            ThingModels models,
            ShadowStore store,
            SettingsAgreement settings,
            EventHub events,
            HttpMetrics metrics,
            LeaseReaper reaper) {
        Authenticator authenticator = new Authenticator(adminToken(config), store.apiKeys(), config.apiKeyCacheTtl());
        QueuedThreadPool http = new QueuedThreadPool(MAX_HTTP_THREADS, MIN_HTTP_THREADS);
        http.setName("http");
        AtomicBoolean shuttingDown = new AtomicBoolean();
        List<String> routes = new ArrayList<>();
        ConnectionGuard guard = new ConnectionGuard(config.maxConnectionsPerAddress(), config.headerTimeout());
        StreamSlots streamSlots = new StreamSlots(config.sseMaxStreams(), config.sseMaxStreamsPerKey());
        metrics.limits(guard, streamSlots);
        Javalin app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.jetty.threadPool = http;
            javalin.jetty.modifyServer(server -> {
                // Errors Jetty answers itself (unparsable requests, 408) are problem+json like every other.
                server.setErrorHandler(new ProblemErrorHandler(MAX_REQUEST_HEAD_BYTES));
                // Each insert goes outermost: graceful stop, then the head deadline's tracking, then reading the
                // whole body without a thread (the routes read it blocking), then Javalin.
                server.insertHandler(new WholeBodyHandler(JsonBodies.MAX_BODY_BYTES, config.bodyTimeout()));
                server.insertHandler(guard.requestTracker());
                // In-flight requests may finish within the grace period; new ones are refused meanwhile.
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(config.shutdownGrace().toMillis());
            });
            javalin.jetty.addConnector((server, httpConfiguration) -> {
                httpConfiguration.setRequestHeaderSize(MAX_REQUEST_HEAD_BYTES);
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
                connector.setHost(config.httpHost());
                connector.setPort(config.httpPort());
                connector.setIdleTimeout(config.idleTimeout().toMillis());
                connector.addBean(guard);
                // Past the total, new connections wait in the accept queue instead of taking more file descriptors.
                server.addBean(new NetworkConnectionLimit(config.maxConnections(), connector));
                return connector;
            });
            javalin.http.maxRequestSize = JsonBodies.MAX_BODY_BYTES;
            javalin.http.defaultContentType = "application/json";
            javalin.http.prefer405over404 = true;
            javalin.requestLogger.http((ctx, millis) -> metrics.record(ctx, millis));
            JavalinErrors.install(javalin.routes);

            ApiRouter router = new ApiRouter(javalin.routes, authenticator, settings, http, config.requestTimeout());
            ThingAccess access = new ThingAccess(store.things());
            HouseholdAccess household = new HouseholdAccess(store.household(), store.audit(), Clock.systemUTC());
            new ThingRoutes(store, access).register(router);
            new SearchRoutes(store.search(), store.searchIndex().schema()).register(router);
            new ShadowRoutes(store, access, household, models, Clock.systemUTC()).register(router);
            new CommandRoutes(store.commands(), access, household).register(router);
            new HistoryRoutes(store.history(), access, household).register(router);
            new SummaryRoutes(
                            new ThingSummaries(
                                    store.things(), store.shadows(), store.presence(), models, Clock.systemUTC()),
                            access,
                            household)
                    .register(router);
            new EventRoutes(
                            access,
                            household,
                            events,
                            authenticator,
                            http,
                            config.sseBufferEvents(),
                            config.requestTimeout(),
                            streamSlots,
                            config.sseHeartbeat(),
                            store.searchIndex().schema(),
                            store.things())
                    .register(router);
            new KeyRoutes(store.apiKeys(), authenticator, access).register(router);
            new ScheduleRoutes(store.schedules()).register(router);
            new GrantRoutes(store.grants(), store.audit(), store.things(), models, Clock.systemUTC()).register(router);
            new ModelRoutes(models).register(router);
            new HealthRoutes(store, settings, shuttingDown::get).register(router);
            metrics.register(router);
            new OpenApiRoute().register(router);
            new ConsoleRoutes().register(router);
            routes.addAll(router.registered());
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot listen on " + config.httpHost() + ":" + config.httpPort() + ": " + e.getMessage(), e);
        }
        log.info("shadow-service listening on {}:{} ({})", config.httpHost(), app.port(), config);
        return new ShadowService(app, store, settings, events, metrics, reaper, List.copyOf(routes), shuttingDown);
    }

    /**
     * Completes once Redis first answered the settings check: agreed, or which shared setting differs from the
     * running platform's (then every API request keeps being answered 503; the jar's main exits).
     */
    public @NotNull CompletableFuture<SettingsVerdict> settingsVerdict() {
        return settings.verdict();
    }

    /** The bound HTTP port (the chosen one when the configuration asked for port 0), also after close. */
    public int port() {
        return port;
    }

    /**
     * The meters {@code GET /metrics} shows. A process that embeds the service (the one-machine platform) adds its
     * broker's metrics here, so one scrape shows both.
     */
    public @NotNull MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** Every registered route as {@code "METHOD /path"}, e.g. {@code "GET /api/v1/things/{id}"}. */
    public @NotNull List<String> routes() {
        return routes;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shuttingDown.set(true);
        events.close();
        reaper.close();
        try {
            app.stop();
        } finally {
            metrics.close();
            settings.close();
            store.close();
            log.info("shadow-service stopped");
        }
    }

    /** The configured admin token, or a generated one shown once on stdout; only its digest is kept. */
    private static AdminToken adminToken(ServiceConfig config) {
        if (config.adminToken() != null) {
            return AdminToken.of(config.adminToken());
        }
        String generated = AdminToken.generate();
        // stdout, not the log: the token must not end up in log files or log shipping.
        System.out.println("SHADOWMQ ADMIN TOKEN (shown once; set " + ServiceConfigLoader.ADMIN_TOKEN_ENV
                + " to choose it): " + generated);
        System.out.flush();
        return AdminToken.of(generated);
    }
}
