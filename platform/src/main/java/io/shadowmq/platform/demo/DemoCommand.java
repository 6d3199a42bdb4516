package io.shadowmq.platform.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowmq.broker.FreePort;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.shadow.ShadowDocument;
import io.shadowmq.platform.up.DistributedPlatform;
import io.shadowmq.platform.up.LocalPlatform;
import io.shadowmq.sdk.CommandState;
import io.shadowmq.sdk.CommandStatus;
import io.shadowmq.sdk.HouseholdThing;
import io.shadowmq.sdk.InvokedCommand;
import io.shadowmq.sdk.ShadowAccessDeniedException;
import io.shadowmq.sdk.ShadowClient;
import io.shadowmq.sdk.ShadowState;
import io.shadowmq.sdk.ThingSummary;
import io.shadowmq.sdk.examples.CarSimulator;
import io.shadowmq.sdk.examples.DeviceSimulator;
import io.shadowmq.sdk.examples.FridgeSimulator;
import io.shadowmq.sdk.examples.SimulatedDevice;
import io.shadowmq.sdk.examples.SpeakerSimulator;
import io.shadowmq.sdk.examples.WasherSimulator;
import org.jetbrains.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code ./shadowmq demo}: the household story, played against a platform it starts on free ports (or a running one
 * given with {@code --mqtt/--http/--token}), with simulated devices built only on the public device SDK. Every step
 * checks its outcome; the exit code is 0 only if all did what they say.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Play the household scenario and check every step.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--mqtt", description = "MQTT of a running platform, tcp://host:port (default: start one)")
    @Nullable
    URI mqtt;

    @Option(names = "--http", description = "REST of a running platform, http://host:port")
    @Nullable
    String http;

    @Option(names = "--token", description = "admin token of a running platform")
    @Nullable
    String token;

    @Option(
            names = "--time-scale",
            description = "simulated seconds per real second (default ${DEFAULT-VALUE})",
            defaultValue = "120")
    double timeScale;

    @Option(
            names = "--redis-cluster",
            paramLabel = "K",
            description =
                    "start the platform against a Redis Cluster of "
                            + "K masters, with its broker and REST service each in its own JVM (default: one standalone Redis, one JVM)")
    @Nullable
    Integer redisCluster;

    @Option(
            names = "--extension-folder",
            hidden = true,
            defaultValue = "${sys:shadowmq.extension.folder:-extension/target/shadowmq-extension}")
    Path extensionFolder;

    /** How far ahead the schedule fires: time to create it, and little to wait. */
    private static final Duration SCHEDULE_LEAD = Duration.ofSeconds(8);

    private static final String SCHEDULE_NAME = "winter mornings";
    private static final Map<String, ?> HEATER_ON = Map.of("cabin", Map.of("heater", Map.of("isOn", true)));
    /** The languages the speaker speaks, and how each says "windows". */
    private static final Map<String, String> WINDOWS_WORD = new LinkedHashMap<>();

    static {
        WINDOWS_WORD.put("en", "windows");
        WINDOWS_WORD.put("de", "Fenster");
        WINDOWS_WORD.put("zh", "车窗");
    }

    private final PrintStream out = System.out;
    private final Clock clock = Clock.systemUTC();
    private final HttpClient httpClient = HttpClient.newHttpClient();
    private final List<String> failures = new ArrayList<>();
    private String baseUri;
    private String adminToken;

    @Override
    public Integer call() throws Exception {
        if (mqtt != null && http != null && token != null) {
            baseUri = http.replaceAll("/+$", "");
            adminToken = token;
            return playAndReport(mqtt.getHost(), mqtt.getPort());
        }
        if (mqtt != null || http != null || token != null) {
            System.err.println("shadowmq demo: give all of --mqtt, --http and --token, or none");
            return 2;
        }
        // Its pepper and admin token must not outlive it: stopped and deleted on any end, Ctrl-C included.
        try (ScratchDir scratch = ScratchDir.create("shadowmq-demo-")) {
            Path dataDir = scratch.path();
            say("Starting a platform on free ports (data in " + dataDir + ", deleted at the end) ...");
            String mqttHost;
            int mqttPort;
            try {
                if (redisCluster == null) {
                    LocalPlatform local = LocalPlatform.start(
                            LocalPlatform.Options.onFreePorts(dataDir, extensionFolder), line -> say("  " + line));
                    scratch.occupiedBy(local);
                    mqttHost = local.host();
                    mqttPort = local.mqttPort();
                    baseUri = local.httpUri();
                    adminToken = local.adminToken();
                } else {
                    DistributedPlatform distributed = DistributedPlatform.start(
                            new DistributedPlatform.Options(
                                    "127.0.0.1",
                                    FreePort.pick(),
                                    FreePort.pick(),
                                    1,
                                    1,
                                    redisCluster,
                                    0,
                                    null,
                                    dataDir,
                                    extensionFolder,
                                    null),
                            line -> say("  " + line));
                    scratch.occupiedBy(distributed);
                    URI broker = URI.create(distributed.mqttUris().get(0));
                    mqttHost = broker.getHost();
                    mqttPort = broker.getPort();
                    baseUri = distributed.httpUris().get(0);
                    adminToken = distributed.adminToken();
                }
            } catch (LocalPlatform.StartupFailure | IllegalArgumentException failure) {
                System.err.println("shadowmq demo: " + failure.getMessage());
                return 1;
            }
            return playAndReport(mqttHost, mqttPort);
        }
    }

    private int playAndReport(String mqttHost, int mqttPort) throws Exception {
        play(mqttHost, mqttPort);
        if (failures.isEmpty()) {
            say("\nEvery step did what it says.");
            return 0;
        }
        say("\n" + failures.size() + " step(s) failed:");
        failures.forEach(failure -> say("  - " + failure));
        return 1;
    }

    private void play(String host, int port) throws Exception {
        String suffix = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        String owner = "alice-" + suffix;
        say("\nProvisioning household " + owner + " over REST, and a stranger's car ...");
        Thing car = provision("car-" + suffix, "car", owner);
        Thing speaker = provision("speaker-" + suffix, "speaker", owner);
        Thing fridge = provision("fridge-" + suffix, "fridge", owner);
        Thing washer = provision("washer-" + suffix, "washer", owner);
        Thing stranger = provision("car-mallory-" + suffix, "car", "mallory-" + suffix);

        Duration tick = Duration.ofMillis(250);
        try (DeviceSimulator carSim = simulate(car, new CarSimulator(), host, port, tick);
                DeviceSimulator speakerSim = simulate(speaker, new SpeakerSimulator(), host, port, tick);
                DeviceSimulator fridgeSim = simulate(fridge, new FridgeSimulator(), host, port, tick);
                DeviceSimulator washerSim = simulate(washer, new WasherSimulator(), host, port, tick);
                ShadowClient strangerClient = client(stranger, host, port)) {
            for (DeviceSimulator simulator : List.of(carSim, speakerSim, fridgeSim, washerSim)) {
                simulator.start().get(20, TimeUnit.SECONDS);
            }
            strangerClient.connect().get(20, TimeUnit.SECONDS);
            awaitReported(car, "the car's first report", doc -> doc.reported().has("range"));

            step(
                    1,
                    "A winter-morning schedule: a few seconds from now, below 5 celsius outside, the car's heater goes on");
            warmBySchedule(owner, car);

            step(2, "The speaker tells how far the car can drive and whether a window is open, in three languages");
            HouseholdThing carFromSpeaker = speakerSim.client().thing(car.id(), "car");
            speakSummaries(carFromSpeaker);
            ShadowState selected =
                    carFromSpeaker.getAsync(List.of("range", "windows.**")).get(15, TimeUnit.SECONDS);
            ShadowState whole = carFromSpeaker.getAsync().get(15, TimeUnit.SECONDS);
            say("  speaker reads range and windows: " + abbreviate(SafeJson.writeString(selected.reported()))
                    + "; the whole shadow it reads has " + (whole.reported().has("location") ? "a" : "no")
                    + " location");
            check(
                    selected.reported().has("range")
                            && selected.reported().has("windows")
                            && selected.reported().size() == 2
                            && whole.reported().has("range")
                            && !whole.reported().has("location"),
                    "the speaker's reads were not range and windows only, or the car's location showed");

            step(3, "The speaker may not read where the car is, unlock it or switch its heater");
            say("  get location: "
                    + refusal(
                            () -> carFromSpeaker.getAsync(List.of("location")).get(15, TimeUnit.SECONDS), "location"));
            say("  invoke unlock: "
                    + refusal(
                            () -> carFromSpeaker
                                    .invoke("unlock", (JsonNode) null)
                                    .get(15, TimeUnit.SECONDS),
                            "unlock"));
            say("  heater on: "
                    + refusal(
                            () -> carFromSpeaker.desireAsync(HEATER_ON).get(15, TimeUnit.SECONDS),
                            "desired.cabin.heater.isOn"));

            step(4, "Alice grants the speaker the heater; it switches it on; she revokes the grant; it may no more");
            grantHeaterThenRevoke(owner, car, speaker, carFromSpeaker);

            step(5, "From the car, the driver sets the fridge to super-cool and starts the washer");
            carSim.client()
                    .thing(fridge.id(), "fridge")
                    .desireAsync(Map.of("superCool", Map.of("isOn", true)))
                    .get(15, TimeUnit.SECONDS);
            ShadowDocument cooled = awaitReported(
                    fridge,
                    "the fridge super-cooling",
                    doc -> doc.reported().at("/superCool/isOn").asBoolean(false));
            say("  fridge: super-cool on, "
                    + cooled.reported().path("temperature").asText() + " celsius");
            InvokedCommand start = carSim.client()
                    .thing(washer.id(), "washer")
                    .invoke("start", Map.of("program", "quick"))
                    .get(15, TimeUnit.SECONDS);
            say("  car -> washer: start {\"program\":\"quick\"}, command " + start.commandId());
            start.onState(state -> say("  washer's command: " + describe(state)));
            CommandState ended = start.finalState().get(60, TimeUnit.SECONDS);
            ShadowDocument washed = awaitReported(
                    washer,
                    "the washer finished",
                    doc -> "finished".equals(doc.reported().path("state").asText()));
            check(
                    ended.status() == CommandStatus.SUCCEEDED
                            && start.states().stream()
                                    .anyMatch(s -> s.progress().isPresent()),
                    "the washer's start did not run with progress to succeeded: " + start.states());
            say("  washer: " + washed.reported().path("state").asText() + ", program "
                    + washed.reported().path("program").asText());

            step(6, "The backend reads all four shadows over REST");
            for (Thing thing : List.of(car, speaker, fridge, washer)) {
                HttpResponse<String> response = rest("GET", "/api/v1/things/" + thing.id() + "/shadow", null);
                check(
                        response.statusCode() == 200,
                        "GET shadow of " + thing.id() + " answered " + response.statusCode());
                JsonNode doc = SafeJson.read(response.body());
                say("  " + thing.id() + ": version " + doc.path("version").asText() + ", reported "
                        + abbreviate(SafeJson.writeString(doc.at("/state/reported"))));
            }

            step(
                    7,
                    "A stranger's car tries to read alice's car and hear its summary, to pick her washer's program and to start it");
            HouseholdThing washerFromStranger = strangerClient.thing(washer.id(), "washer");
            HouseholdThing carFromStranger = strangerClient.thing(car.id(), "car");
            boolean readRefused = refused(() -> carFromStranger.getAsync().get(15, TimeUnit.SECONDS));
            boolean summaryRefused =
                    refused(() -> carFromStranger.summaryAsync("en", null).get(15, TimeUnit.SECONDS));
            boolean writeRefused = refused(() ->
                    washerFromStranger.desireAsync(Map.of("program", "wool")).get(15, TimeUnit.SECONDS));
            boolean startRefused = refused(() -> washerFromStranger
                    .invoke("start", Map.of("program", "wool"))
                    .get(15, TimeUnit.SECONDS));
            JsonNode washerState = SafeJson.read(rest("GET", "/api/v1/things/" + washer.id() + "/shadow", null)
                            .body())
                    .at("/state");
            say("  read refused: " + readRefused + ", summary refused: " + summaryRefused + ", write refused: "
                    + writeRefused + ", start refused: "
                    + startRefused + "; washer still "
                    + washerState.at("/reported/state").asText()
                    + " with program " + washerState.at("/reported/program").asText());
            check(
                    readRefused
                            && summaryRefused
                            && writeRefused
                            && startRefused
                            && "quick"
                                    .equals(washerState.at("/reported/program").asText())
                            && !"wool".equals(washerState.at("/desired/program").asText()),
                    "the stranger was not refused everything");
        }
    }

    /**
     * Schedules the heater a few seconds from now (a cron with seconds, in UTC) under the condition that it is cold
     * outside; checks that it fired (its run, and the heater's {@code setBy}) and warmed the cabin; then alice's app
     * switches the heater off again over REST, so that the speaker's turn later is seen.
     */
    private void warmBySchedule(String owner, Thing car) throws Exception {
        ZonedDateTime at =
                clock.instant().plus(SCHEDULE_LEAD).atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String cron = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " * * *";
        ObjectNode schedule = SafeJson.object()
                .put("name", SCHEDULE_NAME)
                .put("timezone", "UTC")
                .put("cron", cron)
                .put("target", car.id());
        schedule.putObject("desired").putObject("cabin").putObject("heater").put("isOn", true);
        schedule.putObject("when").put("path", "exteriorTemperature").put("below", 5);
        HttpResponse<String> created =
                rest("POST", "/api/v1/owners/" + owner + "/schedules", SafeJson.writeString(schedule));
        if (created.statusCode() != 201) {
            check(false, "creating the schedule answered " + created.statusCode() + ": " + created.body());
            return;
        }
        String scheduleId = SafeJson.read(created.body()).path("id").asText();
        say("  alice's schedule \"" + SCHEDULE_NAME + "\": cron \"" + cron
                + "\" (UTC), when exteriorTemperature below 5:" + " desired cabin.heater.isOn true");
        double before = awaitReported(
                        car,
                        "the car's cabin temperature",
                        doc -> doc.reported().at("/cabin/temperature").isNumber())
                .reported()
                .at("/cabin/temperature")
                .asDouble();
        ShadowDocument warming = awaitReported(
                car,
                "the schedule's heater warming the cabin",
                SCHEDULE_LEAD.plusSeconds(30),
                doc -> doc.reported().at("/cabin/heater/isOn").asBoolean(false)
                        && doc.reported().at("/cabin/temperature").asDouble() >= before + 3);
        JsonNode run = SafeJson.read(rest("GET", "/api/v1/owners/" + owner + "/schedules/" + scheduleId + "/runs", null)
                        .body())
                .path("runs")
                .path(0);
        JsonNode outcome = SafeJson.read(rest("GET", "/api/v1/things/" + car.id() + "/shadow", null)
                        .body())
                .path("desiredOutcomes")
                .path("cabin.heater.isOn");
        say("  " + at.toLocalTime() + " UTC: run " + run.path("status").asText() + " (exteriorTemperature "
                + run.path("value").asText() + "); heater "
                + outcome.path("status").asText() + ", set by "
                + outcome.path("setBy").asText() + "; cabin " + before + " -> "
                + warming.reported().at("/cabin/temperature").asDouble() + " celsius");
        check(
                "fired".equals(run.path("status").asText())
                        && run.path("value").asDouble(99) < 5
                        && ("schedule:" + SCHEDULE_NAME)
                                .equals(outcome.path("setBy").asText()),
                "the schedule did not fire on the cold, or the heater was not set by it: run " + run + ", heater "
                        + outcome);
        check(
                rest("DELETE", "/api/v1/owners/" + owner + "/schedules/" + scheduleId, null)
                                .statusCode()
                        == 204,
                "the schedule could not be deleted");

        HttpResponse<String> off = rest(
                "PATCH",
                "/api/v1/things/" + car.id() + "/shadow",
                "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":false}}}}}");
        check(off.statusCode() == 200, "alice's app could not switch the heater off: " + off.statusCode());
        awaitReported(
                car,
                "the heater off",
                doc -> !doc.reported().at("/cabin/heater/isOn").asBoolean(true));
        say("  alice's app (REST, owner-level) switches the heater off again: the car reports it off");
    }

    /** The car's summary as the speaker hears it over MQTT: range and windows, never the car's location. */
    private void speakSummaries(HouseholdThing carFromSpeaker) throws Exception {
        for (Map.Entry<String, String> language : WINDOWS_WORD.entrySet()) {
            ThingSummary summary = carFromSpeaker
                    .summaryAsync(language.getKey(), "Europe/Berlin")
                    .get(15, TimeUnit.SECONDS);
            say("  speaker (" + summary.lang() + "): \"" + summary.text() + "\"");
            List<String> paths = new ArrayList<>();
            summary.facts().forEach(fact -> paths.add(fact.path("path").asText()));
            check(
                    paths.contains("range")
                            && paths.stream().anyMatch(path -> path.startsWith("windows."))
                            && paths.stream().noneMatch(path -> path.startsWith("location"))
                            && summary.text().contains(language.getValue()),
                    "the " + language.getKey() + " summary did not tell range and windows without the location: "
                            + paths);
        }
    }

    /**
     * Lets the speaker switch the car's heater on with a grant over REST, then revokes it: the speaker's next write on
     * the same connection is refused.
     */
    private void grantHeaterThenRevoke(String owner, Thing car, Thing speaker, HouseholdThing carFromSpeaker)
            throws Exception {
        HttpResponse<String> granted = rest(
                "POST",
                "/api/v1/owners/" + owner + "/grants",
                "{\"grantee\":\"" + speaker.id() + "\",\"target\":\"" + car.id()
                        + "\",\"write\":[\"cabin.heater.**\"]}");
        if (granted.statusCode() != 201) {
            check(false, "creating the grant answered " + granted.statusCode() + ": " + granted.body());
            return;
        }
        String grantId = SafeJson.read(granted.body()).path("id").asText();
        awaitFeedAtBrokers();
        say("  alice grants (REST): " + speaker.id() + " may write cabin.heater.** of " + car.id() + ", grant "
                + grantId);
        long version =
                carFromSpeaker.desireAsync(HEATER_ON).get(15, TimeUnit.SECONDS).version();
        awaitReported(
                car,
                "the heater the speaker switched on",
                doc -> doc.reported().at("/cabin/heater/isOn").asBoolean(false));
        say("  speaker: heater on, accepted as version " + version + "; the car reports it on");
        check(
                rest("DELETE", "/api/v1/owners/" + owner + "/grants/" + grantId, null)
                                .statusCode()
                        == 204,
                "the grant could not be revoked");
        awaitFeedAtBrokers();
        say("  alice revokes the grant; the speaker switches the heater off: "
                + refusal(
                        () -> carFromSpeaker
                                .desireAsync(Map.of("cabin", Map.of("heater", Map.of("isOn", false))))
                                .get(15, TimeUnit.SECONDS),
                        "desired.cabin.heater"));
    }

    /**
     * A grant change reaches every broker on the change feed within milliseconds; a request that a broker takes
     * before it heard of the change is decided on the grants as they were (docs/protocol.md). The demo leaves the
     * feed that moment, generously, so that the write it shows is one after the change.
     */
    private static void awaitFeedAtBrokers() throws InterruptedException {
        Thread.sleep(500);
    }

    /**
     * Runs what must be refused with a 403 naming {@code path} (or a path below it), and tells how it was refused; a
     * failed step when it was not.
     */
    private String refusal(Attempt attempt, String path) {
        try {
            attempt.run();
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ShadowAccessDeniedException denied
                    && denied.path().filter(named -> named.startsWith(path)).isPresent()) {
                return "refused, " + denied.code() + " " + denied.message();
            }
            check(false, "not refused with a 403 naming " + path + ": " + cause);
            return "FAILED: " + cause;
        }
        check(false, "not refused: " + path);
        return "FAILED: done";
    }

    /** A command's state in one line: {@code running 40 %}, {@code failed: door open}. */
    private static String describe(CommandState state) {
        StringBuilder line = new StringBuilder(state.status().wireName());
        state.progress().ifPresent(progress -> line.append(' ').append(progress).append(" %"));
        state.reason().ifPresent(reason -> line.append(": ").append(reason));
        if (!state.output().isMissingNode()) {
            line.append(", output ").append(SafeJson.writeString(state.output()));
        }
        return line.toString();
    }

    private record Thing(String id, String type, String secret) {}

    private Thing provision(String id, String type, String owner) throws Exception {
        HttpResponse<String> response = rest(
                "POST",
                "/api/v1/things",
                "{\"thingId\":\"" + id + "\",\"type\":\"" + type + "\",\"owner\":\"" + owner + "\"}");
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "provisioning " + id + " answered " + response.statusCode() + ": " + response.body());
        }
        say("  " + type + " " + id + " (household " + owner + ")");
        return new Thing(id, type, SafeJson.read(response.body()).get("secret").asText());
    }

    private ShadowClient client(Thing thing, String host, int port) {
        return ShadowClient.builder()
                .host(host)
                .port(port)
                .thing(thing.id())
                .secret(thing.secret())
                .type(thing.type())
                .build();
    }

    private DeviceSimulator simulate(Thing thing, SimulatedDevice device, String host, int port, Duration tick) {
        return new DeviceSimulator(client(thing, host, port), device, timeScale, tick, line -> {});
    }

    /** Polls the backend's view (REST) until the shadow satisfies {@code done}; a failed step when it never does. */
    private ShadowDocument awaitReported(Thing thing, String what, Predicate<ShadowDocument> done) throws Exception {
        return awaitReported(thing, what, Duration.ofSeconds(30), done);
    }

    private ShadowDocument awaitReported(Thing thing, String what, Duration patience, Predicate<ShadowDocument> done)
            throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        ShadowDocument last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = rest("GET", "/api/v1/things/" + thing.id() + "/shadow", null);
            if (response.statusCode() == 200) {
                JsonNode doc = SafeJson.read(response.body());
                last = new ShadowDocument(
                        (com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/state/reported"),
                        (com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/state/desired"),
                        SafeJson.object(),
                        SafeJson.object(),
                        doc.path("version").asLong(),
                        doc.path("timestamp").asLong());
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        check(false, "never saw " + what + " on " + thing.id());
        return last != null ? last : ShadowDocument.empty(0);
    }

    private HttpResponse<String> rest(String method, String path, @Nullable String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri + path))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return httpClient.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static boolean refused(Attempt attempt) {
        try {
            attempt.run();
            return false;
        } catch (Exception expected) {
            return true;
        }
    }

    private void step(int number, String what) {
        say("\n" + number + ". " + what);
    }

    private void check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
            say("  FAILED: " + failure);
        }
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    private static String abbreviate(String text) {
        return text.length() <= 110 ? text : text.substring(0, 107) + "...";
    }
}
