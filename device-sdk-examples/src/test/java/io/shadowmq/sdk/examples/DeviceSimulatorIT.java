package io.shadowmq.sdk.examples;

import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.sdk.HouseholdThing;
import io.shadowmq.sdk.PlatformClients;
import io.shadowmq.sdk.ShadowClient;
import io.shadowmq.sdk.ShadowState;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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
        // given: a simulated car where a real 50 ms tick is a simulated minute, and the household's speaker
        String owner = "owner-" + Long.toString(System.nanoTime(), 36);
        ProvisionedThing carThing = platform.provision("car", owner);
        List<String> narration = new CopyOnWriteArrayList<>();
        DeviceSimulator car = clients.close(new DeviceSimulator(
                clients.client(carThing, builder -> builder),
                new CarSimulator(),
                1200,
                Duration.ofMillis(50),
                narration::add));
        car.start().join();
        ShadowClient speaker = clients.client(platform.provision("speaker", owner), builder -> builder);
        speaker.connect().orTimeout(10, TimeUnit.SECONDS).join();
        HouseholdThing carFromHome = speaker.thing(carThing.thing().thingId().value(), "car");
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
}
