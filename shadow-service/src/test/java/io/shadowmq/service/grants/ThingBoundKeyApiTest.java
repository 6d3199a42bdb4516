package io.shadowmq.service.grants;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.schema.ThingModels;
import io.shadowmq.model.shadow.Requester;
import io.shadowmq.model.shadow.ShadowRequests;
import io.shadowmq.model.shadow.UpdateOutcome;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceConfig;
import io.shadowmq.service.ServiceExtension;
import io.shadowmq.service.ShadowService;
import io.shadowmq.store.ShadowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.shadowmq.service.grants.GrantApiTest.audit;
import static io.shadowmq.service.grants.GrantApiTest.grants;
import static io.shadowmq.service.grants.GrantApiTest.heaterGrant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A key bound to a thing (a voice assistant's cloud for speaker-1) on the household's car, through HTTP: the car
 * model's household defaults, grants widening them, revocation on every service, and the audit trail. A real service
 * (two for revocation) on a real redis-server.
 */
class ThingBoundKeyApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    private static final String HEATER_ON = "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}";

    /** A household with a car that reported range, windows, location and its heater, and a speaker. */
    private record Household(String owner, String car, String speaker) {}

    private Household household() {
        String owner = Api.fresh("household");
        String car = api.provision("car", "car", owner);
        String speaker = api.provision("speaker", "speaker", owner);
        service.report(
                car,
                "{\"state\":{\"reported\":{\"range\":312,\"windows\":{\"rearLeft\":{\"isOpen\":true}},"
                        + "\"location\":{\"latitude\":52.52,\"longitude\":13.4},"
                        + "\"cabin\":{\"heater\":{\"isOn\":false}}}}}");
        return new Household(owner, car, speaker);
    }

    private Response createKey(String body) {
        return api.send("POST", "/api/v1/keys", body);
    }

    /** The token of a key bound to {@code thing}, with things:read and things:write. */
    private String boundKey(String thing) {
        Response created = createKey("{\"name\":\"" + Api.fresh("speaker-cloud") + "\","
                + "\"scopes\":[\"things:read\",\"things:write\"],\"thing\":\"" + thing + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    private static String shadow(String thing) {
        return "/api/v1/things/" + thing + "/shadow";
    }

    private static void assertProblem(Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).isEqualTo(detail);
    }

    @Test
    void aBoundKeyIsAnsweredForItsThingsHousehold() {
        Household home = household();

        Response created = createKey(
                "{\"name\":\"speaker cloud\",\"scopes\":[\"things:read\"],\"thing\":\"" + home.speaker() + "\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("thing").asText()).isEqualTo(home.speaker());
        assertThat(created.json().get("owners").toString()).isEqualTo("[\"" + home.owner() + "\"]");
        String token = created.json().get("token").asText();
        assertThat(api.sendAs(token, "GET", "/api/v1/things/" + home.car(), null)
                        .status())
                .isEqualTo(200);
        String strangersCar = api.provision("car", "car", Api.fresh("household"));
        assertThat(api.sendAs(token, "GET", "/api/v1/things/" + strangersCar, null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aBoundKeyNeedsAThingTheCallerSeesAndNeverTheAdminScope() {
        Household home = household();
        String strangersSpeaker = api.provision("speaker", "speaker", Api.fresh("household"));
        String ownersAdmin = api.key("[\"things:admin\"]", "[\"" + home.owner() + "\"]");

        assertProblem(
                createKey("{\"name\":\"x\",\"scopes\":[\"things:read\"],\"thing\":\"speaker-missing-1\"}"),
                404,
                "no thing speaker-missing-1");
        assertProblem(
                api.sendAs(
                        ownersAdmin,
                        "POST",
                        "/api/v1/keys",
                        "{\"name\":\"x\",\"scopes\":[\"things:read\"],\"thing\":\"" + strangersSpeaker + "\"}"),
                404,
                "no thing " + strangersSpeaker);
        assertProblem(
                createKey("{\"name\":\"x\",\"scopes\":[\"things:read\"],\"owners\":[\"someone-else\"],\"thing\":\""
                        + home.speaker() + "\"}"),
                422,
                "owners: a key bound to " + home.speaker() + " sees exactly its household " + home.owner());
        assertProblem(
                createKey("{\"name\":\"x\",\"scopes\":[\"things:admin\"],\"thing\":\"" + home.speaker() + "\"}"),
                422,
                "scopes: a key bound to a thing cannot have things:admin; it acts as the thing");
        assertThat(createKey("{\"name\":\"x\",\"scopes\":[\"things:read\"],\"thing\":\"not an id\"}")
                        .status())
                .isEqualTo(422);
        assertThat(api.sendAs(
                                ownersAdmin,
                                "POST",
                                "/api/v1/keys",
                                "{\"name\":\"x\",\"scopes\":[\"things:read\"],\"owners\":[\"" + home.owner()
                                        + "\"],\"thing\":\"" + home.speaker() + "\"}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aBoundKeyReadsWhatItsThingMayReadAndSelectsPaths() {
        Household home = household();
        String token = boundKey(home.speaker());

        JsonNode whole = api.sendAs(token, "GET", shadow(home.car()), null).json();
        Response selected = api.sendAs(token, "GET", shadow(home.car()) + "?paths=range,windows.**", null);
        Response location = api.sendAs(token, "GET", shadow(home.car()) + "?paths=range,location", null);
        Response unknown = api.sendAs(token, "GET", shadow(home.car()) + "?paths=range,nowhere", null);

        JsonNode reported = whole.at("/state/reported");
        assertThat(reported.get("range").asInt()).isEqualTo(312);
        assertThat(reported.at("/windows/rearLeft/isOpen").asBoolean()).isTrue();
        assertThat(reported.has("location")).isFalse();
        assertThat(whole.at("/metadata/reported").has("location")).isFalse();
        assertThat(whole.at("/metadata/reported").has("range")).isTrue();
        assertThat(selected.status()).as(selected.body()).isEqualTo(200);
        assertThat(selected.json().at("/state/reported").properties())
                .extracting(java.util.Map.Entry::getKey)
                .containsExactlyInAnyOrder("range", "windows");
        assertThat(selected.header("ETag")).isPresent();
        assertProblem(location, 403, "location: " + home.speaker() + " may not read location of " + home.car());
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("detail").asText()).startsWith("paths[1]: no property 'nowhere'");

        // on its own thing the key is the thing; owner-level callers see everything and may select too
        assertThat(api.sendAs(token, "PATCH", shadow(home.speaker()), "{\"state\":{\"desired\":{\"volume\":4}}}")
                        .status())
                .isEqualTo(200);
        assertThat(api.get(shadow(home.car())).json().at("/state/reported").has("location"))
                .isTrue();
        JsonNode ownerSelected =
                api.get(shadow(home.car()) + "?paths=location").json().at("/state/reported");
        assertThat(ownerSelected.properties())
                .extracting(java.util.Map.Entry::getKey)
                .containsExactly("location");
    }

    @Test
    void aGrantLetsABoundKeyWriteTheHeaterUntilItIsRevoked() {
        Household home = household();
        String token = boundKey(home.speaker());
        String refused = "desired.cabin.heater.isOn: " + home.speaker() + " may not write it on " + home.car()
                + " (household read; a grant can allow it)";

        assertProblem(api.sendAs(token, "PATCH", shadow(home.car()), HEATER_ON), 403, refused);

        Response grant = api.send("POST", grants(home.owner()), heaterGrant(home.speaker(), home.car()));
        assertThat(grant.status()).as(grant.body()).isEqualTo(201);
        Response written = api.sendAs(token, "PATCH", shadow(home.car()), HEATER_ON);
        assertThat(written.status()).as(written.body()).isEqualTo(200);
        assertThat(written.json().at("/state/desired/cabin/heater/isOn").asBoolean())
                .isTrue();

        assertThat(api.send(
                                "DELETE",
                                grants(home.owner()) + "/"
                                        + grant.json().get("id").asText(),
                                null)
                        .status())
                .isEqualTo(204);
        assertProblem(api.sendAs(token, "PATCH", shadow(home.car()), HEATER_ON), 403, refused);

        // every cross-thing call is in the trail (recorded in the background), with its answer
        String car = home.car();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(trail(home.owner()))
                        .containsSubsequence(
                                "write " + car + " [\"cabin.heater.isOn\"] 403",
                                "write " + car + " [\"cabin.heater.isOn\"] 200",
                                "write " + car + " [\"cabin.heater.isOn\"] 403")
                        .noneMatch(line -> line.contains(home.speaker())));
    }

    /** The household's audit trail, newest first, as "operation target paths code". */
    private List<String> trail(String owner) {
        List<String> trail = new ArrayList<>();
        api.get(audit(owner))
                .json()
                .get("entries")
                .forEach(entry -> trail.add(entry.get("operation").asText() + " "
                        + entry.get("target").asText() + " " + entry.get("paths") + " "
                        + entry.get("code").asInt()));
        return trail;
    }

    @Test
    void aBoundKeyInvokesOnlyWhatItsThingMay() {
        Household home = household();
        String token = boundKey(home.speaker());
        String actions = "/api/v1/things/" + home.car() + "/actions/";

        Response unlock = api.sendAs(token, "POST", actions + "unlock", "{}");
        Response honk = api.sendAs(token, "POST", actions + "honkAndFlash", "{}");
        Response summary = api.sendAs(token, "GET", "/api/v1/things/" + home.car() + "/summary", null);
        // (that a summary leaves out what may not be read: aBoundKeyHearsOnlyWhatItsThingMayRead; the car speaks
        // nothing a household member may not read)

        assertProblem(unlock, 403, "unlock: " + home.speaker() + " may not invoke it on " + home.car());
        assertThat(honk.status()).as(honk.body()).isEqualTo(202);
        assertThat(honk.json().get("invokedBy").asText()).startsWith("speaker-cloud");
        Response cancel = api.sendAs(
                token,
                "DELETE",
                "/api/v1/things/" + home.car() + "/commands/"
                        + honk.json().get("commandId").asText(),
                null);
        assertProblem(
                cancel,
                403,
                "cancel: " + home.speaker() + " may not cancel commands of " + home.car()
                        + " (only the household's owner-level callers may)");
        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.json().get("text").asText()).contains("312");
        assertThat(summary.json().get("facts").toString()).contains("range");

        String car = home.car();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(trail(home.owner()))
                        .containsSubsequence(
                                "read " + car + " [] 200",
                                "invoke " + car + " [\"honkAndFlash\"] 202",
                                "invoke " + car + " [\"unlock\"] 403")
                        .contains("invoke " + car + " [\"cancel\"] 403"));
    }

    /** A model with a spoken property no household member may read, beside the speaker. */
    private static final String TRACKER = """
            {"@context":"https://www.w3.org/2022/wot/td/v1.1","@type":"tm:ThingModel","title":"Tracker",
             "shadowmq:say":{"en":"the tracker","de":"der Tracker","zh":"追踪器"},
             "properties":{
              "battery":{"title":"Battery","type":"integer","unit":"percent","minimum":0,"maximum":100,
                "readOnly":true,"shadowmq:say":{"en":"The battery is at {value} {unit}.",
                "de":"Der Akku steht bei {value} {unit}.","zh":"电量{value}{unit}。"}},
              "destination":{"title":"Destination","type":"string","readOnly":true,"shadowmq:household":"none",
                "shadowmq:say":{"en":"It is heading to {value}.","de":"Es fährt nach {value}.","zh":"前往{value}。"}}}}
            """;

    @Test
    void aBoundKeyHearsOnlyWhatItsThingMayRead(@TempDir Path models) throws Exception {
        try (InputStream speaker = ThingModels.class.getResourceAsStream("/shadowmq/models/speaker.json")) {
            Files.write(models.resolve("speaker.json"), speaker.readAllBytes());
        }
        Files.writeString(models.resolve("tracker.json"), TRACKER);
        ServiceConfig config = service.config().modelsDir(models).build();
        try (ShadowService own = ShadowService.start(config);
                ShadowStore store = ShadowStore.connect(config.storeConfig(), ThingModels.loadDirectory(models))) {
            Api other = new Api(own.port(), ServiceExtension.ADMIN_TOKEN);
            String owner = Api.fresh("household");
            String tracker = other.provision("tracker", "tracker", owner);
            String speakerId = other.provision("speaker", "speaker", owner);
            UpdateOutcome reported = store.shadows()
                    .update(
                            ThingId.of(tracker),
                            Requester.thing(ThingId.of(tracker)),
                            ShadowRequests.parseUpdate(
                                            "{\"state\":{\"reported\":{\"battery\":80,\"destination\":\"Paris\"}}}"
                                                    .getBytes(StandardCharsets.UTF_8),
                                            store.shadows().limits())
                                    .orElseThrow())
                    .toCompletableFuture()
                    .join();
            assertThat(reported).isInstanceOf(UpdateOutcome.Accepted.class);
            String token = other.send(
                            "POST",
                            "/api/v1/keys",
                            "{\"name\":\"speaker cloud\",\"scopes\":[\"things:read\"],\"thing\":\"" + speakerId + "\"}")
                    .json()
                    .get("token")
                    .asText();
            String summary = "/api/v1/things/" + tracker + "/summary";

            JsonNode owners = other.get(summary).json();
            JsonNode bound = other.sendAs(token, "GET", summary, null).json();

            assertThat(owners.get("text").asText()).contains("80", "Paris");
            assertThat(bound.get("text").asText()).contains("80").doesNotContain("Paris");
            assertThat(bound.get("facts").toString()).contains("battery").doesNotContain("destination");
        }
    }

    @Test
    void aRevocationOnOneServiceAppliesOnAnotherAtOnce() {
        Household home = household();
        String token = boundKey(home.speaker());

        try (ShadowService second = ShadowService.start(service.config().build())) {
            Api other = new Api(second.port(), ServiceExtension.ADMIN_TOKEN);
            // the other service has read the household's grants (none) and keeps them
            assertThat(other.sendAs(token, "PATCH", shadow(home.car()), HEATER_ON)
                            .status())
                    .isEqualTo(403);

            String id = api.send("POST", grants(home.owner()), heaterGrant(home.speaker(), home.car()))
                    .json()
                    .get("id")
                    .asText();
            // far sooner than the grants cache's safety expiry: the feed told the other service
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> other.sendAs(token, "PATCH", shadow(home.car()), HEATER_ON)
                                    .status()
                            == 200);

            assertThat(api.send("DELETE", grants(home.owner()) + "/" + id, null).status())
                    .isEqualTo(204);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> other.sendAs(token, "PATCH", shadow(home.car()), HEATER_ON)
                                    .status()
                            == 403);
        }
    }
}
