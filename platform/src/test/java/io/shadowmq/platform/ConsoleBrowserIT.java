package io.shadowmq.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.platform.up.DemoHousehold;
import io.shadowmq.platform.up.LocalPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The household console in a real browser (Debian's chromium, headless, driven through its chromedriver by
 * Selenium) against a whole local platform — Redis, HiveMQ with the packaged extension, the REST service — and the
 * demo household {@code ./shadowmq up} runs, its devices simulated on the device SDK. The steps run in order on one
 * browser, as a person would use the page; each leaves a screenshot in {@code target/console-screenshots/}.
 *
 * <p>Without a chromium and a chromedriver on this machine the tests are skipped (an assumption naming what is
 * missing): nothing is downloaded. {@code .ci/run} installs both where it can.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final List<String> BROWSERS =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    static Path dataDir;

    static LocalPlatform platform;
    static DemoHousehold demo;
    static WebDriver browser;
    static final List<String> deviceLines = new CopyOnWriteArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();

    /** What is missing to run the browser tests, or null; each test is skipped with it (an assumption). */
    static String missing;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> chromium = firstExisting("shadowmq.chromium", BROWSERS);
        Optional<String> driver = firstExisting("shadowmq.chromedriver", DRIVERS);
        if (chromium.isEmpty()) {
            missing = "no chromium found (looked at " + System.getProperty("shadowmq.chromium", BROWSERS.toString())
                    + "; -Dshadowmq.chromium=PATH names another): install it with apt-get install chromium "
                    + "chromium-driver; the console's browser tests are skipped";
        } else if (driver.isEmpty()) {
            missing = "no chromedriver found (looked at "
                    + System.getProperty("shadowmq.chromedriver", DRIVERS.toString())
                    + "; -Dshadowmq.chromedriver=PATH names another): install it with apt-get install "
                    + "chromium-driver; the console's browser tests are skipped";
        }
        if (missing != null) {
            System.err.println("ConsoleBrowserIT: " + missing);
            return;
        }
        Files.createDirectories(SHOTS);
        platform = LocalPlatform.start(
                LocalPlatform.Options.onFreePorts(dataDir, Path.of("..", "extension", "target", "shadowmq-extension")),
                line -> {});
        demo = DemoHousehold.start(
                platform.httpUri(), platform.adminToken(), platform.host(), platform.mqttPort(), deviceLines::add);

        // The given driver executable: Selenium Manager is never asked to find or download one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver.get()))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,1100",
                "--lang=en-GB",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @BeforeEach
    void needsABrowser() {
        Assumptions.assumeTrue(missing == null, () -> missing);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    private static String console() {
        return platform.httpUri() + "/console/";
    }

    @Test
    @Order(1)
    void aTokenInTheFragmentSignsInAndLeavesTheAddressBarAtOnce() throws Exception {
        browser.get(console() + "#token=" + platform.adminToken());

        card("demo-speaker");
        assertThat(browser.getCurrentUrl()).isEqualTo(console()).doesNotContain(platform.adminToken());
        assertThat(js("return sessionStorage.getItem('shadowmq.console.token')"))
                .isEqualTo(platform.adminToken());
        for (String thing : demo.things()) {
            card(thing);
        }
        await(() -> browser.findElement(By.id("stream-state")).getText().equals("Live"));
        shot("01-household");

        browser.findElement(By.id("signout")).click();

        await(() -> browser.findElement(By.id("signin")).isDisplayed());
        assertThat(js("return sessionStorage.getItem('shadowmq.console.token')"))
                .isNull();
        assertThat(browser.findElements(By.cssSelector("article.card"))).isEmpty();
    }

    @Test
    @Order(2)
    void aRefusedKeyShowsTheServersMessageAndTheFormSignsInWithEnter() throws Exception {
        String wrong = "smq_0000000000000000_notakey";
        HttpResponse<String> refused = rest("GET", "/api/v1/things", null, wrong);
        String detail = SafeJson.read(refused.body()).get("detail").asText();
        assertThat(refused.statusCode()).isEqualTo(401);

        WebElement key = browser.findElement(By.id("signin-key"));
        key.sendKeys(wrong, Keys.ENTER);

        await(() -> browser.findElement(By.id("signin-error")).getText().equals(detail));
        assertThat(browser.findElement(By.id("signin-key")).getAttribute("type"))
                .isEqualTo("password");
        shot("02-sign-in-refused");

        browser.findElement(By.id("signin-key")).sendKeys(platform.adminToken(), Keys.ENTER);

        card("demo-fridge");
        assertThat(browser.findElement(By.id("signin")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("signin-error")).getText()).isEmpty();
    }

    @Test
    @Order(3)
    void aValueADeviceReportsShowsUpWithoutReloading() {
        // The fridge starts warm and cools down towards its target: its simulator reports every tick.
        WebElement temperature = reported("demo-fridge", "temperature");
        String before = temperature.getText();

        await(() -> !reported("demo-fridge", "temperature").getText().equals(before));

        assertThat(reported("demo-fridge", "temperature").getText()).endsWith("°C");
        shot("03-live-report", card("demo-fridge"));
    }

    @Test
    @Order(4)
    void aDesiredValueSetInTheFormReachesTheDeviceAndIsApplied() throws Exception {
        WebElement volume = openDesired("demo-speaker", "volume");
        volume.sendKeys("40", Keys.ENTER);

        await(() -> deviceLines.stream().anyMatch(line -> line.startsWith("demo-speaker asked to {\"volume\":40}")));
        await(() -> reported("demo-speaker", "volume").getText().equals("40%"));
        await(() -> desiredCell("demo-speaker", "volume").getText().contains("applied"));
        assertThat(status()).contains("Desired values of demo-speaker sent");
        shot("04-desired-applied", card("demo-speaker"));
    }

    @Test
    @Order(5)
    void theBrowserRefusesAnOutOfRangeValueBeforeSendingIt() throws Exception {
        long version = shadowVersion("demo-speaker");
        WebElement volume = openDesired("demo-speaker", "volume");
        volume.sendKeys("150", Keys.ENTER);

        WebElement error = fieldError(volume);
        await(() -> error.getText().equals("150 > maximum 100"));
        assertThat(error.getAttribute("data-source")).isEqualTo("browser");
        assertThat(volume.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(status()).isEqualTo("Not sent to demo-speaker: volume: 150 > maximum 100");
        assertThat(shadowVersion("demo-speaker")).as("nothing was sent").isEqualTo(version);
        shot("05-browser-check", card("demo-speaker"));
        volume.clear();
    }

    @Test
    @Order(6)
    void whatTheServerStillRefusesIsShownNextToTheFieldWithItsMessage() {
        WebElement check = browser.findElement(By.id("browser-check"));
        check.click();
        assertThat(check.isSelected()).isFalse();
        try {
            WebElement volume = openDesired("demo-speaker", "volume");
            volume.sendKeys("150", Keys.ENTER);

            WebElement error = fieldError(volume);
            await(() -> "server".equals(error.getAttribute("data-source")));
            assertThat(error.getText()).isEqualTo("150 > maximum 100");
            assertThat(status())
                    .isEqualTo("The server refused the desired values of demo-speaker: volume: 150 > maximum 100");
            shot("06-server-422", card("demo-speaker"));
            volume.clear();
        } finally {
            check.click();
        }
    }

    @Test
    @Order(7)
    void theConsolesStreamReaderResumesAfterADropWithNothingLostOrRepeated() throws Exception {
        // The console's own EventFeed (sse.js), in the page, on the speaker's stream; a drop is what the reader's
        // silence watchdog does to a dead connection: the request aborted.
        ((JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[0];"
                        + "import('/console/sse.js').then(({ EventFeed }) => {"
                        + "  window.dropTest = { events: [], states: [] };"
                        + "  window.dropTest.feed = new EventFeed('/api/v1/things/demo-speaker/events', {"
                        + "    onEvent: (e) => window.dropTest.events.push({ id: e.id, event: e.event, data: e.data }),"
                        + "    onState: (state) => window.dropTest.states.push(state) }).start();"
                        + "  done('started'); });");
        await(() -> js("return window.dropTest.states.join(' ')").equals("live"));
        desireVolume(55);
        await(() -> (Boolean) js("return window.dropTest.events.some(e => e.data.includes('\"volume\":55'))"));

        js("window.dropTest.feed.controller.abort()");
        await(() -> js("return window.dropTest.states.join(' ')").equals("live reconnecting"));
        // Changed while the stream is down: only a resume from the last event id brings it.
        desireVolume(56);
        await(() -> js("return window.dropTest.states.join(' ')").equals("live reconnecting live"));
        await(() -> (Boolean) js("return window.dropTest.events.some(e => e.data.includes('\"volume\":56'))"));
        js("window.dropTest.feed.stop()");

        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) js("return window.dropTest.events.map(e => e.id)");
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).isSortedAccordingTo(ConsoleBrowserIT::compareFeedIds);
    }

    private static void desireVolume(int volume) throws Exception {
        assertThat(rest(
                                "PATCH",
                                "/api/v1/things/demo-speaker/shadow",
                                "{\"state\":{\"desired\":{\"volume\":" + volume + "}}}",
                                platform.adminToken())
                        .statusCode())
                .isEqualTo(200);
    }

    /** Feed ids {@code <ms>-<seq>} in their order. */
    private static int compareFeedIds(String a, String b) {
        String[] left = a.split("-");
        String[] right = b.split("-");
        int byMillis = Long.compare(Long.parseLong(left[0]), Long.parseLong(right[0]));
        return byMillis != 0 ? byMillis : Long.compare(Long.parseLong(left[1]), Long.parseLong(right[1]));
    }

    @Test
    @Order(8)
    void anActionIsInvokedAndItsProgressFollowed() {
        WebElement washer = card("demo-washer");
        washer.findElement(By.cssSelector("details.actions > summary")).click();
        WebElement start = washer.findElement(By.cssSelector("form.action-form[data-action='start']"));
        new Select(start.findElement(By.cssSelector("select[data-path='program']"))).selectByVisibleText("quick");
        start.findElement(By.cssSelector("button[type=submit]")).click();

        try {
            await(() -> !washer.findElements(By.cssSelector("ol.commands li[data-status='running'] progress"))
                    .isEmpty());
            await(() -> reported("demo-washer", "state").getText().equals("running"));
            assertThat(deviceLines).anyMatch(line -> line.startsWith("demo-washer runs start {\"program\":\"quick\"}"));
        } finally {
            shot("07-action-progress", washer);
        }
    }

    @Test
    @Order(9)
    void theConsolesValidatorAnswersEveryCaseOfTheSharedFileAsTheServerDoes() throws Exception {
        Path cases = Path.of(
                "..",
                "thing-model",
                "src",
                "test",
                "resources",
                "io",
                "shadowmq",
                "model",
                "schema",
                "validation-cases.json");
        String text = Files.readString(cases);
        List<String> expected = new ArrayList<>();
        SafeJson.read(text)
                .get("cases")
                .forEach(c -> expected.add(c.get("expect").asText()));

        Object answers = ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const [text, done] = arguments; const file = JSON.parse(text);"
                                + "import('/console/validate.js')"
                                + ".then(m => done(file.cases.map(c => m.answer(file, c))))"
                                + ".catch(e => done('failed: ' + e));",
                        text);

        assertThat(answers).isInstanceOf(List.class);
        assertThat(answers).asList().hasSize(expected.size()).containsExactlyElementsOf(expected);
    }

    @Test
    @Order(10)
    void theLastHourIsReadFromTheHistoryAndCharted() throws Exception {
        // What the chart is drawn from: the temperature's points of the last hour.
        long anHourAgo = System.currentTimeMillis() - 3_600_000;
        HttpResponse<String> history = rest(
                "GET",
                "/api/v1/things/demo-fridge/history?path=state.reported.temperature&from=" + anHourAgo,
                null,
                platform.adminToken());
        assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
        assertThat(SafeJson.read(history.body()).get("points")).isNotEmpty();

        browser.navigate().refresh();
        WebElement fridge = card("demo-fridge");
        // Read in one script: the charts are redrawn as reports arrive, so an element found first may be gone.
        String chart = "document.querySelector(\"article.card[data-thing='demo-fridge'] "
                + "figure.chart[data-path='temperature'] svg\")";
        await(() -> ((Number) js("const svg = " + chart + "; return svg === null ? 0 : "
                                + "svg.querySelector('polyline').getAttribute('points').split(' ').length"))
                        .intValue()
                >= 3);
        assertThat(js("return " + chart + ".getAttribute('role')")).isEqualTo("img");
        assertThat((String) js("return " + chart + ".getAttribute('aria-label')"))
                .startsWith("Temperature since ");
        shot("09-history", fridge);
    }

    @Test
    @Order(11)
    void anAdminProvisionsAThingSeesItsSecretOnceAndDeletesIt() {
        WebElement admin = browser.findElement(By.id("admin"));
        await(admin::isDisplayed);
        WebElement form = admin.findElement(By.id("provision-form"));
        form.findElement(By.id("provision-id")).sendKeys("demo-speaker-2");
        new Select(form.findElement(By.id("provision-type"))).selectByValue("speaker");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        await(() -> !form.findElements(By.cssSelector(".once code.secret")).isEmpty());
        String secret = form.findElement(By.cssSelector(".once code.secret")).getText();
        assertThat(secret).hasSizeGreaterThan(30);
        assertThat(form.findElement(By.cssSelector(".once button")).getText()).isEqualTo("Copy secret");
        shot("10-admin-provisioned", form);

        card("demo-speaker-2");
        await(() -> !browser.findElements(By.cssSelector("#admin button[aria-label='Delete demo-speaker-2']"))
                .isEmpty());
        WebElement delete = browser.findElement(By.cssSelector("#admin button[aria-label='Delete demo-speaker-2']"));
        delete.click();
        assertThat(delete.getText()).isEqualTo("Really delete demo-speaker-2?");
        delete.click();

        await(() -> browser.findElements(By.cssSelector("article.card[data-thing='demo-speaker-2']"))
                .isEmpty());
    }

    @Test
    @Order(12)
    void aPhoneSizedScreenNeedsNoSidewaysScrolling() throws Exception {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            card("demo-car");
            await(() -> ((Number) js("return window.innerWidth")).intValue() <= 390);
            // The cards were rebuilt by the admin step: the picture waits for the hour's history to be drawn.
            await(() -> ((Number) js("const line = document.querySelector(\"article.card[data-thing='demo-washer'] "
                                    + "figure.chart polyline\"); return line === null ? 0 : "
                                    + "line.getAttribute('points').split(' ').length"))
                            .intValue()
                    >= 3);
            js("window.scrollTo(0, 0)");
            Number overflow = (Number) js("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(overflow.intValue())
                    .as("horizontal overflow in px at 390 px")
                    .isLessThanOrEqualTo(0);
            shot("11-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1100));
        }
    }

    @Test
    @Order(13)
    void theBrowserLoggedNoErrorsButTheRefusalsTheStepsAskedFor() {
        List<String> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();

        // Chrome reports every refused fetch as "Failed to load resource": the refused key (401), the value the
        // server refused (422) and the shadow of the thing provisioned above, which never reported (404, shown as
        // an empty shadow) were the steps' own. Nothing else may be there.
        assertThat(severe.stream()
                        .filter(message -> !(message.contains("/api/v1/things?") && message.contains("status of 401"))
                                && !(message.contains("/api/v1/things/demo-speaker/shadow")
                                        && message.contains("status of 422"))
                                && !(message.contains("/api/v1/things/demo-speaker-2/shadow")
                                        && message.contains("status of 404")))
                        .toList())
                .as("SEVERE entries of the browser log")
                .isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** The path the system property names (only that one, when given), else the first of the usual places. */
    private static Optional<String> firstExisting(String property, List<String> candidates) {
        String given = System.getProperty(property);
        return (given != null ? Stream.of(given) : candidates.stream())
                .filter(path -> Files.isExecutable(Path.of(path)))
                .findFirst();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, PATIENCE)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(driver -> condition.getAsBoolean());
    }

    private static WebElement card(String thingId) {
        By selector = By.cssSelector("article.card[data-thing='" + thingId + "']");
        new WebDriverWait(browser, PATIENCE)
                .until(driver -> !driver.findElements(selector).isEmpty());
        return browser.findElement(selector);
    }

    private static WebElement reported(String thingId, String path) {
        return card(thingId).findElement(By.cssSelector("tr[data-path='" + path + "'] td.reported"));
    }

    private static WebElement desiredCell(String thingId, String path) {
        return card(thingId).findElement(By.cssSelector("tr[data-path='" + path + "'] td.desired"));
    }

    /** The card's desired-values form opened, and its field for {@code path}. */
    private static WebElement openDesired(String thingId, String path) {
        WebElement details = card(thingId).findElement(By.cssSelector("details.set-desired"));
        if (details.getAttribute("open") == null) {
            details.findElement(By.tagName("summary")).click();
        }
        return details.findElement(By.cssSelector("[data-path='" + path + "']"));
    }

    private static WebElement fieldError(WebElement control) {
        return browser.findElement(By.id(control.getAttribute("aria-describedby")));
    }

    private static String status() {
        return browser.findElement(By.id("status")).getText();
    }

    private static void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void shot(String name, WebElement element) {
        try {
            Files.write(SHOTS.resolve(name + ".png"), element.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> rest(String method, String path, String body, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(platform.httpUri() + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long shadowVersion(String thingId) throws Exception {
        JsonNode doc = SafeJson.read(rest("GET", "/api/v1/things/" + thingId + "/shadow", null, platform.adminToken())
                .body());
        return doc.get("version").asLong();
    }
}
