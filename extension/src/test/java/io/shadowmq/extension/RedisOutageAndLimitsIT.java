package io.shadowmq.extension;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.shadowmq.extension.harness.ConnectAttempt;
import io.shadowmq.extension.harness.ShadowPlatform;
import io.shadowmq.extension.harness.TestDevice;
import io.shadowmq.store.registry.ProvisionedThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The default rate limit, and Redis going away and coming back under a live broker. */
class RedisOutageAndLimitsIT {

    @RegisterExtension
    static final ShadowPlatform platform = new ShadowPlatform(20, 40);

    private static String topic(ProvisionedThing thing, String suffix) {
        return "things/" + thing.thing().thingId() + "/shadow/" + suffix;
    }

    @Test
    void updatesBeyondTheBurstAreRejectedWith429() throws Exception {
        ProvisionedThing speaker = platform.provision("speaker", "gina");
        try (TestDevice device = TestDevice.connect(platform.broker(), speaker)) {
            device.subscribe(topic(speaker, "update/rejected"));
            for (int i = 0; i < 60; i++) {
                device.publishAsync(topic(speaker, "update"), "{\"state\":{\"reported\":{\"volume\":" + i + "}}}");
            }

            TestDevice.Received limited = device.next(topic(speaker, "update/rejected"));
            assertThat(limited.payload().get("code").asInt()).isEqualTo(429);
            assertThat(limited.payload().get("message").asText()).contains("20 updates/s per thing, burst 40");
        }
    }

    @Test
    void withRedisDownRequestsAre503AndConnectsRefusedThenEverythingRecovers() throws Exception {
        ProvisionedThing fridge = platform.provision("fridge", "hank");
        String id = fridge.thing().thingId().value();
        try (TestDevice device = TestDevice.connect(platform.broker(), fridge)) {
            device.subscribe(topic(fridge, "+/rejected"));
            device.subscribe(topic(fridge, "+/accepted"));

            platform.redis().stop();

            device.publish(
                    topic(fridge, "update"), "{\"state\":{\"reported\":{\"temperature\":4}},\"clientToken\":\"down\"}");
            TestDevice.Received unavailable = device.next(topic(fridge, "update/rejected"));
            assertThat(unavailable.payload().get("code").asInt()).isEqualTo(503);
            assertThat(unavailable.payload().get("clientToken").asText()).isEqualTo("down");
            // A new device cannot get in while its secret cannot be checked (fail closed), after the cache drops it.
            ProvisionedThing unknownToCache = new ProvisionedThing(
                    new io.shadowmq.store.registry.ThingRecord(
                            io.shadowmq.model.thing.ThingId.of("never-seen-1"),
                            "car",
                            io.shadowmq.model.thing.Owner.of("hank"),
                            0),
                    "x".repeat(43));
            assertThat(ConnectAttempt.mqtt5(platform.broker(), "never-seen-1", "never-seen-1", unknownToCache.secret())
                            .getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);

            platform.redis().restart();

            boolean recovered = false;
            for (int attempt = 0; attempt < 40 && !recovered; attempt++) {
                device.publish(topic(fridge, "update"), "{\"state\":{\"reported\":{\"temperature\":5}}}");
                recovered = device.receivedWithin(topic(fridge, "update/accepted"), 500);
            }
            assertThat(recovered)
                    .as("updates are accepted again once Redis is back")
                    .isTrue();
            assertThat(ConnectAttempt.mqtt5(platform.broker(), id, id, fridge.secret())
                            .getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        }
    }
}
