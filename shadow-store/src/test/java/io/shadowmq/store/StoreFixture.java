package io.shadowmq.store;

import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.store.registry.ProvisionedThing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Small helpers shared by the store's tests: fresh ids, request parsing, waiting on stages. */
final class StoreFixture {

    static final Pepper PEPPER = Pepper.parse("test-pepper-of-at-least-16-bytes");
    static final ThingModels MODELS = ThingModels.bundled();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private StoreFixture() {}

    /** No load shedding: tests put hundreds of one thing's updates in flight at once to check their order. */
    static StoreConfig config(String redisUri) {
        return StoreConfig.of(redisUri, PEPPER)
                .withTimeout(Duration.ofSeconds(2))
                .withMaxUpdatesInFlight(100_000);
    }

    static ShadowStore connect(String redisUri) {
        return ShadowStore.connect(config(redisUri), MODELS);
    }

    static ThingId freshThing(String prefix) {
        return ThingId.of(prefix + "-" + System.nanoTime() % 1_000_000 + "-" + SEQUENCE.incrementAndGet());
    }

    static Owner freshOwner() {
        return Owner.of("owner-" + System.nanoTime() % 1_000_000 + "-" + SEQUENCE.incrementAndGet());
    }

    static UpdateRequest request(String json) {
        Outcome<UpdateRequest> parsed =
                ShadowRequests.parseUpdate(json.getBytes(StandardCharsets.UTF_8), ShadowLimits.DEFAULT);
        return parsed.orElseThrow();
    }

    static ProvisionedThing provision(ShadowStore store, ThingId thing, String type, Owner owner) {
        return await(store.things().provision(thing, type, owner)).orElseThrow();
    }

    /** Whether Redis still holds the broker run's lease: Redis expires it in its own time, which tests wait for. */
    static boolean leaseHeld(ShadowStore store, String run) {
        return store.redis()
                .getBucket(
                        io.shadowmq.store.redis.RedisKeys.brokerLease(run),
                        org.redisson.client.codec.StringCodec.INSTANCE)
                .isExists();
    }

    /** Waits until the broker run's lease has expired (it was not renewed: its broker died). */
    static void awaitLeaseExpired(ShadowStore store, String run) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !leaseHeld(store, run));
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("store call did not complete normally within 10 s", e);
        }
    }

    static String json(Object node) {
        return node instanceof com.fasterxml.jackson.databind.JsonNode json
                ? SafeJson.writeString(json)
                : String.valueOf(node);
    }
}
