package io.shadowmq.service;

import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerExtension;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.ShadowStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A real Redis, the service started against it on a free port, an HTTP client for it, and a store of the test's
 * own on the same Redis (to play a device: presence, reported state). Shared by one test class.
 */
public final class ServiceExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    public static final String PEPPER = "test-pepper-of-at-least-16-bytes";
    /** Short, so SSE tests see heartbeats and revocations quickly. */
    public static final Duration HEARTBEAT = Duration.ofMillis(300);

    private final RedisServerExtension redis = new RedisServerExtension();
    private ShadowService service;
    private ShadowStore store;
    private Api api;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis.beforeAll(context);
        service = ShadowService.start(config().build());
        store = ShadowStore.connect(config().build().storeConfig(), ThingModels.bundled());
        api = new Api(service.port(), ADMIN_TOKEN);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (service != null) {
            service.close();
        }
        if (store != null) {
            store.close();
        }
        redis.afterAll(context);
    }

    public ServiceConfig.Builder config() {
        return ServiceConfig.builder()
                .httpHost("127.0.0.1")
                .httpPort(0)
                .redisAddress(redis.uri())
                .pepper(PEPPER)
                .adminToken(ADMIN_TOKEN)
                .storeTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(5))
                .sseHeartbeat(HEARTBEAT)
                .apiKeyCacheTtl(Duration.ofSeconds(5))
                .shutdownGrace(Duration.ofSeconds(2));
    }

    public Api api() {
        return api;
    }

    public ShadowService service() {
        return service;
    }

    /** The test's own store on the same Redis, to act as a device or a broker would. */
    public ShadowStore store() {
        return store;
    }

    /** Writes {@code reported} (an update request's JSON) as the thing would, straight through the test's store. */
    public void report(String thing, String json) {
        Outcome<UpdateRequest> request =
                ShadowRequests.parseUpdate(json.getBytes(StandardCharsets.UTF_8), ShadowLimits.DEFAULT);
        UpdateOutcome outcome = store.shadows()
                .update(ThingId.of(thing), Requester.admin(), request.orElseThrow())
                .toCompletableFuture()
                .join();
        if (!(outcome instanceof UpdateOutcome.Accepted)) {
            throw new AssertionError("reporting " + json + " for " + thing + " was refused: " + outcome);
        }
    }

    public RedisServerProcess redis() {
        return redis.server();
    }
}
