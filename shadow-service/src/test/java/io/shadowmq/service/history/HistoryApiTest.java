package io.shadowmq.service.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/things/{id}/history} against a real service and a real redis-server. */
class HistoryApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    private static String history(String thing, String query) {
        return "/api/v1/things/" + thing + "/history?" + query;
    }

    private void reportRange(String car, int... values) {
        for (int value : values) {
            service.report(car, "{\"state\":{\"reported\":{\"range\":" + value + "}}}");
        }
    }

    private static void assertProblem(Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText()).isEqualTo(detail);
    }

    @Test
    void theValuesComeOldestFirstWithTimestampsAndVersionsOrInBuckets() {
        String car = api.provision("car", "car", "alice");
        long before = System.currentTimeMillis();
        reportRange(car, 400, 390, 380);
        service.report(car, "{\"state\":{\"reported\":{\"range\":null}}}");
        String alice = api.key("[\"things:read\"]", "[\"alice\"]");

        Response raw = api.sendAs(alice, "GET", history(car, "path=state.reported.range"), null);

        assertThat(raw.status()).as(raw.body()).isEqualTo(200);
        JsonNode body = raw.json();
        assertThat(body.get("thingId").asText()).isEqualTo(car);
        assertThat(body.get("path").asText()).isEqualTo("state.reported.range");
        assertThat(body.has("buckets")).isFalse();
        List<String> values = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        for (JsonNode point : body.get("points")) {
            values.add(point.get("value").toString());
            versions.add(point.get("version").asLong());
            assertThat(point.get("timestamp").asLong()).isBetween(before, System.currentTimeMillis());
        }
        assertThat(values).containsExactly("400", "390", "380", "null");
        assertThat(versions).isSorted().doesNotHaveDuplicates();

        Response limited = api.get(history(car, "path=state.reported.range&limit=2&from=" + before));
        assertThat(limited.json().get("points")).hasSize(2);

        Response buckets = api.get(history(car, "path=state.reported.range&every=1h"));
        assertThat(buckets.status()).as(buckets.body()).isEqualTo(200);
        assertThat(buckets.json().get("every").asText()).isEqualTo("1h");
        assertThat(buckets.json().has("points")).isFalse();
        JsonNode all = buckets.json().get("buckets");
        long count = 0;
        for (JsonNode bucket : all) {
            assertThat(bucket.get("from").asLong() % 3_600_000).isZero();
            count += bucket.get("count").asLong();
        }
        assertThat(count).isEqualTo(4);
        JsonNode last = all.get(all.size() - 1);
        assertThat(last.get("last").isNull()).isTrue();
        if (all.size() == 1) {
            assertThat(last.get("min").asInt()).isEqualTo(380);
            assertThat(last.get("max").asInt()).isEqualTo(400);
            assertThat(last.get("avg").asDouble()).isEqualTo(390.0);
        }
    }

    @Test
    void aBucketOfValuesThatAreNotNumbersHasLastAndCountOnly() {
        String car = api.provision("car", "car", "alice");
        service.report(car, "{\"state\":{\"reported\":{\"doors\":{\"trunk\":{\"isOpen\":true}}}}}");
        service.report(car, "{\"state\":{\"reported\":{\"doors\":{\"trunk\":{\"isOpen\":false}}}}}");

        Response response = api.get(history(car, "path=state.reported.doors.trunk.isOpen&every=168h"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode buckets = response.json().get("buckets");
        JsonNode last = buckets.get(buckets.size() - 1);
        assertThat(last.has("min") || last.has("max") || last.has("avg")).isFalse();
        assertThat(last.get("last").asBoolean()).isFalse();
        long count = 0;
        for (JsonNode bucket : buckets) {
            count += bucket.get("count").asLong();
        }
        assertThat(count).isEqualTo(2);
    }

    @Test
    void badParametersAre400NamingThem() {
        String car = api.provision("car", "car", "alice");
        String path = "path=state.reported.range";

        assertProblem(
                api.get(history(car, "path=state.reported.cabin.humidity")),
                400,
                "path: state.reported.cabin.humidity is not a property of the thing model car");
        assertProblem(
                api.get(history(car, "path=state.desired.range")),
                400,
                "path: must name a reported value as state.reported.<property>, e.g. "
                        + "state.reported.cabin.temperature; was 'state.desired.range'");
        assertProblem(
                api.get(history(car, "from=1")),
                400,
                "path: required, the reported value to read, e.g. state.reported.cabin.temperature");
        assertThat(api.get(history(car, "path=state.reported.cabin"))
                        .json()
                        .get("detail")
                        .asText())
                .startsWith("path: state.reported.cabin is an object");
        assertThat(api.get(history(car, path + "&every=soon"))
                        .json()
                        .get("detail")
                        .asText())
                .startsWith("every: must be a duration from 1s to 168h");
        assertProblem(
                api.get(history(car, path + "&limit=10001")), 400, "limit: must be an integer 1..10000, was '10001'");
        assertProblem(api.get(history(car, path + "&from=20&to=10")), 400, "from: 20 is after to: 10");
        assertProblem(
                api.get(history(car, path + "&to=yesterday")), 400, "to: must be epoch milliseconds, was 'yesterday'");
        assertThat(api.get(history(car, path + "&since=1")).status()).isEqualTo(400);
    }

    @Test
    void anotherHouseholdsThingIs404ForAnOwnerLimitedKey() {
        String car = api.provision("car", "car", "alice");
        reportRange(car, 300);
        String bob = api.key("[\"things:read\"]", "[\"bob\"]");
        String aliceWriter = api.key("[\"things:write\"]", "[\"alice\"]");

        assertProblem(api.sendAs(bob, "GET", history(car, "path=state.reported.range"), null), 404, "no thing " + car);
        String ghost = "ghost-" + System.nanoTime();
        assertProblem(
                api.sendAs(bob, "GET", history(ghost, "path=state.reported.range"), null), 404, "no thing " + ghost);
        assertThat(api.sendAs(aliceWriter, "GET", history(car, "path=state.reported.range"), null)
                        .status())
                .isEqualTo(403);
        assertThat(api.sendAs(null, "GET", history(car, "path=state.reported.range"), null)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aKeyBoundToAThingReadsTheHistoryOfWhatItsThingMayRead() {
        String owner = Api.fresh("household");
        String car = api.provision("car", "car", owner);
        String speaker = api.provision("speaker", "speaker", owner);
        service.report(
                car, "{\"state\":{\"reported\":{\"range\":312,\"location\":{\"latitude\":52.52,\"longitude\":13.4}}}}");
        Response created = api.send(
                "POST",
                "/api/v1/keys",
                "{\"name\":\"" + Api.fresh("speaker-cloud") + "\",\"scopes\":[\"things:read\"],\"thing\":\"" + speaker
                        + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String bound = created.json().get("token").asText();

        Response range = api.sendAs(bound, "GET", history(car, "path=state.reported.range"), null);
        Response location = api.sendAs(bound, "GET", history(car, "path=state.reported.location.latitude"), null);

        assertThat(range.status()).as(range.body()).isEqualTo(200);
        assertThat(range.json().at("/points/0/value").asInt()).isEqualTo(312);
        assertProblem(
                location,
                403,
                "state.reported.location.latitude: " + speaker + " may not read state.reported.location.latitude of "
                        + car);
    }
}
