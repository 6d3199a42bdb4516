package io.shadowmq.service.grants;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A household's grants and audit trail through HTTP: a real service on a real redis-server. */
class GrantApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    static String grants(String owner) {
        return "/api/v1/owners/" + owner + "/grants";
    }

    static String audit(String owner) {
        return "/api/v1/owners/" + owner + "/audit";
    }

    static String heaterGrant(String grantee, String target) {
        return "{\"grantee\":\"" + grantee + "\",\"target\":\"" + target + "\",\"write\":[\"cabin.heater.**\"]}";
    }

    private static void assertProblem(Response response, int status, String detailStart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText()).startsWith(detailStart);
    }

    @Test
    void aGrantIsCreatedListedReadAndRevoked() {
        String owner = Api.fresh("household");
        String car = api.provision("car", "car", owner);
        String speaker = api.provision("speaker", "speaker", owner);

        Response created = api.send(
                "POST",
                grants(owner),
                "{\"grantee\":\"" + speaker + "\",\"target\":\"" + car + "\",\"read\":[\"location\"],"
                        + "\"write\":[\"cabin.heater.**\"],\"invoke\":[\"honkAndFlash\"]}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode grant = created.json();
        String id = grant.get("id").asText();
        assertThat(created.header("Location")).contains(grants(owner) + "/" + id);
        assertThat(grant.get("owner").asText()).isEqualTo(owner);
        assertThat(grant.get("grantee").asText()).isEqualTo(speaker);
        assertThat(grant.get("target").asText()).isEqualTo(car);
        assertThat(grant.get("read").toString()).isEqualTo("[\"location\"]");
        assertThat(grant.get("write").toString()).isEqualTo("[\"cabin.heater.**\"]");
        assertThat(grant.get("invoke").toString()).isEqualTo("[\"honkAndFlash\"]");
        assertThat(grant.get("createdBy").asText()).isEqualTo("admin");
        assertThat(grant.has("expiresAt")).isFalse();

        Response typed = api.send(
                "POST",
                grants(owner),
                "{\"grantee\":\"type:speaker\",\"target\":\"type:car\",\"read\":[\"fuel\"]," + "\"expiresAt\":"
                        + (System.currentTimeMillis() + 3_600_000) + "}");
        assertThat(typed.status()).as(typed.body()).isEqualTo(201);

        JsonNode listed = api.get(grants(owner)).json().get("grants");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(id);
        assertThat(listed.get(1).get("grantee").asText()).isEqualTo("type:speaker");
        assertThat(api.get(grants(owner) + "/" + id).json()).isEqualTo(grant);

        assertThat(api.send("DELETE", grants(owner) + "/" + id, null).status()).isEqualTo(204);
        assertThat(api.get(grants(owner) + "/" + id).status()).isEqualTo(404);
        assertThat(api.send("DELETE", grants(owner) + "/" + id, null).status()).isEqualTo(404);
        assertThat(api.get(grants(owner)).json().get("grants")).hasSize(1);

        // the trail has the changes (recorded in the background), newest first, by the admin
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.get(audit(owner)).json().get("entries").size() == 3);
        JsonNode entries = api.get(audit(owner)).json().get("entries");
        assertThat(entries.get(0).get("operation").asText()).isEqualTo("revoke");
        assertThat(entries.get(0).get("target").asText()).isEqualTo(id);
        assertThat(entries.get(0).get("actor").asText()).isEqualTo("admin");
        assertThat(entries.get(0).get("code").asInt()).isEqualTo(200);
        assertThat(entries.get(2).get("operation").asText()).isEqualTo("grant");
        assertThat(entries.get(2).get("target").asText()).isEqualTo(id);
    }

    @Test
    void badGrantsAre422NamingTheField() {
        String owner = Api.fresh("household");
        String car = api.provision("car", "car", owner);
        String speaker = api.provision("speaker", "speaker", owner);
        String pair = "\"grantee\":\"" + speaker + "\",\"target\":\"" + car + "\"";

        assertInvalid(owner, "{" + pair + ",\"read\":[\"range\"],\"colour\":1}", "", "colour");
        assertInvalid(
                owner,
                "{" + pair + ",\"read\":[\"range\",\"locaton\"]}",
                "read[1]: no property 'locaton' in model car");
        assertInvalid(owner, "{" + pair + ",\"invoke\":[\"fly\"]}", "invoke[0]:", "fly");
        assertInvalid(owner, "{" + pair + ",\"invoke\":[\"unlock\"]}", "invoke[0]:", "critical");
        assertInvalid(owner, "{" + pair + ",\"write\":[\"range\"]}", "write[0]:", "readOnly");
        assertInvalid(owner, "{" + pair + "}", "");
        assertInvalid(owner, "{" + pair + ",\"read\":[\"range\"],\"expiresAt\":1000}", "expiresAt");
        assertInvalid(owner, "{\"grantee\":\"type:robot\",\"target\":\"" + car + "\",\"read\":[\"range\"]}", "grantee");
        assertInvalid(
                owner, "{\"grantee\":\"" + speaker + "\",\"target\":\"type:robot\",\"read\":[\"range\"]}", "target");
        assertInvalid(owner, "{\"grantee\":\"not an id\",\"target\":\"" + car + "\",\"read\":[\"range\"]}", "grantee");
        assertThat(api.get(grants(owner)).json().get("grants")).isEmpty();
    }

    /** POSTing the grant is 422 with a detail starting with {@code detailStart} and holding each of {@code words}. */
    private void assertInvalid(String owner, String grant, String detailStart, String... words) {
        Response refused = api.send("POST", grants(owner), grant);
        assertProblem(refused, 422, detailStart);
        for (String word : words) {
            assertThat(refused.json().get("detail").asText()).contains(word);
        }
    }

    @Test
    void thingsOfOtherHouseholdsAndHouseholdsTheCallerDoesNotSeeAre404() {
        String owner = Api.fresh("household");
        String car = api.provision("car", "car", owner);
        String speaker = api.provision("speaker", "speaker", owner);
        String stranger = Api.fresh("household");
        String strangersCar = api.provision("car", "car", stranger);
        String strangersSpeaker = api.provision("speaker", "speaker", stranger);

        assertProblem(
                api.send("POST", grants(owner), heaterGrant(speaker, strangersCar)), 404, "no thing " + strangersCar);
        assertProblem(
                api.send("POST", grants(owner), heaterGrant(strangersSpeaker, car)),
                404,
                "no thing " + strangersSpeaker);
        assertProblem(api.send("POST", grants(owner), heaterGrant(speaker, "car-missing-1")), 404, "no thing");

        String ownersAdmin = api.key("[\"things:admin\"]", "[\"" + owner + "\"]");
        String ownersWriter = api.key("[\"things:read\",\"things:write\"]", "[\"" + owner + "\"]");
        assertThat(api.sendAs(ownersAdmin, "POST", grants(owner), heaterGrant(speaker, car))
                        .status())
                .isEqualTo(201);
        assertProblem(
                api.sendAs(ownersAdmin, "POST", grants(stranger), heaterGrant(strangersSpeaker, strangersCar)),
                404,
                "no household " + stranger);
        assertThat(api.sendAs(ownersAdmin, "GET", grants(stranger), null).status())
                .isEqualTo(404);
        assertThat(api.sendAs(ownersAdmin, "GET", audit(stranger), null).status())
                .isEqualTo(404);
        assertThat(api.sendAs(ownersWriter, "GET", grants(owner), null).status())
                .isEqualTo(403);
        assertThat(api.sendAs(ownersWriter, "GET", audit(owner), null).status()).isEqualTo(403);
        assertThat(api.get(grants(stranger)).json().get("grants")).isEmpty();
    }

    @Test
    void theAuditTrailPagesNewestFirst() {
        String owner = Api.fresh("household");
        String car = api.provision("car", "car", owner);
        String speaker = api.provision("speaker", "speaker", owner);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.send("POST", grants(owner), heaterGrant(speaker, car))
                    .json()
                    .get("id")
                    .asText());
        }

        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.get(audit(owner)).json().get("entries").size() == 5);
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            Response page = api.get(audit(owner) + "?limit=2" + (next == null ? "" : "&before=" + next));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json()
                    .get("entries")
                    .forEach(entry -> seen.add(entry.get("target").asText()));
            next = page.json().has("next") ? page.json().get("next").asText() : null;
            pages++;
        } while (next != null && pages < 10);

        assertThat(seen).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(pages).isEqualTo(3);
        assertProblem(api.get(audit(owner) + "?limit=0"), 400, "limit: must be an integer 1..500");
    }
}
