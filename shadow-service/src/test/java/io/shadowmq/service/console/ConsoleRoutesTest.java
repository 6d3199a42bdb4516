package io.shadowmq.service.console;

import io.shadowmq.service.Api;
import io.shadowmq.service.Api.Response;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's static files as the service serves them: types, security headers, caching, 404s, the redirect. */
class ConsoleRoutesTest {

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void consoleWithoutSlashRedirectsToThePage() {
        Response answer = api.sendAs(null, "GET", "/console", null);

        assertThat(answer.status()).isEqualTo(301);
        assertThat(answer.header("Location")).contains("/console/");
    }

    @Test
    void thePageIsHtmlWithAStrictPolicyAndNeedsNoToken() {
        Response page = api.sendAs(null, "GET", "/console/", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType().replace(" ", "")).isEqualTo("text/html;charset=utf-8");
        assertThat(page.body()).contains("<html lang=\"en\">").contains("<script type=\"module\" src=\"app.js\">");
        assertSecured(page);
    }

    @ParameterizedTest
    @CsvSource({
        "app.js, text/javascript; charset=utf-8",
        "validate.js, text/javascript; charset=utf-8",
        "console.css, text/css; charset=utf-8",
        "index.html, text/html; charset=utf-8"
    })
    void everyFileHasItsContentTypeAndTheSecurityHeaders(String file, String contentType) {
        Response answer = api.sendAs(null, "GET", "/console/" + file, null);

        assertThat(answer.status()).isEqualTo(200);
        // Jetty writes "text/html;charset=utf-8" without the space: the same type.
        assertThat(answer.contentType().replace(" ", "")).isEqualTo(contentType.replace(" ", ""));
        assertSecured(answer);
    }

    @Test
    void anUnchangedFileIsRevalidatedWith304() {
        Response first = api.sendAs(null, "GET", "/console/app.js", null);
        String etag = first.header("ETag").orElseThrow();

        Response again = api.sendAs(null, "GET", "/console/app.js", null, "If-None-Match", etag);

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).contains(etag);
        assertSecured(again);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nothing.js", "secret.txt", "APP.JS", "..%2Fops%2Fopenapi.json", "%2e%2e", "app.js.map"})
    void whatIsNoFileOfTheConsoleIs404(String name) {
        Response answer = api.sendAs(null, "GET", "/console/" + name, null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void theClassOfTheRoutesIsNoFileOfTheConsole() {
        // Names are looked up under console/ only: nothing else in the jar is reachable.
        assertThat(api.sendAs(null, "GET", "/console/logback.xml", null).status())
                .isEqualTo(404);
    }

    /**
     * Every module the page imports is served (a missing one would break the page in the browser only), and none of
     * the files has inline script or style that the policy would block.
     */
    @Test
    void everyImportedModuleIsServedAndNothingIsInline() throws IOException {
        String page = read("index.html");
        assertThat(page).doesNotContain("style=").doesNotContain("<style").doesNotContain("onclick");
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(page).find())
                .as("inline script in index.html")
                .isFalse();
        for (String module : new String[] {
            "app.js", "api.js", "sse.js", "card.js", "admin.js", "chart.js", "model.js", "dom.js", "validate.js"
        }) {
            String source = read(module);
            Matcher imports = Pattern.compile("from '\\./([a-z-]+\\.js)'").matcher(source);
            while (imports.find()) {
                assertThat(api.sendAs(null, "GET", "/console/" + imports.group(1), null)
                                .status())
                        .as("%s imported by %s", imports.group(1), module)
                        .isEqualTo(200);
            }
            assertThat(source).as(module).doesNotContain("innerHTML").doesNotContain("eval(");
        }
    }

    private static void assertSecured(Response answer) {
        assertThat(answer.header("Content-Security-Policy")).contains(ConsoleRoutes.CONTENT_SECURITY_POLICY);
        assertThat(ConsoleRoutes.CONTENT_SECURITY_POLICY)
                .startsWith("default-src 'self'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(answer.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(answer.header("Cache-Control")).contains("no-cache");
        assertThat(answer.header("ETag")).isPresent();
    }

    private static String read(String name) throws IOException {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(ConsoleRoutes.RESOURCE_DIR + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
