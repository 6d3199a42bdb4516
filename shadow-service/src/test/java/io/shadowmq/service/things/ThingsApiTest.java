package io.shadowmq.service.things;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThingsApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void provisioningAnswersTheThingWithItsSecretOnce() {
        String id = Api.fresh("car");

        Response created =
                api.send("POST", "/api/v1/things", "{\"thingId\":\"" + id + "\",\"type\":\"car\",\"owner\":\"alice\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/v1/things/" + id);
        JsonNode body = created.json();
        assertThat(body.get("thingId").asText()).isEqualTo(id);
        assertThat(body.get("type").asText()).isEqualTo("car");
        assertThat(body.get("owner").asText()).isEqualTo("alice");
        assertThat(body.get("secret").asText()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(api.get("/api/v1/things/" + id).body()).doesNotContain("secret");
    }

    @Test
    void provisioningAnExistingIdIsAConflict() {
        String id = api.provision("car", "car", "alice");

        Response again =
                api.send("POST", "/api/v1/things", "{\"thingId\":\"" + id + "\",\"type\":\"car\",\"owner\":\"bob\"}");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().get("detail").asText()).contains(id);
    }

    @Test
    void provisioningWithAnInvalidFieldIs422NamingTheField() {
        Response badId =
                api.send("POST", "/api/v1/things", "{\"thingId\":\"car/1\",\"type\":\"car\",\"owner\":\"alice\"}");
        Response badOwner = api.send(
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + Api.fresh("car") + "\",\"type\":\"car\",\"owner\":\"a b\"}");
        Response unknownType = api.send(
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + Api.fresh("car") + "\",\"type\":\"toaster\",\"owner\":\"alice\"}");
        Response missing =
                api.send("POST", "/api/v1/things", "{\"thingId\":\"" + Api.fresh("car") + "\",\"type\":\"car\"}");

        assertThat(List.of(badId, badOwner, unknownType, missing))
                .extracting(Response::status)
                .containsOnly(422);
        assertThat(badId.json().get("detail").asText()).startsWith("thingId:");
        assertThat(badOwner.json().get("detail").asText()).startsWith("owner:");
        assertThat(unknownType.json().get("detail").asText())
                .startsWith("type:")
                .contains("toaster");
        assertThat(missing.json().get("detail").asText()).isEqualTo("owner: required");
    }

    @Test
    void provisioningWithAnUnknownFieldIs400NamingIt() {
        Response response = api.send(
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + Api.fresh("car") + "\",\"type\":\"car\",\"owner\":\"alice\",\"color\":\"red\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains("'color'");
    }

    @Test
    void problemsFollowRfc9457() {
        Response response = api.get("/api/v1/things/no-such-thing-" + System.nanoTime());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asText()).isEqualTo("urn:shadowmq:problem:not-found");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("detail").asText()).startsWith("no thing ");
        assertThat(problem.get("instance").asText()).startsWith("/api/v1/things/no-such-thing-");
    }

    @Test
    void aThingIsReadWithItsPresence() {
        String id = api.provision("car", "car", "alice");
        Response never = api.get("/api/v1/things/" + id);

        service.store()
                .presence()
                .connected(ThingId.of(id), Owner.of("alice"), "session-1", 1_700_000_000_000L)
                .toCompletableFuture()
                .join();
        Response online = api.get("/api/v1/things/" + id);

        assertThat(never.status()).isEqualTo(200);
        assertThat(never.json().get("connected").asBoolean()).isFalse();
        assertThat(never.json().get("lastConnectedAt").isNull()).isTrue();
        assertThat(never.json().get("lastDisconnectedAt").isNull()).isTrue();
        assertThat(never.json().get("createdAt").asLong()).isPositive();
        assertThat(online.json().get("connected").asBoolean()).isTrue();
        assertThat(online.json().get("lastConnectedAt").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(online.json().get("type").asText()).isEqualTo("car");
        assertThat(online.json().get("owner").asText()).isEqualTo("alice");
    }

    @Test
    void anInvalidIdInThePathIs422() {
        Response response = api.get("/api/v1/things/bad%20id");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("detail").asText()).startsWith("thingId: invalid id");
    }

    @Test
    void listingPagesThroughAHouseholdWithACursor() {
        String owner = Api.fresh("family");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.provision("thing-" + i, i % 2 == 0 ? "car" : "fridge", owner));
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page =
                    api.get("/api/v1/things?owner=" + owner + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.json()
                    .get("items")
                    .forEach(item -> seen.add(item.get("thingId").asText()));
            cursor = page.json().get("nextCursor").isNull()
                    ? null
                    : page.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
        assertThat(pages).isEqualTo(3);
        Response cars = api.get("/api/v1/things?owner=" + owner + "&type=car");
        assertThat(cars.json().get("items"))
                .hasSize(3)
                .allSatisfy(item -> assertThat(item.get("type").asText()).isEqualTo("car"));
    }

    @Test
    void listingLimitIsCheckedAndDefaultsTo50() {
        assertThat(api.get("/api/v1/things?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/things?limit=1001").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/things?limit=ten").json().get("detail").asText())
                .startsWith("limit:");
        for (int i = 0; i < 51; i++) {
            api.provision("many", "speaker", "crowd");
        }
        Response page = api.get("/api/v1/things");
        assertThat(page.json().get("items")).hasSize(50);
        assertThat(page.json().get("nextCursor").isNull()).isFalse();
    }

    @Test
    void deprovisioningRemovesTheThingAndItsCredentials() {
        String id = api.provision("car", "car", "alice");

        Response deleted = api.send("DELETE", "/api/v1/things/" + id, null);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/api/v1/things/" + id).status()).isEqualTo(404);
        assertThat(api.send("DELETE", "/api/v1/things/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void rotatingTheSecretGivesANewOneAndTheOldStopsWorking() {
        String id = Api.fresh("car");
        String oldSecret = api.send(
                        "POST", "/api/v1/things", "{\"thingId\":\"" + id + "\",\"type\":\"car\",\"owner\":\"alice\"}")
                .json()
                .get("secret")
                .asText();

        Response rotated = api.send("POST", "/api/v1/things/" + id + "/secret", null);

        assertThat(rotated.status()).isEqualTo(200);
        String newSecret = rotated.json().get("secret").asText();
        assertThat(newSecret).isNotEqualTo(oldSecret);
        assertThat(service.store()
                        .things()
                        .verifySecret(ThingId.of(id), oldSecret)
                        .toCompletableFuture()
                        .join()
                        .isOk())
                .isFalse();
        assertThat(service.store()
                        .things()
                        .verifySecret(ThingId.of(id), newSecret)
                        .toCompletableFuture()
                        .join()
                        .isOk())
                .isTrue();
        assertThat(api.send("POST", "/api/v1/things/nobody-" + System.nanoTime() + "/secret", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void modelsAreListedAndServedAsWritten() {
        Response list = api.get("/api/v1/models");
        Response car = api.get("/api/v1/models/car");
        Response none = api.get("/api/v1/models/toaster");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items"))
                .extracting(item -> item.get("type").asText())
                .contains("car", "fridge", "speaker", "washer");
        assertThat(car.status()).isEqualTo(200);
        assertThat(car.json().get("properties").has("range")).isTrue();
        assertThat(none.status()).isEqualTo(404);
    }
}
