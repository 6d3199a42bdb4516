package io.shadowmq.service.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import io.shadowmq.service.ShadowService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Household schedules through HTTP, fired by the sweepers of two services on one Redis. */
class ScheduleApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    private static String schedules(String owner) {
        return "/api/v1/owners/" + owner + "/schedules";
    }

    private void reportExteriorTemperature(String car, double celsius) {
        var request = ShadowRequests.parseUpdate(
                        ("{\"state\":{\"reported\":{\"exteriorTemperature\":" + celsius + "}}}")
                                .getBytes(StandardCharsets.UTF_8),
                        service.store().shadows().limits())
                .orElseThrow();
        service.store()
                .shadows()
                .update(ThingId.of(car), Requester.thing(ThingId.of(car)), request)
                .toCompletableFuture()
                .join();
    }

    /** A cron (with seconds) for one occurrence a few seconds from now, UTC. */
    private static String cronInSeconds(int seconds) {
        ZonedDateTime at = Instant.now().plusSeconds(seconds).atZone(ZoneOffset.UTC);
        return at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " " + at.getDayOfMonth() + " "
                + at.getMonthValue() + " *";
    }

    private String heaterSchedule(String car, String cron, String when) {
        return "{\"name\":\"winter mornings\",\"timezone\":\"UTC\",\"cron\":\"" + cron + "\",\"target\":\"" + car
                + "\",\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}" + when + "}";
    }

    @Test
    void aScheduleFiresOnceWithTwoServicesAndIsSkippedWhenItsConditionIsFalse() {
        String owner = Api.fresh("household");
        String cold = api.provision("car", "car", owner);
        String mild = api.provision("car", "car", owner);
        reportExteriorTemperature(cold, 1.5);
        reportExteriorTemperature(mild, 9);
        String when = ",\"when\":{\"path\":\"exteriorTemperature\",\"below\":5}";

        try (ShadowService second = ShadowService.start(service.config().build())) {
            Api other = new Api(second.port(), ServiceExtension.ADMIN_TOKEN);
            Response created = api.send("POST", schedules(owner), heaterSchedule(cold, cronInSeconds(3), when));
            Response skipped = other.send("POST", schedules(owner), heaterSchedule(mild, cronInSeconds(3), when));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(skipped.status()).isEqualTo(201);
            String id = created.json().get("id").asText();
            assertThat(created.header("Location")).contains(schedules(owner) + "/" + id);
            String runs = schedules(owner) + "/" + id + "/runs";

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> api.get(runs).json().get("runs").size() == 1);
            // both services keep sweeping: still one run, and one desired write
            await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            JsonNode fired = other.get(runs).json().get("runs");
            assertThat(fired.size()).isEqualTo(1);
            assertThat(fired.get(0).get("status").asText()).isEqualTo("fired");
            assertThat(fired.get(0).get("value").asDouble()).isEqualTo(1.5);
            JsonNode shadow = api.get("/api/v1/things/" + cold + "/shadow").json();
            assertThat(fired.get(0).get("version").asLong())
                    .isEqualTo(shadow.get("version").asLong());
            assertThat(shadow.at("/metadata/desired/cabin/heater/isOn/setBy").asText())
                    .isEqualTo("schedule:winter mornings");

            String skippedRuns =
                    schedules(owner) + "/" + skipped.json().get("id").asText() + "/runs";
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> api.get(skippedRuns).json().get("runs").size() == 1);
            JsonNode skip = api.get(skippedRuns).json().get("runs").get(0);
            assertThat(skip.get("status").asText()).isEqualTo("skipped");
            assertThat(skip.get("reason").asText()).isEqualTo("exteriorTemperature is 9.0, not below 5");
        }
    }

    @Test
    void listGetPatchAndDelete() {
        String owner = Api.fresh("household");
        String car = api.provision("car", "car", owner);
        String id = api.send(
                        "POST",
                        schedules(owner),
                        "{\"name\":\"winter mornings\",\"timezone\":\"Europe/Berlin\",\"at\":\"06:30\","
                                + "\"days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"],\"months\":[11,12,1,2,3],"
                                + "\"target\":\"" + car + "\",\"action\":{\"name\":\"startClimatization\","
                                + "\"input\":{\"targetTemperature\":21}}}")
                .json()
                .get("id")
                .asText();

        JsonNode listed = api.get(schedules(owner)).json().get("schedules");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("days").toString()).isEqualTo("[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"]");
        assertThat(listed.get(0).get("months").toString()).isEqualTo("[1,2,3,11,12]");
        Response patched = api.send(
                "PATCH", schedules(owner) + "/" + id, "{\"enabled\":false}", "Content-Type", "application/json");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("enabled").asBoolean()).isFalse();
        assertThat(api.get(schedules(owner) + "/" + id).json().get("enabled").asBoolean())
                .isFalse();
        assertThat(api.get(schedules(owner) + "/" + id + "/runs")
                        .json()
                        .get("runs")
                        .size())
                .isZero();

        assertThat(api.send("DELETE", schedules(owner) + "/" + id, null).status())
                .isEqualTo(204);
        assertThat(api.get(schedules(owner) + "/" + id).status()).isEqualTo(404);
        assertThat(api.send("DELETE", schedules(owner) + "/" + id, null).status())
                .isEqualTo(404);
    }

    @Test
    void badSchedulesAre422NamingTheFieldAndOtherHouseholdsAre404() {
        String owner = Api.fresh("household");
        String car = api.provision("car", "car", owner);

        Response late = api.send(
                "POST", schedules(owner), heaterSchedule(car, "x", "").replace("\"cron\":\"x\"", "\"at\":\"25:00\""));
        Response zone = api.send(
                "POST",
                schedules(owner),
                heaterSchedule(car, "0 30 6 * * *", "").replace("\"UTC\"", "\"Mars/Base\""));
        Response path = api.send(
                "POST",
                schedules(owner),
                heaterSchedule(car, "0 30 6 * * *", ",\"when\":{\"path\":\"nope\",\"below\":1}"));
        Response day = api.send(
                "POST",
                schedules(owner),
                heaterSchedule(car, "x", "").replace("\"cron\":\"x\"", "\"at\":\"06:30\",\"days\":[\"MON\",\"XYZ\"]"));
        Response stranger =
                api.send("POST", schedules(Api.fresh("household")), heaterSchedule(car, "0 30 6 * * *", ""));
        String readOnly = api.key("[\"things:read\",\"things:write\"]", "[\"" + owner + "\"]");
        String otherAdmin = api.key("[\"things:admin\"]", "[\"someone-else\"]");

        assertThat(late.status()).isEqualTo(422);
        assertThat(late.json().get("detail").asText()).startsWith("at: no such time of day 25:00");
        assertThat(zone.status()).isEqualTo(422);
        assertThat(zone.json().get("detail").asText()).isEqualTo("timezone: unknown time zone 'Mars/Base'");
        assertThat(path.status()).isEqualTo(422);
        assertThat(path.json().get("detail").asText()).isEqualTo("when.path: the car model has no property nope");
        assertThat(day.status()).isEqualTo(422);
        assertThat(day.json().get("detail").asText()).startsWith("days[1]: unknown day");
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.json().get("detail").asText()).isEqualTo("no thing " + car);
        assertThat(api.sendAs(readOnly, "GET", schedules(owner), null).status()).isEqualTo(403);
        assertThat(api.sendAs(otherAdmin, "GET", schedules(owner), null).status())
                .isEqualTo(404);
    }
}
