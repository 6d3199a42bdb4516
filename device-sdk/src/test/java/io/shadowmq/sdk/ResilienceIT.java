package io.shadowmq.sdk;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SDK through a broker restart and under the platform's real rate limit (20 updates/s per thing, burst 40), on
 * a platform of its own: restarting the broker would disturb other test classes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResilienceIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform(20, 40);

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<ShadowClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(ShadowClient::close);
    }

    @Test
    void theDeviceSurvivesABrokerRestartWithItsReportsAndTheWishMadeMeanwhile() throws Exception {
        // given
        ProvisionedThing carThing = platform.provision("car", "restart-household");
        List<ShadowDelta> deltas = new CopyOnWriteArrayList<>();
        ShadowClient car = connected(carThing, deltas);
        long before = car.reportAsync(Map.of("range", 400)).join().version();

        // when: the broker goes down; the car keeps reporting, someone sets the heater through the platform's store
        // (as the REST service would), and the broker comes back
        platform.broker().stop();
        await().atMost(WAIT).until(() -> !car.isConnected());
        CompletableFuture<UpdateAccepted> first = car.reportAsync(Map.of("range", 395));
        CompletableFuture<UpdateAccepted> second = car.reportAsync(Map.of("range", 390, "fuel", Map.of("level", 64.0)));
        UpdateOutcome wish = platform.store()
                .shadows()
                .update(
                        carThing.thing().thingId(),
                        Requester.admin(),
                        UpdateRequest.of(
                                MissingNode.getInstance(), obj("{'cabin':{'heater':{'isOn':true}}}"), null, null))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        long wishVersion = ((UpdateOutcome.Accepted) wish).current().version();
        assertThat(wishVersion).isEqualTo(before + 1);
        platform.broker().start();

        // then: the buffered reports went out as one update after the wish, and the wish reached the device once
        UpdateAccepted accepted = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(second.join()).isEqualTo(accepted);
        assertThat(accepted.version()).isEqualTo(wishVersion + 1);
        await().atMost(WAIT).until(() -> !deltas.isEmpty());
        // a later wish as a fence: a second copy of the first one would have reached the device before it
        platform.store()
                .shadows()
                .update(
                        carThing.thing().thingId(),
                        Requester.admin(),
                        UpdateRequest.of(
                                MissingNode.getInstance(),
                                obj("{'cabin':{'heater':{'targetTemperature':22}}}"),
                                null,
                                null))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> deltas.size() >= 2);
        assertThat(deltas).hasSize(2).first().satisfies(delta -> {
            assertThat(delta.version()).isEqualTo(wishVersion);
            assertThat(delta.state()).isEqualTo(obj("{'cabin':{'heater':{'isOn':true}}}"));
        });
        ShadowState document = car.getAsync().join();
        assertThat(document.reported()).isEqualTo(obj("{'range':390,'fuel':{'level':64.0}}"));
        assertThat(car.isConnected()).isTrue();
    }

    @Test
    void aDeviceReportingAsFastAsItCanIsPacedInsteadOfRateLimited() {
        // given
        ShadowClient car = connected(platform.provision("car", "pacing-household"), new ArrayList<>());

        // when: 300 reports in a tight loop, far over 20 per second
        List<CompletableFuture<UpdateAccepted>> reports = new ArrayList<>();
        for (int range = 0; range < 300; range++) {
            reports.add(car.reportAsync(Map.of("range", range)));
        }

        // then: none refused with 429, and the last value is what the shadow holds
        CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new))
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
        ShadowState document = car.getAsync().join();
        assertThat(document.reported().get("range").asInt()).isEqualTo(299);
        assertThat(document.version())
                .as("reports waiting for the pacer were coalesced")
                .isLessThan(100);
    }

    private ShadowClient connected(ProvisionedThing thing, List<ShadowDelta> deltas) {
        ShadowClient client = ShadowClient.builder()
                .host(platform.broker().host())
                .port(platform.broker().port())
                .thing(thing.thing().thingId().value())
                .secret(thing.secret())
                .type(thing.thing().type())
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500))
                .build();
        clients.add(client);
        client.onDelta(deltas::add);
        client.connect().orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }
}
