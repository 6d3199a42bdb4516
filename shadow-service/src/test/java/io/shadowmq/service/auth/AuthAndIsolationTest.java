package io.shadowmq.service.auth;

import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AuthAndIsolationTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void aRequestWithoutTokenIs401WithABearerChallenge() {
        Response response = api.sendAs(null, "GET", "/api/v1/things", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aWrongTokenIs401WithInvalidToken() {
        Response admin = api.sendAs("not-the-admin-token-at-all", "GET", "/api/v1/things", null);
        Response key = api.sendAs("smq_0123456789abcdef_nope", "GET", "/api/v1/things", null);
        Response basic = api.sendAs(null, "GET", "/api/v1/things", null, "Authorization", "Basic dXNlcjpwYXNz");

        assertThat(admin.status()).isEqualTo(401);
        assertThat(admin.header("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).contains("invalid_token"));
        assertThat(key.status()).isEqualTo(401);
        assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void aReadKeyCannotPatchProvisionOrDelete() {
        String car = api.provision("car", "car", "alice");
        String reader = api.key("[\"things:read\"]", "[\"alice\"]");

        Response read = api.sendAs(reader, "GET", "/api/v1/things/" + car, null);
        Response patch = api.sendAs(
                reader,
                "PATCH",
                "/api/v1/things/" + car + "/shadow",
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");
        Response provision = api.sendAs(
                reader,
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + Api.fresh("car") + "\",\"type\":\"car\",\"owner\":\"alice\"}");
        Response delete = api.sendAs(reader, "DELETE", "/api/v1/things/" + car, null);
        Response keys = api.sendAs(
                reader, "POST", "/api/v1/keys", "{\"name\":\"x\",\"scopes\":[\"things:admin\"],\"owners\":[\"*\"]}");

        assertThat(read.status()).isEqualTo(200);
        assertThat(patch.status()).isEqualTo(403);
        assertThat(patch.json().get("detail").asText()).contains("things:write");
        assertThat(patch.header("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value)
                        .contains("error=\"insufficient_scope\"")
                        .contains("scope=\"things:write\""));
        assertThat(provision.status()).isEqualTo(403);
        assertThat(delete.status()).isEqualTo(403);
        assertThat(keys.status()).isEqualTo(403);
    }

    @Test
    void aWriteKeyMayPatchButNotProvision() {
        String car = api.provision("car", "car", "alice");
        String writer = api.key("[\"things:write\"]", "[\"alice\"]");

        Response patch = api.sendAs(
                writer,
                "PATCH",
                "/api/v1/things/" + car + "/shadow",
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");
        Response read = api.sendAs(writer, "GET", "/api/v1/things/" + car, null);

        assertThat(patch.status()).isEqualTo(200);
        assertThat(read.status()).as("things:write does not imply things:read").isEqualTo(403);
    }

    @Test
    void anAdminKeyMayDoEverythingInItsHouseholds() {
        String admin = api.key("[\"things:admin\"]", "[\"alice\"]");
        String id = Api.fresh("car");

        Response provision = api.sendAs(
                admin, "POST", "/api/v1/things", "{\"thingId\":\"" + id + "\",\"type\":\"car\",\"owner\":\"alice\"}");
        Response foreign = api.sendAs(
                admin,
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + Api.fresh("car") + "\",\"type\":\"car\",\"owner\":\"bob\"}");
        Response read = api.sendAs(admin, "GET", "/api/v1/things/" + id, null);
        Response patch = api.sendAs(
                admin,
                "PATCH",
                "/api/v1/things/" + id + "/shadow",
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");
        Response widerKey = api.sendAs(
                admin, "POST", "/api/v1/keys", "{\"name\":\"x\",\"scopes\":[\"things:read\"],\"owners\":[\"*\"]}");

        assertThat(provision.status()).isEqualTo(201);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(read.status()).isEqualTo(200);
        assertThat(patch.status()).isEqualTo(200);
        assertThat(widerKey.status()).isEqualTo(403);
    }

    @Test
    void aKeyForAliceCannotSeeBobsCarById() {
        String bobsCar = api.provision("car", "car", "bob");
        api.send(
                "PATCH",
                "/api/v1/things/" + bobsCar + "/shadow",
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");
        String alice = api.key("[\"things:admin\"]", "[\"alice\"]");
        String missing = "nothing-" + System.nanoTime();

        Response thing = api.sendAs(alice, "GET", "/api/v1/things/" + bobsCar, null);
        Response shadow = api.sendAs(alice, "GET", "/api/v1/things/" + bobsCar + "/shadow", null);
        Response patch = api.sendAs(
                alice,
                "PATCH",
                "/api/v1/things/" + bobsCar + "/shadow",
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":false}}}}}");
        Response delete = api.sendAs(alice, "DELETE", "/api/v1/things/" + bobsCar, null);
        Response rotate = api.sendAs(alice, "POST", "/api/v1/things/" + bobsCar + "/secret", null);
        Response deleteShadow = api.sendAs(alice, "DELETE", "/api/v1/things/" + bobsCar + "/shadow", null);
        Response nonexistent = api.sendAs(alice, "GET", "/api/v1/things/" + missing, null);

        assertThat(thing.status()).isEqualTo(404);
        assertThat(thing.json().get("detail").asText())
                .isEqualTo("no thing " + bobsCar)
                .as("same words as for a thing that does not exist")
                .isEqualTo(nonexistent.json().get("detail").asText().replace(missing, bobsCar));
        assertThat(shadow.status()).isEqualTo(404);
        assertThat(patch.status()).isEqualTo(404);
        assertThat(delete.status()).isEqualTo(404);
        assertThat(rotate.status()).isEqualTo(404);
        assertThat(deleteShadow.status()).isEqualTo(404);
        assertThat(api.get("/api/v1/things/" + bobsCar + "/shadow")
                        .json()
                        .at("/state/desired/cabin/heater/isOn")
                        .asBoolean())
                .as("bob's car is untouched")
                .isTrue();
    }

    @Test
    void aKeyForAliceListsOnlyAlicesThings() {
        String alice = Api.fresh("alice");
        String bob = Api.fresh("bob");
        String carol = Api.fresh("carol");
        String alicesCar = api.provision("car", "car", alice);
        String bobsCar = api.provision("car", "car", bob);
        String carolsFridge = api.provision("fridge", "fridge", carol);
        String aliceKey = api.key("[\"things:read\"]", "[\"" + alice + "\"]");
        String twoHouseholds = api.key("[\"things:read\"]", "[\"" + alice + "\",\"" + carol + "\"]");

        Response own = api.sendAs(aliceKey, "GET", "/api/v1/things?owner=" + alice, null);
        Response foreign = api.sendAs(aliceKey, "GET", "/api/v1/things?owner=" + bob, null);
        Response all = api.sendAs(aliceKey, "GET", "/api/v1/things?limit=1000", null);
        Response merged = api.sendAs(twoHouseholds, "GET", "/api/v1/things?limit=1000", null);

        assertThat(own.json().get("items"))
                .extracting(item -> item.get("thingId").asText())
                .containsExactly(alicesCar);
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.json().get("items")).isEmpty();
        assertThat(all.json().get("items"))
                .extracting(item -> item.get("thingId").asText())
                .containsExactly(alicesCar);
        assertThat(merged.json().get("items"))
                .extracting(item -> item.get("thingId").asText())
                .containsExactlyElementsOf(java.util.stream.Stream.of(alicesCar, carolsFridge)
                        .sorted()
                        .toList())
                .doesNotContain(bobsCar);
    }

    @Test
    void aKeyForTwoHouseholdsPagesThroughBothInIdOrder() {
        String a = Api.fresh("house-a");
        String b = Api.fresh("house-b");
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api.provision("t" + i, "speaker", a));
            ids.add(api.provision("u" + i, "speaker", b));
        }
        String key = api.key("[\"things:read\"]", "[\"" + a + "\",\"" + b + "\"]");

        java.util.List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            Response page = api.sendAs(
                    key, "GET", "/api/v1/things?limit=4" + (cursor == null ? "" : "&cursor=" + cursor), null);
            page.json()
                    .get("items")
                    .forEach(item -> seen.add(item.get("thingId").asText()));
            cursor = page.json().get("nextCursor").isNull()
                    ? null
                    : page.json().get("nextCursor").asText();
        } while (cursor != null && seen.size() < 20);

        assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
    }

    @Test
    void aRevokedKeyStopsWorking() {
        Response created =
                api.send("POST", "/api/v1/keys", "{\"name\":\"temp\",\"scopes\":[\"things:read\"],\"owners\":[\"*\"]}");
        String token = created.json().get("token").asText();
        String id = created.json().get("id").asText();
        assertThat(api.sendAs(token, "GET", "/api/v1/things?limit=1", null).status())
                .isEqualTo(200);

        Response revoked = api.send("DELETE", "/api/v1/keys/" + id, null);

        assertThat(revoked.status()).isEqualTo(204);
        assertThat(api.sendAs(token, "GET", "/api/v1/things?limit=1", null).status())
                .isEqualTo(401);
        assertThat(api.send("DELETE", "/api/v1/keys/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void aKeyRevokedElsewhereStopsWorkingWithinTheCacheTime() {
        Response created =
                api.send("POST", "/api/v1/keys", "{\"name\":\"temp\",\"scopes\":[\"things:read\"],\"owners\":[\"*\"]}");
        String token = created.json().get("token").asText();
        assertThat(api.sendAs(token, "GET", "/api/v1/things?limit=1", null).status())
                .isEqualTo(200);

        // Another service instance revokes it: this one only learns when its cached lookup expires.
        service.store()
                .apiKeys()
                .revoke(created.json().get("id").asText())
                .toCompletableFuture()
                .join();

        await().atMost(Duration.ofSeconds(7))
                .pollInterval(Duration.ofMillis(250))
                .until(() ->
                        api.sendAs(token, "GET", "/api/v1/things?limit=1", null).status() == 401);
    }

    @Test
    void keyCreationAnswersTheTokenOnceAndChecksTheBody() {
        Response created = api.send(
                "POST",
                "/api/v1/keys",
                "{\"name\":\"app\",\"scopes\":[\"things:read\",\"things:write\"],\"owners\":[\"alice\"]}");
        Response badScope = api.send(
                "POST", "/api/v1/keys", "{\"name\":\"app\",\"scopes\":[\"things:fly\"],\"owners\":[\"alice\"]}");
        Response badOwner = api.send(
                "POST", "/api/v1/keys", "{\"name\":\"app\",\"scopes\":[\"things:read\"],\"owners\":[\"a/b\"]}");
        Response unknown = api.send(
                "POST",
                "/api/v1/keys",
                "{\"name\":\"app\",\"scopes\":[\"things:read\"],\"owners\":[\"alice\"],\"ttl\":5}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("token").asText())
                .startsWith("smq_" + created.json().get("id").asText() + "_");
        assertThat(created.json().get("scopes"))
                .extracting(node -> node.asText())
                .containsExactly("things:read", "things:write");
        assertThat(badScope.status()).isEqualTo(400);
        assertThat(badScope.json().get("detail").asText()).startsWith("scopes:");
        assertThat(badOwner.status()).isEqualTo(400);
        assertThat(badOwner.json().get("detail").asText()).startsWith("owners:");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asText()).contains("'ttl'");
    }
}
