package io.shadowmq.sdk.examples;

import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.sdk.CommandState;
import io.shadowmq.sdk.CommandStatus;
import io.shadowmq.sdk.HouseholdThing;
import io.shadowmq.sdk.InvokedCommand;
import io.shadowmq.sdk.PlatformClients;
import io.shadowmq.sdk.ShadowClient;
import io.shadowmq.sdk.ShadowState;
import io.shadowmq.sdk.TestJson;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.shadowmq.sdk.PlatformClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulator runner against the real platform (embedded HiveMQ CE with the packaged extension, a real Redis): it
 * reports the whole device, acts on a delta and reports what time changes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceSimulatorIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform();

    @RegisterExtension
    final PlatformClients clients = new PlatformClients(platform);

    @Test
    void theSimulatedCarWarmsItsCabinWhenTheHeaterIsSwitchedOnFromHome() {
        // given: a simulated car where a real 50 ms tick is a simulated minute, and the household's speaker with the
        // owner's grant to switch its heater
        String owner = household();
        ProvisionedThing carThing = platform.provision("car", owner);
        List<String> narration = new CopyOnWriteArrayList<>();
        simulate(carThing, new CarSimulator(), 1200, narration::add);
        ProvisionedThing speakerThing = platform.provision("speaker", owner);
        platform.grantWrite(speakerThing, carThing, "cabin.heater.**"); // the heater is household read
        HouseholdThing carFromHome =
                connected(speakerThing).thing(carThing.thing().thingId().value(), "car");
        await().atMost(WAIT)
                .until(() -> carFromHome.getAsync().join().reported().has("range"));

        // when
        carFromHome
                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("isOn", true, "targetTemperature", 21))))
                .join();

        // then: the car reports the heater on, and a cabin that warms up to the target
        await().atMost(WAIT).untilAsserted(() -> {
            ShadowState seen = carFromHome.getAsync().join();
            assertThat(seen.reported().at("/cabin/heater/isOn").asBoolean()).isTrue();
            assertThat(seen.reported().at("/cabin/temperature").asDouble()).isEqualTo(21.0);
            assertThat(seen.delta()).isEmpty();
        });
        assertThat(narration)
                .anyMatch(line -> line.startsWith(carThing.thing().thingId().value() + " asked to {"));
    }

    @Test
    void theSimulatedWasherRunsAStartInvokedFromTheCarWithProgressToSucceeded() {
        // given: a simulated washer where a real 50 ms tick is 1.5 simulated minutes, so quick (30 min) takes 1 s
        String owner = household();
        ProvisionedThing washerThing = platform.provision("washer", owner);
        simulate(washerThing, new WasherSimulator(), 1800, line -> {});
        HouseholdThing washerFromCar = connected(platform.provision("car", owner))
                .thing(washerThing.thing().thingId().value(), "washer");

        // when
        InvokedCommand start = washerFromCar
                .invoke("start", Map.of("program", "quick"))
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        CommandState last = start.finalState().orTimeout(20, TimeUnit.SECONDS).join();

        // then: it ran with progress to succeeded, with the program's time as output, and the washer says finished
        assertThat(last.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(last.output()).isEqualTo(TestJson.obj("{'minutes':30}"));
        assertThat(start.states())
                .anySatisfy(state -> assertThat(state.progress()).isPresent());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(washerFromCar
                                .getAsync()
                                .join()
                                .reported()
                                .path("state")
                                .asText())
                        .isEqualTo("finished"));
    }

    @Test
    void theSimulatedCarRejectsTheHeaterBelowTenPercentFuel() {
        // given: a car with 8 % fuel left
        String owner = household();
        ProvisionedThing carThing = platform.provision("car", owner);
        simulate(carThing, new CarSimulator(new CabinState(-2.0, -2.0, false, 21.0), 8.0), 60, line -> {});
        ProvisionedThing speakerThing = platform.provision("speaker", owner);
        platform.grantWrite(speakerThing, carThing, "cabin.heater.**"); // the heater is household read
        HouseholdThing carFromHome =
                connected(speakerThing).thing(carThing.thing().thingId().value(), "car");
        await().atMost(WAIT)
                .until(() -> carFromHome.getAsync().join().reported().has("range"));

        // when
        carFromHome
                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("isOn", true))))
                .join();

        // then: the wish leaves desired with the outcome rejected and the car's reason; the heater stays off
        await().atMost(WAIT).untilAsserted(() -> {
            ShadowState seen = carFromHome.getAsync().join();
            assertThat(seen.desired().at("/cabin/heater/isOn").isMissingNode()).isTrue();
            assertThat(seen.desiredOutcomes()
                            .path("cabin.heater.isOn")
                            .path("status")
                            .asText())
                    .isEqualTo("rejected");
            assertThat(seen.desiredOutcomes()
                            .path("cabin.heater.isOn")
                            .path("reason")
                            .asText())
                    .isEqualTo("fuel below 10 %");
            assertThat(seen.reported().at("/cabin/heater/isOn").asBoolean()).isFalse();
        });
    }

    private static String household() {
        return "owner-" + Long.toString(System.nanoTime(), 36);
    }

    /** Runs {@code device} as {@code thing}, a real 50 ms tick being {@code timeScale} times as long, until the end. */
    private void simulate(ProvisionedThing thing, SimulatedDevice device, double timeScale, Consumer<String> narrator) {
        clients.close(new DeviceSimulator(
                        clients.client(thing, builder -> builder), device, timeScale, Duration.ofMillis(50), narrator))
                .start()
                .join();
    }

    private ShadowClient connected(ProvisionedThing thing) {
        ShadowClient client = clients.client(thing, builder -> builder);
        client.connect().orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }
}
