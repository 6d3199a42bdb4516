package io.shadowmq.service.summary;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/things/{id}/summary} against a real service and a real redis-server. */
class SummaryApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void theCarsSummarySpeaksRangeDoorsWindowsAndPresence() {
        String car = api.provision("car", "car", "alice");
        report(
                car,
                "{\"state\":{\"reported\":{\"range\":312,"
                        + "\"doors\":{\"frontLeft\":{\"isOpen\":false,\"isLocked\":true},"
                        + "\"frontRight\":{\"isOpen\":false,\"isLocked\":true},"
                        + "\"rearLeft\":{\"isOpen\":false,\"isLocked\":true},"
                        + "\"rearRight\":{\"isOpen\":false,\"isLocked\":true},"
                        + "\"trunk\":{\"isOpen\":false,\"isLocked\":true}},"
                        + "\"windows\":{\"rearLeft\":{\"isOpen\":true}}}}}");
        String aliceReader = api.key("[\"things:read\"]", "[\"alice\"]");

        Response english = api.sendAs(aliceReader, "GET", path(car) + "?lang=en", null);

        assertThat(english.status()).isEqualTo(200);
        JsonNode body = english.json();
        assertThat(body.get("thingId").asText()).isEqualTo(car);
        assertThat(body.get("lang").asText()).isEqualTo("en");
        assertThat(body.get("text").asText())
                .startsWith("Your car can drive 312 more kilometres. All doors are closed and locked; the rear left"
                        + " window is open. As of ")
                .endsWith("just now; the car is offline now.");
        assertThat(body.at("/facts/0/path").asText()).isEqualTo("range");
        assertThat(body.at("/facts/0/value").asInt()).isEqualTo(312);
        assertThat(body.at("/facts/0/unit").asText()).isEqualTo("km");
        assertThat(body.at("/facts/0/age").asLong()).isBetween(0L, 30L);

        service.store()
                .presence()
                .connected(ThingId.of(car), Owner.of("alice"), "node-t/run-1/1", System.currentTimeMillis())
                .toCompletableFuture()
                .join();
        Response german = api.sendAs(aliceReader, "GET", path(car) + "?lang=de&timezone=Europe/Berlin", null);
        assertThat(german.status()).isEqualTo(200);
        assertThat(german.json().get("text").asText())
                .startsWith("Dein Auto kann noch 312 Kilometer fahren.")
                .endsWith("das Auto ist online.");
    }

    @Test
    void aThingWithoutShadowStillSaysWhetherItIsConnected() {
        String speaker = api.provision("speaker", "speaker", "alice");

        Response chinese = api.get(path(speaker) + "?lang=zh");

        assertThat(chinese.status()).isEqualTo(200);
        assertThat(chinese.json().get("text").asText()).isEqualTo("音箱现在离线。");
        assertThat(chinese.json().get("facts")).isEmpty();
    }

    @Test
    void anUnknownLanguageOrTimeZoneIs400NamingTheField() {
        String car = api.provision("car", "car", "alice");

        Response lang = api.get(path(car) + "?lang=fr");
        Response zone = api.get(path(car) + "?timezone=Mars/Olympus");

        assertThat(lang.status()).isEqualTo(400);
        assertThat(lang.json().get("detail").asText()).isEqualTo("lang: 'fr' is not supported; use one of en, de, zh");
        assertThat(zone.status()).isEqualTo(400);
        assertThat(zone.json().get("detail").asText()).startsWith("timezone: 'Mars/Olympus'");
    }

    @Test
    void anotherHouseholdsThingIs404AndAKeyWithoutReadScopeIs403() {
        String car = api.provision("car", "car", "alice");
        String bobReader = api.key("[\"things:read\"]", "[\"bob\"]");
        String aliceWriter = api.key("[\"things:write\"]", "[\"alice\"]");

        Response foreign = api.sendAs(bobReader, "GET", path(car), null);
        Response missing = api.sendAs(bobReader, "GET", path("ghost-" + System.nanoTime()), null);
        Response noScope = api.sendAs(aliceWriter, "GET", path(car), null);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("detail").asText()).isEqualTo("no thing " + car);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(noScope.status()).isEqualTo(403);
        assertThat(api.sendAs(null, "GET", path(car), null).status()).isEqualTo(401);
    }

    private void report(String thing, String json) {
        service.report(thing, json);
    }

    private static String path(String thing) {
        return "/api/v1/things/" + thing + "/summary";
    }
}
