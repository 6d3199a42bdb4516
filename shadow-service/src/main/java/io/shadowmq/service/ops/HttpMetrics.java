package io.shadowmq.service.ops;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowmq.service.events.EventHub;
import io.shadowmq.service.events.StreamSlots;
import io.shadowmq.service.http.ApiRouter;
import io.shadowmq.service.http.Replies;
import io.shadowmq.service.http.Reply;
import io.shadowmq.service.server.ConnectionGuard;
import io.shadowmq.store.shadow.ShadowRepository;
import org.jetbrains.annotations.NotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics: every request counted and timed by method, route template and status (never by thing id, so
 * the number of series stays bounded), plus SSE clients and the JVM.
 *
 * <pre>{@code
 * http_server_requests_seconds_count{method="PATCH",route="/api/v1/things/{id}/shadow",status="200"} 42
 * }</pre>
 */
public final class HttpMetrics implements AutoCloseable {

    public static final String PATH = "/metrics";
    static final String UNMATCHED = "unmatched";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Bounded by routes × methods × statuses: route is the template (or "unmatched"), never a raw path. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public HttpMetrics(@NotNull EventHub events, @NotNull ShadowRepository shadows) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        Gauge.builder("shadowmq.sse.streams", events, EventHub::streams)
                .description("connected Server-Sent Events clients")
                .register(registry);
        Gauge.builder("shadowmq.feed.partitions.followed", events, EventHub::partitionsFollowed)
                .description("change-feed partitions this service reads now: those its open event streams need")
                .register(registry);
        FunctionCounter.builder("shadowmq.sse.slow.clients.dropped", events, EventHub::slowClientsDropped)
                .description("SSE clients disconnected because they fell too far behind")
                .register(registry);
        FunctionCounter.builder("shadowmq.shadow.reads", shadows, ShadowRepository::readsFromMemory)
                .tag("source", "memory")
                .description("shadow reads answered from memory (kept coherent by the change feed)")
                .register(registry);
        FunctionCounter.builder("shadowmq.shadow.reads", shadows, ShadowRepository::readsFromStore)
                .tag("source", "redis")
                .description("shadow reads answered from Redis")
                .register(registry);
        FunctionCounter.builder("shadowmq.updates.shed", shadows, ShadowRepository::updatesShed)
                .description("shadow updates answered 503 store busy at once: shadow.maxUpdatesInFlight were in flight")
                .register(registry);
        Gauge.builder("shadowmq.updates.in.flight", shadows, ShadowRepository::updatesInFlight)
                .description("shadow updates this process works on now (at most shadow.maxUpdatesInFlight)")
                .register(registry);
    }

    /** Counts what the limits on clients refused, so an operator sees an attack or a cap that is too low. */
    public void limits(@NotNull ConnectionGuard connections, @NotNull StreamSlots streams) {
        FunctionCounter.builder("shadowmq.http.connections.refused", connections, ConnectionGuard::refusedConnections)
                .description("connections closed at once because their address had http.maxConnectionsPerAddress open")
                .register(registry);
        FunctionCounter.builder("shadowmq.http.heads.late", connections, ConnectionGuard::lateHeads)
                .description("connections closed because a request head took longer than http.headerTimeout")
                .register(registry);
        FunctionCounter.builder("shadowmq.sse.streams.refused", streams, StreamSlots::refused)
                .description("event streams refused with 429 at sse.maxStreamsPerKey or sse.maxStreams")
                .register(registry);
    }

    /** The registry {@code /metrics} shows: a process that embeds the service may add its own meters to it. */
    public @NotNull MeterRegistry registry() {
        return registry;
    }

    public void register(@NotNull ApiRouter router) {
        router.open(
                HandlerType.GET,
                PATH,
                ctx -> Replies.done(
                        Reply.raw(200, CONTENT_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8))));
    }

    /** Javalin's request logger: called once per request when its response is complete (for SSE, when it ends). */
    public void record(@NotNull Context ctx, float millis) {
        String method = ctx.method().name();
        String route = routeOf(ctx);
        int status = ctx.statusCode();
        // One timer per method, route template and status: looked up, not rebuilt, on every request.
        timers.computeIfAbsent(
                        method + ' ' + status + ' ' + route,
                        key -> Timer.builder("http.server.requests")
                                .description("HTTP requests by route template and status")
                                .tag("method", method)
                                .tag("route", route)
                                .tag("status", Integer.toString(status))
                                .serviceLevelObjectives(
                                        Duration.ofMillis(5),
                                        Duration.ofMillis(10),
                                        Duration.ofMillis(25),
                                        Duration.ofMillis(50),
                                        Duration.ofMillis(100),
                                        Duration.ofMillis(250),
                                        Duration.ofMillis(500),
                                        Duration.ofSeconds(1),
                                        Duration.ofMillis(2500),
                                        Duration.ofSeconds(5))
                                .register(registry))
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private static String routeOf(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint == null ? UNMATCHED : endpoint.path;
        } catch (RuntimeException noneMatched) {
            return UNMATCHED;
        }
    }
}
