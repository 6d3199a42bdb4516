package io.shadowmq.service.http;

import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a client sends in a body or a query string, the answer is a success or a 4xx problem+json, never a 5xx:
 * generated bodies (broken JSON, nasty keys, huge numbers, invalid UTF-8) and query strings against the real service
 * on a free port, with a real Redis and a real HTTP client. Bounded to a couple of hundred requests to stay fast.
 */
class HttpInputPropertyTest {

    /** jqwik runs no JUnit extensions: the same fixture as the other API tests, started and stopped by hand. */
    private static final ServiceExtension service = new ServiceExtension();

    private static Api api;
    private static String speaker;

    @BeforeContainer
    static void start() throws Exception {
        service.beforeAll(null);
        api = service.api();
        speaker = api.provision("speaker", "speaker", "alice");
    }

    @AfterContainer
    static void stop() {
        service.afterAll(null);
    }

    @Property(tries = 150)
    void anyBodyIsAnsweredWithSuccessOrA4xxProblem(
            @ForAll("routes") String route, @ForAll("bodies") byte[] body, @ForAll("contentTypes") String contentType) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1);

        Response response = api.sendBytes(api.adminToken(), method, path, body, "Content-Type", contentType);

        assertAnsweredWithoutServerError(response);
    }

    @Property(tries = 60)
    void anyQueryStringIsAnsweredWithSuccessOrA4xxProblem(@ForAll("queries") String query) {
        Response response = api.get("/api/v1/things?" + query);

        assertAnsweredWithoutServerError(response);
    }

    private static void assertAnsweredWithoutServerError(Response response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 499);
        if (response.status() >= 400) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().get("detail").asText()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of(
                "PATCH /api/v1/things/" + speaker + "/shadow",
                "POST /api/v1/things",
                "POST /api/v1/keys",
                "POST /api/v1/things/" + speaker + "/actions/announce");
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("application/json")),
                Tuple.of(2, Arbitraries.just("application/merge-patch+json")),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                "text/plain",
                                "application/json; charset=utf-16",
                                "*/*",
                                "application/json;;",
                                "application",
                                "application/json; charset")));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> json = Arbitraries.oneOf(updates(), objects(values()), values());
        return Arbitraries.frequencyOf(
                Tuple.of(8, json.map(text -> text.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(100)),
                Tuple.of(1, Combinators.combine(updates(), invalidUtf8()).as(HttpInputPropertyTest::splice)));
    }

    @Provide
    Arbitrary<String> queries() {
        // Already percent-encoded, or encoded here: the HTTP client sends only well-formed URIs.
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("owner", "type", "limit", "cursor", "ownr", "", "%00", "owner%00"),
                Arbitraries.strings().ofMaxLength(8).map(HttpInputPropertyTest::encoded));
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of(
                        "alice",
                        "0",
                        "-1",
                        "1001",
                        "%00",
                        "%C0%80",
                        "%ED%A0%80",
                        "%FF",
                        "a%20b",
                        "99999999999999999999",
                        ""),
                Arbitraries.strings().ofMaxLength(12).map(HttpInputPropertyTest::encoded));
        return Combinators.combine(names, values)
                .as((name, value) -> name + "=" + value)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(parameters -> String.join("&", parameters));
    }

    private Arbitrary<String> updates() {
        Arbitrary<String> section = Arbitraries.oneOf(objects(values()), values());
        return Combinators.combine(
                        Arbitraries.of("desired", "reported", "delta", ""),
                        section,
                        Arbitraries.of(
                                "",
                                ",\"clientToken\":\"t\"",
                                ",\"clientToken\":\"\"",
                                ",\"version\":1",
                                ",\"state\":{}"))
                .as((name, value, extra) -> "{\"state\":{\"" + name + "\":" + value + "}" + extra + "}");
    }

    private Arbitrary<String> values() {
        return Arbitraries.recursive(
                this::leaves,
                inner -> Arbitraries.oneOf(
                        objects(inner), inner.list().ofMaxSize(3).map(list -> "[" + String.join(",", list) + "]")),
                0,
                4);
    }

    private Arbitrary<String> objects(Arbitrary<String> inner) {
        Arbitrary<String> keys = Arbitraries.oneOf(
                Arbitraries.of(
                        "",
                        " ",
                        "\\u0000",
                        "a\\u0001b",
                        "a.b",
                        "\\ud800",
                        "volume",
                        "muted",
                        "thingId",
                        "type",
                        "owner",
                        "name",
                        "scopes",
                        "owners",
                        "k".repeat(10_000)),
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(6));
        return Combinators.combine(keys, inner)
                .as((key, value) -> "\"" + key + "\":" + value)
                .list()
                .ofMaxSize(4)
                .map(members -> "{" + String.join(",", members) + "}");
    }

    private Arbitrary<String> leaves() {
        return Arbitraries.of(
                "null",
                "true",
                "7",
                "-0",
                "1e400",
                "99999999999999999999",
                "1.5",
                "\"speaker\"",
                "\"alice\"",
                "[\"things:read\"]",
                "[\"*\"]",
                "\"\"",
                "\"\\ud800\"",
                "{",
                "}",
                "\"unterminated");
    }

    private Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(
                new byte[] {(byte) 0xC0, (byte) 0x80},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xE2, (byte) 0x82});
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The bad bytes right after the first quote, inside the first key. */
    private static byte[] splice(String json, byte[] bad) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        int at = json.indexOf('"') + 1;
        byte[] out = new byte[text.length + bad.length];
        System.arraycopy(text, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(text, at, out, at + bad.length, text.length - at);
        return out;
    }
}
