package io.shadowmq.sdk;

import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.model.shadow.ShadowPayloads;
import io.shadowmq.sdk.examples.CarSimulator;
import io.shadowmq.sdk.examples.DeviceSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulator runner over the fake connection (here, because the fake is package-private to the SDK): it reports
 * the device, acts on deltas and reports what time changes. The real broker is in the integration tests.
 */
class DeviceSimulatorTest {

    private static final String CAR = "things/car-1/shadow/";

    @Test
    void aSimulatedCarReportsItselfActsOnTheHeaterDeltaAndReportsTheCabinWarming() {
        // given: one real tick of 20 ms is a simulated minute
        FakeTransport broker = new FakeTransport();
        ShadowClient client = ShadowClient.builder().thing("car-1").secret("s").type("car").build(broker);
        List<String> narration = new CopyOnWriteArrayList<>();
        try (DeviceSimulator car = new DeviceSimulator(client, new CarSimulator(), 3000, Duration.ofMillis(20),
                narration::add)) {

            // when
            car.start();
            broker.connect();
            await().atMost(Duration.ofSeconds(5)).until(() -> !broker.publishedTo(CAR + "update").isEmpty());
            ShadowDocument wish = new ShadowDocument(obj("{}"), obj("{'cabin':{'heater':{'isOn':true}}}"),
                    obj("{}"), obj("{}"), 2, 1);
            broker.deliver(CAR + "update/delta", ShadowPayloads.delta(wish, 1));

            // then: the first update is the whole car, a later one says the heater is on, later ones it gets warmer
            assertThat(broker.publishedTo(CAR + "update").get(0).payload().at("/state/reported/range").asInt())
                    .isBetween(360, 372);
            await().atMost(Duration.ofSeconds(5)).until(() -> broker.publishedTo(CAR + "update").stream()
                    .anyMatch(update -> update.payload().at("/state/reported/cabin/temperature").asDouble() > 10));
            assertThat(broker.publishedTo(CAR + "update")).anySatisfy(update -> assertThat(
                    update.payload().at("/state/reported/cabin/heater/isOn").asBoolean()).isTrue());
            assertThat(narration).anyMatch(line -> line.startsWith("car-1 asked to {\"cabin\""));
        }
    }
}
