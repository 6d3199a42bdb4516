package io.shadowmq.platform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.broker.FreePort;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.platform.ShadowmqCli;
import io.shadowmq.redis.process.RedisServerProcess;
import io.shadowmq.service.ServiceConfig;
import io.shadowmq.service.ShadowService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./shadowmq things|shadow} against a real REST service (a real Redis behind it), each call in a JVM of its
 * own with a controlled environment: the environment spares {@code --http}/{@code --token}, flags win, and every
 * expected failure is one line with the cause and the fix, exit 1.
 */
class OperatorCliTest {

    private static final String TOKEN = "operator-cli-test-admin-token";

    private static RedisServerProcess redis;
    private static ShadowService service;
    private static String url;

    @TempDir
    Path workingDir;

    @BeforeAll
    static void startService() throws Exception {
        redis = RedisServerProcess.builder().build().start();
        service = ShadowService.start(ServiceConfig.builder()
                .httpHost("127.0.0.1")
                .httpPort(0)
                .redisAddress(redis.uri())
                .pepper("operator-cli-test-pepper-16+")
                .adminToken(TOKEN)
                .build());
        url = "http://127.0.0.1:" + service.port();
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theEnvironmentSparesHttpAndToken() throws Exception {
        CliRun.Result created = CliRun.run(
                OperatorCli.class,
                Map.of("SHADOWMQ_URL", url, "SHADOWMQ_TOKEN", TOKEN),
                workingDir,
                "things",
                "create",
                "--type",
                "car",
                "--owner",
                "alice",
                "--id",
                "car-env");
        CliRun.Result read = CliRun.run(
                OperatorCli.class,
                Map.of("SHADOWMQ_URL", url, "SHADOWMQ_TOKEN", TOKEN),
                workingDir,
                "things",
                "get",
                "car-env");

        assertThat(created.exit()).as(created.stderr()).isZero();
        assertThat(SafeJson.read(created.stdout()).get("secret").asText()).isNotBlank();
        assertThat(read.exit()).as(read.stderr()).isZero();
        JsonNode thing = SafeJson.read(read.stdout());
        assertThat(thing.get("owner").asText()).isEqualTo("alice");
    }

    @Test
    void flagsWinOverTheEnvironment() throws Exception {
        int nobodyListens = FreePort.pick();
        CliRun.Result wrongUrlInEnv = CliRun.run(
                OperatorCli.class,
                Map.of(
                        "SHADOWMQ_URL",
                        "http://127.0.0.1:" + nobodyListens,
                        "SHADOWMQ_TOKEN",
                        "wrong-token-from-the-environment"),
                workingDir,
                "things",
                "list",
                "--http=" + url,
                "--token",
                TOKEN);
        CliRun.Result wrongTokenFlag = CliRun.run(
                OperatorCli.class,
                Map.of("SHADOWMQ_URL", url, "SHADOWMQ_TOKEN", TOKEN),
                workingDir,
                "things",
                "list",
                "--token",
                "a-wrong-token-given-as-a-flag");

        assertThat(wrongUrlInEnv.exit()).as(wrongUrlInEnv.stderr()).isZero();
        assertThat(SafeJson.read(wrongUrlInEnv.stdout()).has("items")).isTrue();
        assertThat(wrongTokenFlag.exit()).isEqualTo(1);
        assertThat(wrongTokenFlag.errorLines())
                .containsExactly("shadowmq things list: the REST service at " + url
                        + " refused the token (HTTP 401): set SHADOWMQ_TOKEN or pass --token with the admin token "
                        + "./shadowmq up printed");
    }

    @Test
    void anUnreachableServiceIsOneLineWithTheFix() throws Exception {
        int nobodyListens = FreePort.pick();
        CliRun.Result result = CliRun.run(
                OperatorCli.class,
                Map.of("SHADOWMQ_URL", "http://127.0.0.1:" + nobodyListens, "SHADOWMQ_TOKEN", TOKEN),
                workingDir,
                "shadow",
                "get",
                "car-1");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.errorLines())
                .containsExactly("shadowmq shadow get: cannot reach the REST service at "
                        + "http://127.0.0.1:" + nobodyListens
                        + " (connection refused): start it with ./shadowmq up, or set "
                        + "SHADOWMQ_URL or --http to where it runs");
    }

    @Test
    void anUnknownHostIsSaidSo() throws Exception {
        CliRun.Result result = CliRun.run(
                OperatorCli.class,
                Map.of("SHADOWMQ_TOKEN", TOKEN),
                workingDir,
                "things",
                "list",
                "--http",
                "http://no-such-host.invalid:8080");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errorLines())
                .singleElement()
                .asString()
                .contains("cannot reach the REST service at http://no-such-host.invalid:8080 (unknown host)");
    }

    @Test
    void noTokenAnywhereIsOneLineWithTheFix() throws Exception {
        CliRun.Result result = CliRun.run(OperatorCli.class, Map.of("SHADOWMQ_URL", url), workingDir, "things", "list");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errorLines())
                .containsExactly("shadowmq things list: no admin token: set SHADOWMQ_TOKEN or "
                        + "pass --token (or run where ./shadowmq up keeps data/admin-token)");
    }

    @Test
    void theDataDirsAdminTokenIsUsedWhenNoneIsGiven() throws Exception {
        Files.createDirectories(workingDir.resolve("data"));
        Files.writeString(workingDir.resolve("data").resolve("admin-token"), TOKEN + "\n");

        CliRun.Result result = CliRun.run(OperatorCli.class, Map.of("SHADOWMQ_URL", url), workingDir, "things", "list");

        assertThat(result.exit()).as(result.stderr()).isZero();
    }

    @Test
    void aProblemAnswerIsOneLineWithItsTitleAndDetail() throws Exception {
        CliRun.Result result = CliRun.run(
                OperatorCli.class,
                Map.of("SHADOWMQ_URL", url, "SHADOWMQ_TOKEN", TOKEN),
                workingDir,
                "things",
                "get",
                "no-such-thing");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errorLines())
                .containsExactly("shadowmq things get: HTTP 404 (Not found): no thing no-such-thing");
    }

    @Test
    void aUrlThatIsNoUrlIsOneLine() throws Exception {
        CliRun.Result result = CliRun.run(
                OperatorCli.class,
                Map.of("SHADOWMQ_URL", "not a url", "SHADOWMQ_TOKEN", TOKEN),
                workingDir,
                "things",
                "list");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errorLines())
                .containsExactly(
                        "shadowmq things list: 'not a url' is not an http:// or https:// URL: fix --http or SHADOWMQ_URL");
    }

    @Test
    void thePlatformsMainSaysTheSameInOneLine() throws Exception {
        int nobodyListens = FreePort.pick();
        CliRun.Result result = CliRun.run(
                ShadowmqCli.class,
                Map.of("SHADOWMQ_URL", "http://127.0.0.1:" + nobodyListens, "SHADOWMQ_TOKEN", TOKEN),
                workingDir,
                "things",
                "list");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errorLines())
                .filteredOn(line -> !line.isBlank())
                .singleElement()
                .asString()
                .startsWith("shadowmq things list: cannot reach the REST service at http://127.0.0.1:" + nobodyListens);
    }

    @Test
    void benchIsListedInTheHelp() {
        String help = new CommandLine(new ShadowmqCli()).getUsageMessage();

        assertThat(help).containsPattern("(?m)^\\s+bench\\s+Measure the platform");
    }
}
