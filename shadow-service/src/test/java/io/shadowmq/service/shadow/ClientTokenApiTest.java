package io.shadowmq.service.shadow;

import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A clientToken over REST belongs to the API key (or the admin) that sent it. */
class ClientTokenApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private static final String WOOL = "{\"state\":{\"desired\":{\"program\":\"wool\"}},\"clientToken\":\"home-1\"}";
    private static final String ECO = "{\"state\":{\"desired\":{\"program\":\"eco\"}},\"clientToken\":\"home-1\"}";

    private final Api api = service.api();

    private static String path(String thing) {
        return "/api/v1/things/" + thing + "/shadow";
    }

    @Test
    void twoKeysUsingTheSameClientTokenBothHaveTheirPatchApplied() {
        String washer = api.provision("washer", "washer", "alice");
        String carApp = api.key("[\"things:write\"]", "[\"alice\"]");
        String speakerApp = api.key("[\"things:write\"]", "[\"alice\"]");

        Response first = api.sendAs(carApp, "PATCH", path(washer), WOOL);
        Response second = api.sendAs(speakerApp, "PATCH", path(washer), ECO);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("version").asLong()).isEqualTo(2);
        assertThat(second.json().at("/state/desired/program").asText()).isEqualTo("eco");
        assertThat(api.get(path(washer), "Cache-Control", "no-cache")
                        .json()
                        .at("/state/desired/program")
                        .asText())
                .isEqualTo("eco");
    }

    @Test
    void anApiKeysAndTheAdminsClientTokensNeverCollide() {
        String washer = api.provision("washer", "washer", "alice");
        String carApp = api.key("[\"things:write\"]", "[\"alice\"]");

        Response byKey = api.sendAs(carApp, "PATCH", path(washer), WOOL);
        Response byAdmin = api.send("PATCH", path(washer), ECO);

        assertThat(byKey.status()).isEqualTo(200);
        assertThat(byAdmin.status()).isEqualTo(200);
        assertThat(byAdmin.json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void theSamePatchAgainUnderItsClientTokenGetsTheFirstResultAndIsNotAppliedTwice() {
        String washer = api.provision("washer", "washer", "alice");

        Response first = api.send("PATCH", path(washer), WOOL, "If-Match", "\"0\"");
        Response repeat = api.send("PATCH", path(washer), WOOL, "If-Match", "\"0\"");

        assertThat(first.status()).isEqualTo(200);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.header("ETag")).contains("\"1\"");
        assertThat(repeat.json().get("version").asLong()).isEqualTo(1);
        assertThat(repeat.json().get("clientToken").asText()).isEqualTo("home-1");
        assertThat(api.get(path(washer), "Cache-Control", "no-cache")
                        .json()
                        .get("version")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void aDifferentPatchUnderAClientTokenTheKeyAlreadyUsedIs409AndNotApplied() {
        String washer = api.provision("washer", "washer", "alice");
        String carApp = api.key("[\"things:write\"]", "[\"alice\"]");
        api.sendAs(carApp, "PATCH", path(washer), WOOL);

        Response reused = api.sendAs(carApp, "PATCH", path(washer), ECO);
        Response reusedWithIfMatch = api.sendAs(carApp, "PATCH", path(washer), ECO, "If-Match", "\"1\"");

        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(reused.json().get("detail").asText())
                .startsWith("clientToken home-1 was already used for a different request");
        assertThat(reusedWithIfMatch.status()).isEqualTo(409);
        Response shadow = api.get(path(washer), "Cache-Control", "no-cache");
        assertThat(shadow.json().at("/state/desired/program").asText()).isEqualTo("wool");
        assertThat(shadow.json().get("version").asLong()).isEqualTo(1);
    }
}
