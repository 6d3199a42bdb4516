package io.shadowmq.bench.target;

import io.shadowmq.bench.mqtt.ThingCredentials;
import io.shadowmq.broker.FreePort;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.platform.up.LocalBroker;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.service.ServiceConfig;
import io.shadowmq.service.ShadowService;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.registry.ProvisionedThing;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The platform under test, started the way {@code ./shadowmq up} starts it: a real Redis (append-only file,
 * {@code appendfsync everysec}, under the work dir), HiveMQ CE loading the packaged extension through
 * {@link LocalBroker}, and the REST service — all on free loopback ports. The one difference from {@code up}: the
 * per-thing rate limit is {@code updatesPerSecond} (the benchmark sets it high), so the limiter is not what is measured.
 */
public final class BenchPlatform implements MqttTarget {

    private static final String HOST = "127.0.0.1";
    /** Things per household; a household's things may see each other's shadows. */
    private static final int THINGS_PER_OWNER = 4;

    private static final int PROVISION_CONCURRENCY = 16;
    private static final long PROVISION_TIMEOUT_SECONDS = 60;
    private static final int PROVISION_RETRIES = 5;
    private static final long PROVISION_RETRY_PAUSE_MILLIS = 500;
    private static final int CONFLICT = 409;
    private static final Duration PROVISION_STORE_TIMEOUT = Duration.ofSeconds(20);

    private final RedisServerProcess redis;
    private final LocalBroker broker;
    private final ShadowService service;
    private final ShadowStore store;
    private final int mqttPort;
    private final String adminToken;
    private final int updatesPerSecond;
    private final StoreConfig storeConfig;

    private BenchPlatform(
            RedisServerProcess redis,
            LocalBroker broker,
            ShadowService service,
            ShadowStore store,
            int mqttPort,
            String adminToken,
            int updatesPerSecond,
            StoreConfig storeConfig) {
        this.redis = redis;
        this.broker = broker;
        this.service = service;
        this.store = store;
        this.mqttPort = mqttPort;
        this.adminToken = adminToken;
        this.updatesPerSecond = updatesPerSecond;
        this.storeConfig = storeConfig;
    }

    /**
     * Starts Redis, the broker with the extension from {@code extensionFolder}, and the REST service.
     *
     * @param redisServer the redis-server binary; {@code null} for the one {@code RedisExecutable} picks (PATH first,
     *                    then the bundled one), as {@code ./shadowmq up} does
     */
    public static @NotNull BenchPlatform start(
            @NotNull Path extensionFolder, @NotNull Path workDir, int updatesPerSecond, @Nullable Path redisServer)
            throws Exception {
        String pepper = random(32);
        String adminToken = "smq_admin_" + random(24);
        RedisServerProcess redis = RedisServerProcess.builder()
                .dataDir(Files.createDirectories(workDir.resolve("redis")))
                .executable(redisServer)
                .build()
                .start();
        LocalBroker broker = null;
        try {
            int mqttPort = FreePort.pick();
            broker = LocalBroker.start(
                    Files.createDirectories(workDir.resolve("hivemq")),
                    extensionFolder,
                    HOST,
                    mqttPort,
                    redis.uri(),
                    pepper,
                    """
                            <shadow>
                                <updates-per-second>%d</updates-per-second>
                                <update-burst>%d</update-burst>
                            </shadow>""".formatted(updatesPerSecond, updatesPerSecond));
            ServiceConfig config = ServiceConfig.builder()
                    .httpHost(HOST)
                    .httpPort(FreePort.pick())
                    .redisAddress(redis.uri())
                    .pepper(pepper)
                    .adminToken(adminToken)
                    .build();
            ShadowService service = ShadowService.start(config);
            StoreConfig storeConfig = StoreConfig.of(redis.uri(), Pepper.parse(pepper));
            // Only for provisioning: a generous timeout, since the first calls meet a cold JVM still busy starting.
            ShadowStore store =
                    ShadowStore.connect(storeConfig.withTimeout(PROVISION_STORE_TIMEOUT), ThingModels.bundled());
            return new BenchPlatform(
                    redis, broker, service, store, mqttPort, adminToken, updatesPerSecond, storeConfig);
        } catch (Exception e) {
            if (broker != null) {
                broker.close();
            }
            redis.close();
            throw e;
        }
    }

    /**
     * Provisions {@code count} speakers {@code prefix-00000 ...}, four per household, and returns their one-time
     * secrets.
     */
    public @NotNull List<ThingCredentials> provision(@NotNull String prefix, int count) throws Exception {
        List<CompletableFuture<Outcome<ProvisionedThing>>> provisioned = new ArrayList<>(count);
        // A few at a time: the store's Redis pool (32 connections) refuses a burst of hundreds with 503.
        Semaphore inFlight = new Semaphore(PROVISION_CONCURRENCY);
        for (int i = 0; i < count; i++) {
            if (!inFlight.tryAcquire(PROVISION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("provisioning stalled at thing " + i);
            }
            provisioned.add(provisionOne(prefix, i).whenComplete((outcome, error) -> inFlight.release()));
        }
        List<ThingCredentials> things = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Outcome<ProvisionedThing> outcome = provisioned.get(i).get(PROVISION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // A platform still busy with the scenario before may answer 503; the bench retries, one at a time.
            for (int retry = 0; retry < PROVISION_RETRIES && !outcome.isOk(); retry++) {
                Thread.sleep(PROVISION_RETRY_PAUSE_MILLIS);
                outcome = provisionOne(prefix, i).get(PROVISION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (outcome instanceof Outcome.Rejected<ProvisionedThing> no
                        && no.rejection().code() == CONFLICT) {
                    // The 503 came after the thing was written (its index failed): a new secret makes it usable.
                    outcome = store.things()
                            .rotateSecret(thingId(prefix, i))
                            .toCompletableFuture()
                            .get(PROVISION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
            }
            ProvisionedThing created = outcome.orElseThrow();
            things.add(new ThingCredentials(created.thing().thingId().value(), created.secret()));
        }
        return things;
    }

    private CompletableFuture<Outcome<ProvisionedThing>> provisionOne(String prefix, int i) {
        return store.things()
                .provision(
                        thingId(prefix, i), "speaker", Owner.of("%s-home-%05d".formatted(prefix, i / THINGS_PER_OWNER)))
                .toCompletableFuture();
    }

    private static ThingId thingId(String prefix, int i) {
        return ThingId.of("%s-%05d".formatted(prefix, i));
    }

    @Override
    public @NotNull String description() {
        return "ShadowMQ platform (HiveMQ CE + extension, Redis AOF everysec, rate limit " + updatesPerSecond
                + "/s per thing)";
    }

    @Override
    public @NotNull String host() {
        return HOST;
    }

    @Override
    public int mqttPort() {
        return mqttPort;
    }

    @Override
    public @NotNull OptionalLong redisPid() {
        return OptionalLong.of(redis.pid());
    }

    /** The REST base, {@code http://127.0.0.1:PORT}. */
    public @NotNull URI http() {
        return URI.create("http://" + HOST + ":" + service.port());
    }

    /**
     * How a store reaches this platform's Redis (its address and pepper, the store's defaults otherwise): for
     * scenarios that drive the store in this JVM ({@code search}).
     */
    public @NotNull StoreConfig storeConfig() {
        return storeConfig;
    }

    public @NotNull String adminToken() {
        return adminToken;
    }

    @Override
    public void close() throws Exception {
        // Reverse of start; every part is stopped even if one fails.
        try (redis;
                store;
                broker;
                service) {
            // closes service, broker, store, redis in that order
        }
    }

    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
