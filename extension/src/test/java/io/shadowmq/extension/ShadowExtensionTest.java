package io.shadowmq.extension;

import io.shadowmq.broker.FreePort;
import io.shadowmq.extension.harness.ExtensionThreads;
import io.shadowmq.extension.routing.FeedMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wiring object on its own: what it starts, that {@link ShadowExtension#close()} stops all of it, and that a
 * start failing at a late step stops what the earlier steps had started. The store points at a Redis that is not
 * there (the store connects lazily, and the shared-settings check keeps trying: its threads and Redisson's run).
 */
class ShadowExtensionTest {

    private final ExtensionThreads threads = ExtensionThreads.snapshot();
    private ShadowExtension.Installation installation;

    @BeforeEach
    void extensionFolder(@TempDir Path home, @TempDir Path data) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/config.xml"), """
                <shadowmq>
                    <redis><address>redis://127.0.0.1:%d</address><timeout-ms>300</timeout-ms></redis>
                    <pepper>unit-test-pepper</pepper>
                </shadowmq>
                """.formatted(FreePort.pick()));
        installation = new ShadowExtension.Installation(home, data, "test");
    }

    @Test
    void aStartThatFailsAtItsLastStepStopsEverythingTheEarlierStepsStarted() {
        BrokerStandIn broker = BrokerStandIn.failing("setClientLifecycleEventListener");

        assertThatThrownBy(() -> ShadowExtension.start(installation, broker.services(), Clock.systemUTC()))
                .isInstanceOfSatisfying(ShadowExtension.StartFailure.class, failure -> {
                    assertThat(failure.getMessage())
                            .startsWith("ShadowMQ could not start: registering the client "
                                    + "lifecycle listener with HiveMQ failed (java.lang.IllegalStateException: the broker "
                                    + "refused setClientLifecycleEventListener); stopped again: the presence sweep, ");
                    assertThat(failure.stopped())
                            .containsExactly(
                                    "the presence sweep",
                                    "the feed metrics",
                                    "the shared-settings check",
                                    "the shadow store");
                });

        assertThat(broker.calls()).endsWith("EventRegistry.setClientLifecycleEventListener");
        assertThat(broker.metrics().getNames()).noneMatch(name -> name.startsWith(FeedMetrics.THINGS_WATCHED));
        threads.awaitNoneLeft();
    }

    @Test
    void whenEvenGoingOutOfServiceFailsTheStartFailsWithNothingRunning() throws Exception {
        Files.writeString(installation.home().resolve("conf/config.xml"), "<shadowmq><nonsense/></shadowmq>");
        BrokerStandIn broker = BrokerStandIn.failing("setAuthenticatorProvider");

        assertThatThrownBy(() -> ShadowExtension.start(installation, broker.services(), Clock.systemUTC()))
                .isInstanceOf(ShadowExtension.StartFailure.class)
                .hasMessage("ShadowMQ could not start: registering the out-of-service authenticator with HiveMQ "
                        + "failed (java.lang.IllegalStateException: the broker refused setAuthenticatorProvider); "
                        + "nothing had been started");
        threads.awaitNoneLeft();
    }

    @Test
    void closeStopsEverythingAStartStarted() throws Exception {
        BrokerStandIn broker = BrokerStandIn.accepting();
        ShadowExtension running = ShadowExtension.start(installation, broker.services(), Clock.systemUTC());

        assertThat(running.outOfService()).isEmpty();
        assertThat(running.running())
                .containsExactly(
                        "the presence sweep", "the feed metrics", "the shared-settings check", "the shadow store");
        assertThat(broker.calls())
                .containsExactly(
                        "SecurityRegistry.setAuthenticatorProvider",
                        "SecurityRegistry.setAuthorizerProvider",
                        "InitializerRegistry.setClientInitializer",
                        "EventRegistry.setClientLifecycleEventListener");
        threads.awaitRunning("shadowmq-settings-check", "redisson-netty");
        assertThat(broker.metrics().getNames()).contains(FeedMetrics.THINGS_WATCHED);

        running.close();

        assertThat(running.running()).isEmpty();
        assertThat(broker.metrics().getNames()).doesNotContain(FeedMetrics.THINGS_WATCHED);
        threads.awaitNoneLeft();
    }

    @Test
    void anUnusableConfigurationLeavesItOutOfServiceWithNothingRunning() throws Exception {
        Files.writeString(
                installation.home().resolve("conf/config.xml"), "<shadowmq><pepper>x</pepper><nonsense/></shadowmq>");
        BrokerStandIn broker = BrokerStandIn.accepting();

        ShadowExtension outOfService = ShadowExtension.start(installation, broker.services(), Clock.systemUTC());

        assertThat(outOfService.outOfService())
                .hasValueSatisfying(problem -> assertThat(problem).contains("nonsense"));
        assertThat(outOfService.running()).isEmpty();
        assertThat(broker.calls()).containsExactly("SecurityRegistry.setAuthenticatorProvider");
        threads.awaitNoneLeft();
    }
}
