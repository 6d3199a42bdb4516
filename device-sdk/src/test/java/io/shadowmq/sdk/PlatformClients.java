package io.shadowmq.sdk;

import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Clients of provisioned things against the test platform, and everything else a test opens (network relays, raw
 * devices, simulators), closed after each test: the clients first, then the rest in the order opened. Shared by the
 * SDK's and the examples' integration tests.
 *
 * <pre>{@code
 * @RegisterExtension final PlatformClients clients = new PlatformClients(platform);
 * ShadowClient car = clients.client(platform.provision("car", owner), builder -> builder);
 * }</pre>
 */
public final class PlatformClients implements AfterEachCallback {

    /** How long an integration test waits for something that happens over the network. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final ShadowPlatform platform;
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    public PlatformClients(ShadowPlatform platform) {
        this.platform = platform;
    }

    /** A client of {@code thing} on the platform's broker, quick to reconnect, not yet connected. */
    public ShadowClient client(ProvisionedThing thing, UnaryOperator<ShadowClientBuilder> configure) {
        ShadowClientBuilder builder = ShadowClient.builder()
                .host(platform.broker().host())
                .port(platform.broker().port())
                .thing(thing.thing().thingId().value())
                .secret(thing.secret())
                .type(thing.thing().type())
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500));
        ShadowClient client = configure.apply(builder).build();
        opened.add(0, client);
        return client;
    }

    /** Closes {@code resource} after the test. */
    public <T extends AutoCloseable> T close(T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
        opened.clear();
    }
}
