package io.shadowmq.service.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowLimits;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.shadow.UpdateRequest;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PATCH with ttlSeconds, and what became of desired values in GET's desiredOutcomes. */
class DesiredOutcomesApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private static final String HEATER_ON = "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}";

    private final Api api = service.api();

    @Test
    void patchWithTtlSecondsStampsWhoAndUntilWhen() {
        String car = api.provision("car", "car", "alice");

        Response patched = api.send("PATCH", path(car), HEATER_ON + ",\"ttlSeconds\":600}");

        assertThat(patched.status()).isEqualTo(200);
        JsonNode leaf = patched.json().at("/metadata/desired/cabin/heater/isOn");
        assertThat(leaf.get("setBy").textValue()).isEqualTo("admin");
        assertThat(leaf.get("expiresAt").longValue())
                .isEqualTo(leaf.get("timestamp").longValue() + 600_000);
        assertThat(patched.json().get("desiredOutcomes").isEmpty()).isTrue();
    }

    @Test
    void anApiKeySetsDesiredValuesUnderItsName() {
        String car = api.provision("car", "car", "alice");
        Response created = api.send(
                "POST",
                "/api/v1/keys",
                "{\"name\":\"kitchen tablet\",\"scopes\":[\"things:read\",\"things:write\"],\"owners\":[\"alice\"]}");
        String token = created.json().get("token").asText();

        Response patched = api.sendAs(token, "PATCH", path(car), HEATER_ON + "}");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json()
                        .at("/metadata/desired/cabin/heater/isOn/setBy")
                        .textValue())
                .isEqualTo("kitchen tablet");
    }

    @Test
    void ttlSecondsOutsideOneSecondToSevenDaysAndRejectDesiredAre400() {
        String car = api.provision("car", "car", "alice");

        Response zero = api.send("PATCH", path(car), HEATER_ON + ",\"ttlSeconds\":0}");
        Response tooLong = api.send("PATCH", path(car), HEATER_ON + ",\"ttlSeconds\":604801}");
        Response refusal =
                api.send("PATCH", path(car), "{\"rejectDesired\":{\"cabin.heater.isOn\":\"not from here\"}}");

        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().get("detail").asText())
                .isEqualTo("ttlSeconds: must be between 1 and 604800 seconds (7 days), was 0");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.json().get("detail").asText())
                .startsWith("rejectDesired: only the thing itself refuses its desired values, over MQTT");
    }

    @Test
    void getShowsTheAppliedAndTheRejectedOutcomes() {
        String car = api.provision("car", "car", "alice");
        api.send(
                "PATCH",
                path(car),
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true,\"targetTemperature\":22}}}}}");

        asTheCar(car, "{\"state\":{\"reported\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");
        asTheCar(car, "{\"rejectDesired\":{\"cabin.heater.targetTemperature\":\"battery below 10 %\"}}");
        Response shadow = api.get(path(car));

        assertThat(shadow.status()).isEqualTo(200);
        assertThat(shadow.json().at("/state/desired").isEmpty()).isTrue();
        JsonNode outcomes = shadow.json().get("desiredOutcomes");
        assertThat(outcomes.at("/cabin.heater.isOn/status").textValue()).isEqualTo("applied");
        assertThat(outcomes.at("/cabin.heater.isOn/setBy").textValue()).isEqualTo("admin");
        assertThat(outcomes.at("/cabin.heater.targetTemperature/status").textValue())
                .isEqualTo("rejected");
        assertThat(outcomes.at("/cabin.heater.targetTemperature/value").intValue())
                .isEqualTo(22);
        assertThat(outcomes.at("/cabin.heater.targetTemperature/reason").textValue())
                .isEqualTo("battery below 10 %");
    }

    @Test
    void theServiceSweepsExpiredValuesWithNoBrokerRunning() {
        String car = api.provision("car", "car", "alice");
        long version = api.send("PATCH", path(car), HEATER_ON + ",\"ttlSeconds\":1}")
                .json()
                .get("version")
                .asLong();

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "expired"
                        .equals(api.get(path(car), "Cache-Control", "no-cache")
                                .json()
                                .at("/desiredOutcomes/cabin.heater.isOn/status")
                                .asText()));

        JsonNode shadow = api.get(path(car), "Cache-Control", "no-cache").json();
        assertThat(shadow.at("/state/desired").isEmpty()).isTrue();
        assertThat(shadow.get("version").asLong()).isEqualTo(version + 1);
    }

    private void asTheCar(String thing, String json) {
        Outcome<UpdateRequest> request =
                ShadowRequests.parseUpdate(json.getBytes(StandardCharsets.UTF_8), ShadowLimits.DEFAULT);
        ThingId car = ThingId.of(thing);
        UpdateOutcome outcome = service.store()
                .shadows()
                .update(car, Requester.thing(car), request.orElseThrow())
                .toCompletableFuture()
                .join();
        assertThat(outcome).isInstanceOf(UpdateOutcome.Accepted.class);
    }

    private static String path(String thing) {
        return "/api/v1/things/" + thing + "/shadow";
    }
}
