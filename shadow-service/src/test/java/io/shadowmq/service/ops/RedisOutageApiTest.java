package io.shadowmq.service.ops;

import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisOutageApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void withRedisDownRequestsAnswer503WithRetryAfterAndTheServiceRecovers() throws Exception {
        String car = api.provision("car", "car", "alice");
        String reader = api.key("[\"things:read\"]", "[\"alice\"]");

        service.redis().stop();
        long started = System.nanoTime();
        Response shadow = api.send(
                "PATCH",
                "/api/v1/things/" + car + "/shadow",
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        Response thing = api.get("/api/v1/things/" + car);
        Response ready = api.sendAs(null, "GET", "/health/ready", null);
        Response live = api.sendAs(null, "GET", "/health/live", null);
        Response keyLookup = api.sendAs(reader + "x", "GET", "/api/v1/things/" + car, null);

        assertThat(shadow.status()).isEqualTo(503);
        assertThat(shadow.header("Retry-After")).contains("1");
        assertThat(shadow.contentType()).startsWith("application/problem+json");
        assertThat(tookMillis).as("a 503 in time, not a hung request").isLessThan(4000);
        assertThat(thing.status()).isEqualTo(503);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.header("Retry-After")).contains("1");
        assertThat(live.status()).as("the process itself is fine").isEqualTo(200);
        assertThat(keyLookup.status())
                .as("an unknown key cannot be told from a valid one without Redis")
                .isEqualTo(503);

        service.redis().restart(); // no data dir: Redis comes back empty

        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.sendAs(null, "GET", "/health/ready", null).status() == 200);
        String after = api.provision("car", "car", "alice");
        assertThat(api.send(
                                "PATCH",
                                "/api/v1/things/" + after + "/shadow",
                                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}")
                        .status())
                .isEqualTo(200);
    }
}
