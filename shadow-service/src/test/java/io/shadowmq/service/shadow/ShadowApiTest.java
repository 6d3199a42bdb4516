package io.shadowmq.service.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowApiTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void patchingDesiredReturnsTheNewDocumentWithItsVersionAsETag() {
        String car = api.provision("car", "car", "alice");

        Response patched = api.send(
                "PATCH",
                path(car),
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true,\"targetTemperature\":21}}}},\"clientToken\":\"home-1\"}");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.header("ETag")).contains("\"1\"");
        JsonNode doc = patched.json();
        assertThat(doc.get("version").asLong()).isEqualTo(1);
        assertThat(doc.get("clientToken").asText()).isEqualTo("home-1");
        assertThat(doc.at("/state/desired/cabin/heater/targetTemperature").asInt())
                .isEqualTo(21);
        assertThat(doc.at("/state/delta/cabin/heater/isOn").asBoolean()).isTrue();
        assertThat(doc.at("/metadata/desired/cabin/heater/isOn/timestamp").asLong())
                .isPositive();
        assertThat(doc.has("timestamp")).isTrue();
    }

    @Test
    void getShowsReportedDesiredAndDeltaLikeGetAccepted() {
        String car = api.provision("car", "car", "alice");
        report(car, "{\"state\":{\"reported\":{\"range\":310,\"cabin\":{\"heater\":{\"isOn\":false}}}}}");
        api.send("PATCH", path(car), "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}");

        Response shadow = api.get(path(car));

        assertThat(shadow.status()).isEqualTo(200);
        assertThat(shadow.header("ETag")).contains("\"2\"");
        assertThat(shadow.json().at("/state/reported/range").asInt()).isEqualTo(310);
        assertThat(shadow.json().at("/state/desired/cabin/heater/isOn").asBoolean())
                .isTrue();
        assertThat(shadow.json().at("/state/delta/cabin/heater/isOn").asBoolean())
                .isTrue();
        assertThat(shadow.json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aThingWithoutShadowAnswers404() {
        String car = api.provision("car", "car", "alice");

        assertThat(api.get(path(car)).status()).isEqualTo(404);
        assertThat(api.get(path(car)).json().get("detail").asText()).contains("no shadow");
        assertThat(api.get(path("ghost-" + System.nanoTime())).status()).isEqualTo(404);
    }

    @Test
    void ifMatchWithTheCurrentVersionApplies() {
        String speaker = api.provision("speaker", "speaker", "alice");
        api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":10}}}");

        Response patched =
                api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":20}}}", "If-Match", "\"1\"");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.header("ETag")).contains("\"2\"");
    }

    @Test
    void ifMatchWithAnOldVersionIs412AndChangesNothing() {
        String speaker = api.provision("speaker", "speaker", "alice");
        api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":10}}}");
        api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":11}}}");

        Response stale =
                api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":99}}}", "If-Match", "\"1\"");
        Response weak =
                api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":99}}}", "If-Match", "W/\"2\"");

        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.contentType()).startsWith("application/problem+json");
        assertThat(weak.status()).isEqualTo(412);
        assertThat(api.get(path(speaker)).json().at("/state/desired/volume").asInt())
                .isEqualTo(11);
    }

    @Test
    void ifMatchAnyNeedsAnExistingShadow() {
        String speaker = api.provision("speaker", "speaker", "alice");

        Response none = api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":5}}}", "If-Match", "*");
        api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":6}}}");
        Response some = api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":7}}}", "If-Match", "*");

        assertThat(none.status()).isEqualTo(412);
        assertThat(some.status()).isEqualTo(200);
    }

    @Test
    void malformedIfMatchIs400() {
        String speaker = api.provision("speaker", "speaker", "alice");

        Response response =
                api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":5}}}", "If-Match", "7");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).startsWith("If-Match:");
    }

    @Test
    void patchingReportedIs400NamingIt() {
        String car = api.provision("car", "car", "alice");

        Response response = api.send("PATCH", path(car), "{\"state\":{\"reported\":{\"range\":5}}}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).startsWith("state.reported:");
    }

    @Test
    void versionInTheBodyIs400PointingToIfMatch() {
        String car = api.provision("car", "car", "alice");

        Response response = api.send(
                "PATCH", path(car), "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}},\"version\":0}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText())
                .startsWith("version:")
                .contains("If-Match");
    }

    @Test
    void unknownFieldsAndBrokenJsonAre400WithTheMqttMessages() {
        String car = api.provision("car", "car", "alice");

        Response unknown = api.send("PATCH", path(car), "{\"state\":{\"desired\":{}},\"colour\":\"red\"}");
        Response notJson = api.send("PATCH", path(car), "{\"state\":");
        Response duplicate = api.send("PATCH", path(car), "{\"state\":{\"desired\":{}},\"state\":{}}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asText()).contains("'colour'");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("detail").asText()).startsWith("not JSON");
        assertThat(duplicate.json().get("detail").asText()).contains("duplicate key 'state'");
    }

    @Test
    void modelViolationsAre422NamingThePropertyAndTheRule() {
        String car = api.provision("car", "car", "alice");

        Response tooHot = api.send(
                "PATCH", path(car), "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"targetTemperature\":35}}}}}");
        Response readOnly = api.send("PATCH", path(car), "{\"state\":{\"desired\":{\"range\":500}}}");
        Response unknown = api.send("PATCH", path(car), "{\"state\":{\"desired\":{\"warpDrive\":true}}}");

        assertThat(tooHot.status()).isEqualTo(422);
        assertThat(tooHot.json().get("detail").asText()).isEqualTo("cabin.heater.targetTemperature: 35 > maximum 28");
        assertThat(readOnly.status()).isEqualTo(422);
        assertThat(readOnly.json().get("detail").asText()).startsWith("range:");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("detail").asText()).contains("warpDrive");
    }

    @Test
    void aBodyOver64KiBIs413() {
        String car = api.provision("car", "car", "alice");
        String huge = "{\"state\":{\"desired\":{\"x\":\"" + "a".repeat(70_000) + "\"}}}";

        Response response = api.send("PATCH", path(car), huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void clearingDesiredWithNullIsAccepted() {
        String speaker = api.provision("speaker", "speaker", "alice");
        api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":5}}}");

        Response cleared = api.send("PATCH", path(speaker), "{\"state\":{\"desired\":null}}");

        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().at("/state/desired").isEmpty()).isTrue();
    }

    @Test
    void deletingTheShadowKeepsItsVersionForTheNextUpdate() {
        String speaker = api.provision("speaker", "speaker", "alice");
        api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":5}}}");

        Response deleted = api.send("DELETE", path(speaker), null);
        Response gone = api.get(path(speaker));
        Response again = api.send("DELETE", path(speaker), null);
        Response next = api.send("PATCH", path(speaker), "{\"state\":{\"desired\":{\"volume\":6}}}");

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(again.status()).isEqualTo(404);
        assertThat(next.header("ETag")).contains("\"2\"");
    }

    @Test
    void getIsAnsweredFromMemoryAndCacheControlNoCacheAsksRedis() {
        String car = api.provision("car", "car", "alice");
        report(car, "{\"state\":{\"reported\":{\"range\":250}}}");
        api.get(path(car));
        long fromMemory = shadowReads("memory");
        long fromRedis = shadowReads("redis");

        Response cached = api.get(path(car));
        Response latest = api.get(path(car), "Cache-Control", "no-cache");

        assertThat(cached.status()).isEqualTo(200);
        assertThat(latest.status()).isEqualTo(200);
        assertThat(cached.header("ETag")).isEqualTo(latest.header("ETag"));
        assertThat(latest.json().at("/state/reported/range").asInt()).isEqualTo(250);
        assertThat(shadowReads("memory")).isEqualTo(fromMemory + 1);
        assertThat(shadowReads("redis")).isEqualTo(fromRedis + 1);
    }

    @Test
    void cacheControlDirectivesThatRefuseAStoredAnswerReadFromRedis() {
        assertThat(ShadowRoutes.wantsLatest("no-cache")).isTrue();
        assertThat(ShadowRoutes.wantsLatest("No-Cache")).isTrue();
        assertThat(ShadowRoutes.wantsLatest("max-age=0")).isTrue();
        assertThat(ShadowRoutes.wantsLatest("no-store, max-age = 0")).isTrue();
        assertThat(ShadowRoutes.wantsLatest(null)).isFalse();
        assertThat(ShadowRoutes.wantsLatest("max-age=60")).isFalse();
        assertThat(ShadowRoutes.wantsLatest("no-store")).isFalse();
    }

    private long shadowReads(String source) {
        Matcher line = Pattern.compile(
                        "^shadowmq_shadow_reads_total\\{source=\"" + source + "\",?} ([0-9.E]+)$", Pattern.MULTILINE)
                .matcher(api.sendAs(null, "GET", "/metrics", null).body());
        assertThat(line.find())
                .as("metric shadowmq_shadow_reads_total{source=%s}", source)
                .isTrue();
        return (long) Double.parseDouble(line.group(1));
    }

    private void report(String thing, String json) {
        service.report(thing, json);
    }

    private static String path(String thing) {
        return "/api/v1/things/" + thing + "/shadow";
    }
}
