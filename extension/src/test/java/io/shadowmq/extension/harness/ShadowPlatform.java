package io.shadowmq.extension.harness;

import io.shadowmq.broker.FreePort;
import io.shadowmq.model.access.Grant;
import io.shadowmq.model.access.GrantRequest;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.store.Pepper;
import io.shadowmq.store.ShadowStore;
import io.shadowmq.store.StoreConfig;
import io.shadowmq.store.registry.ProvisionedThing;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole device side for one test class: a real Redis server, a real embedded HiveMQ loading the packaged
 * extension (pointed at that Redis), and a store client with the same pepper for provisioning things — what an
 * operator's REST call would do.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ShadowPlatform platform = new ShadowPlatform();
 * ProvisionedThing car = platform.provision("car", "alice");
 * }</pre>
 */
public final class ShadowPlatform implements BeforeAllCallback, AfterAllCallback {

    public static final String PEPPER = "integration-test-pepper";
    private static final AtomicInteger ids = new AtomicInteger();

    private final java.nio.file.Path redisData = tempDir();
    private final RedisServerProcess redis;
    private final EmbeddedBroker broker;
    private final String extensionConfigXml;
    private ShadowStore store;

    /** A platform whose rate limit is far above the default (tests send bursts; the limiter has its own tests). */
    public ShadowPlatform() {
        this(100_000, 100_000);
    }

    /** A platform with the given per-thing rate limit (the default is 20/s, burst 40). */
    public ShadowPlatform(int updatesPerSecond, int burst) {
        this(updatesPerSecond, burst, "");
    }

    /**
     * A platform whose password-guessing brake is quick to engage and to lift, e.g. {@code withAuthFailureBrake(3, 6, 2)}:
     * 3 failures from one address for one thing id, or 6 for any, refuse that address for 2 s.
     */
    public static @NotNull ShadowPlatform withAuthFailureBrake(
            int failureLimit, int sourceFailureLimit, int blockSeconds) {
        return withAuthentication("""
                <authentication>
                    <failure-limit>%d</failure-limit>
                    <source-failure-limit>%d</source-failure-limit>
                    <block-seconds>%d</block-seconds>
                </authentication>
                """.formatted(failureLimit, sourceFailureLimit, blockSeconds));
    }

    /** A platform whose extension config also has {@code authenticationXml}, an {@code <authentication>} section. */
    public static @NotNull ShadowPlatform withAuthentication(@NotNull String authenticationXml) {
        return new ShadowPlatform(100_000, 100_000, authenticationXml);
    }

    private ShadowPlatform(int updatesPerSecond, int burst, String authenticationXml) {
        int redisPort = freePort();
        // An append-only file, so a test that restarts Redis finds its things again, as in production.
        this.redis =
                RedisServerProcess.builder().port(redisPort).dataDir(redisData).build();
        this.extensionConfigXml = """
                <shadowmq>
                    <redis>
                        <address>redis://127.0.0.1:%d</address>
                        <timeout-ms>1000</timeout-ms>
                    </redis>
                    <pepper>%s</pepper>
                    <shadow>
                        <updates-per-second>%d</updates-per-second>
                        <update-burst>%d</update-burst>
                    </shadow>
                    %s
                </shadowmq>
                """.formatted(redisPort, PEPPER, updatesPerSecond, burst, authenticationXml);
        this.broker = EmbeddedBroker.withExtensionConfig(extensionConfigXml);
    }

    /**
     * Another broker node of the same platform (same Redis, pepper and settings), not started: register it as a JUnit
     * extension after this one ({@code @Order}), as two HiveMQ nodes behind one load balancer would be.
     */
    public @NotNull EmbeddedBroker anotherBroker() {
        return EmbeddedBroker.withExtensionConfig(extensionConfigXml);
    }

    @Override
    public void beforeAll(@NotNull ExtensionContext context) throws Exception {
        redis.start();
        broker.beforeAll(context);
        // Started is not yet serving: the shared settings are checked against Redis first (slow on a busy machine),
        // and until then every CONNECT is refused with 0x88.
        broker.log().await("ShadowMQ extension serving");
        store = ShadowStore.connect(
                StoreConfig.of(redis.uri(), Pepper.parse(PEPPER)).withTimeout(Duration.ofSeconds(2)),
                ThingModels.bundled());
    }

    @Override
    public void afterAll(@NotNull ExtensionContext context) throws Exception {
        try {
            if (store != null) {
                store.close();
            }
            broker.afterAll(context);
        } finally {
            redis.stop();
            try (var files = java.nio.file.Files.walk(redisData)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Provisions a thing with a fresh id (tests never share state) and returns it with its secret. */
    public @NotNull ProvisionedThing provision(@NotNull String type, @NotNull String owner) {
        ThingId thing = ThingId.of(type + "-" + ids.incrementAndGet() + "-" + System.nanoTime() % 1_000_000);
        try {
            return store.things()
                    .provision(thing, type, Owner.of(owner))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException("could not provision " + thing, e);
        }
    }

    /**
     * Grants {@code grantee} writing {@code write} (path patterns) in {@code target}'s desired state, as the owner's
     * REST call would ({@code POST /api/v1/owners/{owner}/grants}); answers the grant, whose id revokes it.
     */
    public @NotNull Grant grantWrite(
            @NotNull ProvisionedThing grantee, @NotNull ProvisionedThing target, @NotNull String... write) {
        GrantRequest request = new GrantRequest(
                grantee.thing().thingId().value(),
                target.thing().thingId().value(),
                List.of(),
                List.of(write),
                List.of(),
                null);
        try {
            return store.grants()
                    .create(target.thing().owner(), request, Requester.admin())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException("could not grant " + request, e);
        }
    }

    /** Revokes a grant of {@link #grantWrite}. */
    public void revoke(@NotNull Grant grant) {
        try {
            store.grants()
                    .revoke(grant.owner(), grant.id(), Requester.admin())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException("could not revoke " + grant.id(), e);
        }
    }

    public @NotNull ShadowStore store() {
        return store;
    }

    public @NotNull EmbeddedBroker broker() {
        return broker;
    }

    public @NotNull RedisServerProcess redis() {
        return redis;
    }

    private static java.nio.file.Path tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("shadowmq-redis-it-");
        } catch (IOException e) {
            throw new IllegalStateException("no temp dir", e);
        }
    }

    private static int freePort() {
        try {
            return FreePort.pick();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
