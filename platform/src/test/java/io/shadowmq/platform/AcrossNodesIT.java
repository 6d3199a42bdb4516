package io.shadowmq.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.shadowmq.model.json.MalformedJsonException;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.platform.demo.DemoCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole contract holds whichever node a client reaches: {@code ./shadowmq up --brokers 2 --services 2
 * --redis-cluster 3} ({@link ScaledOutPlatform}), every test putting the device, its household and the backend on
 * different nodes; and up itself: every node a process of its own, one that dies ends it all (the last test).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcrossNodesIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int BROKER_1 = 0;
    private static final int BROKER_2 = 1;
    private static final int SERVICE_1 = 0;
    private static final int SERVICE_2 = 1;

    @TempDir
    static Path dataDir;

    static ScaledOutPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = ScaledOutPlatform.start(dataDir);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void everyNodeRunsInAProcessOfItsOwnAndServesItsEndpoint() throws Exception {
        assertThat(children("BrokerNodeMain")).hasSize(2);
        assertThat(children("ServiceNodeMain")).hasSize(2);
        assertThat(children("redis-server")).hasSize(3);
        for (String service : platform.httpUris()) {
            HttpResponse<String> ready = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(service + "/health/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        }
    }

    /** The platform's own end-to-end story, with its devices on the second broker and its backend on the second service. */
    @Test
    void theHouseholdStoryPlaysThroughOnTheSecondBrokerAndTheSecondService() {
        int exit = new CommandLine(new DemoCommand())
                .execute(
                        "--mqtt",
                        platform.mqttUris().get(1),
                        "--http",
                        platform.httpUris().get(1),
                        "--token",
                        platform.adminToken());

        assertThat(exit)
                .as("demo exit code (its narration is in this test's output)")
                .isZero();
    }

    /** Last: it ends the platform. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aBrokerThatDiesEndsUpWithOneLineAndExit1AndLeavesNothingRunning() throws Exception {
        Process up = platform.up();
        List<ProcessHandle> everyChild = up.toHandle().descendants().toList();
        ProcessHandle broker = children("BrokerNodeMain").get(1);

        broker.destroyForcibly(); // kill -9

        assertThat(up.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(up.exitValue()).isEqualTo(1);
        assertThat(platform.stderr().stream()
                        .filter(line -> line.startsWith("shadowmq up:"))
                        .toList())
                .singleElement()
                .asString()
                .matches("shadowmq up: broker [12] \\(pid " + broker.pid()
                        + "\\) was killed by signal 9; its log: .*broker-[12]/broker.log; stopping");
        assertThat(everyChild).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aChangeReachesTheDeviceWhicheverBrokerOrServiceMadeIt() throws Exception {
        try (CarAndSpeaker household = new CarAndSpeaker("alice", "update/documents")) {
            String car = household.car;
            Mqtt5BlockingClient carClient = household.carClient;
            Mqtt5BlockingClient speakerClient = household.speakerClient;
            Mqtt5BlockingClient.Mqtt5Publishes carInbox = household.carInbox;
            Mqtt5BlockingClient.Mqtt5Publishes speakerInbox = household.speakerInbox;
            // The car's heater is household read: the speaker switches it with the owner's grant.
            grantHeater(SERVICE_1, household.owner, household.speaker, car);

            // The household's speaker, on broker 2, turns on the car's heater: the car on broker 1 gets the delta.
            speakerClient
                    .publishWith()
                    .topic("things/" + car + "/shadow/update")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":true}}}}}"
                            .getBytes(StandardCharsets.UTF_8))
                    .send();
            JsonNode fromBroker2 = payload(receive(carInbox, "a delta made on broker 2"));
            assertThat(fromBroker2.at("/state/cabin/heater/isOn").asBoolean()).isTrue();
            assertThat(fromBroker2.get("version").asLong()).isEqualTo(1);
            assertThat(payload(receive(speakerInbox, "documents of its own change"))
                            .at("/current/version")
                            .asLong())
                    .isEqualTo(1);

            // The backend, through service 2, sets the target temperature: delta to broker 1, documents to broker 2.
            HttpResponse<String> patched = platform.rest(
                    SERVICE_2,
                    "PATCH",
                    "/api/v1/things/" + car + "/shadow",
                    "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"targetTemperature\":21}}}}}");
            assertThat(patched.statusCode()).isEqualTo(200);
            JsonNode fromService2 = payload(receive(carInbox, "a delta made through service 2"));
            assertThat(fromService2.at("/state/cabin/heater/targetTemperature").asInt())
                    .isEqualTo(21);
            assertThat(fromService2.get("version").asLong()).isEqualTo(2);
            assertThat(payload(receive(speakerInbox, "documents of the REST change"))
                            .at("/current/version")
                            .asLong())
                    .isEqualTo(2);

            // The car reports on broker 1: the speaker on broker 2 sees the documents, service 1 the state.
            carClient
                    .publishWith()
                    .topic("things/" + car + "/shadow/update")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(
                            "{\"state\":{\"reported\":{\"cabin\":{\"heater\":{\"isOn\":true,\"targetTemperature\":21}}}}}"
                                    .getBytes(StandardCharsets.UTF_8))
                    .send();
            JsonNode documents = payload(receive(speakerInbox, "documents of the car's report"));
            assertThat(documents
                            .at("/current/state/reported/cabin/heater/targetTemperature")
                            .asInt())
                    .isEqualTo(21);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(SafeJson.read(
                                            platform.rest(SERVICE_1, "GET", "/api/v1/things/" + car + "/shadow", null)
                                                    .body())
                                    .at("/version")
                                    .asLong())
                            .isEqualTo(3));
        }
    }

    /**
     * Grants reach every broker: one made through service 1 lets the speaker on broker 2 switch the car's heater at
     * once, and revoked through service 2 it refuses the speaker's very next write on the same connection.
     */
    @Test
    void aGrantMadeAndRevokedThroughEitherServiceDecidesTheSpeakersNextWriteOnTheOtherBroker() throws Exception {
        try (CarAndSpeaker household = new CarAndSpeaker("frank", "+/accepted", "+/rejected")) {
            String owner = household.owner;
            String car = household.car;
            String speaker = household.speaker;
            Mqtt5BlockingClient speakerClient = household.speakerClient;
            Mqtt5BlockingClient.Mqtt5Publishes speakerInbox = household.speakerInbox;

            // Without a grant the heater is the car's and its owner's: the speaker on broker 2 is refused.
            JsonNode before = heaterAnswer(speakerClient, speakerInbox, car, true, "before");
            assertThat(before.path("code").asInt())
                    .as("without a grant: %s", before)
                    .isEqualTo(403);
            assertThat(before.path("message").asText()).startsWith("desired.cabin.heater.isOn: " + speaker);

            // The owner grants it through service 1: the speaker's next write on broker 2 is taken, the car gets it.
            String grant = grantHeater(SERVICE_1, owner, speaker, car);
            awaitFeedAtBrokers();
            JsonNode granted = heaterAnswer(speakerClient, speakerInbox, car, true, "granted");
            assertThat(granted.has("version")).as("with the grant: %s", granted).isTrue();
            assertThat(payload(receive(household.carInbox, "the delta of the granted write"))
                            .at("/state/cabin/heater/isOn")
                            .asBoolean())
                    .isTrue();

            // Revoked through service 2: the very next write on the same connection is refused.
            assertThat(platform.rest(SERVICE_2, "DELETE", "/api/v1/owners/" + owner + "/grants/" + grant, null)
                            .statusCode())
                    .isEqualTo(204);
            awaitFeedAtBrokers();
            JsonNode revoked = heaterAnswer(speakerClient, speakerInbox, car, false, "revoked");
            assertThat(revoked.path("code").asInt())
                    .as("after the revocation: %s", revoked)
                    .isEqualTo(403);
            assertThat(speakerClient.getState().isConnected()).isTrue();
            assertThat(SafeJson.read(platform.rest(SERVICE_1, "GET", "/api/v1/things/" + car + "/shadow", null)
                                    .body())
                            .at("/state/desired/cabin/heater/isOn")
                            .asBoolean())
                    .as("the refused write changed nothing")
                    .isTrue();
        }
    }

    @Test
    void aRotatedSecretOrADeletedThingThroughEitherServiceDisconnectsTheDeviceOnWhicheverBrokerHoldsIt()
            throws Exception {
        String owner = ScaledOutPlatform.fresh("bob");
        String rotated = ScaledOutPlatform.fresh("car");
        String deleted = ScaledOutPlatform.fresh("fridge");
        Mqtt5BlockingClient onBroker2 =
                platform.connect(BROKER_2, rotated, platform.provision(SERVICE_1, rotated, "car", owner));
        Mqtt5BlockingClient onBroker1 =
                platform.connect(BROKER_1, deleted, platform.provision(SERVICE_2, deleted, "fridge", owner));

        assertThat(platform.rest(SERVICE_1, "POST", "/api/v1/things/" + rotated + "/secret", null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(platform.rest(SERVICE_2, "DELETE", "/api/v1/things/" + deleted, null)
                        .statusCode())
                .isEqualTo(204);

        await().atMost(WAIT)
                .until(() -> !onBroker2.getState().isConnected()
                        && !onBroker1.getState().isConnected());
    }

    @Test
    void aThingThatMovesToTheOtherBrokerIsConnectedOnceAndItsOldSessionsLateGoodbyeChangesNothing() throws Exception {
        String car = ScaledOutPlatform.fresh("car");
        String secret = platform.provision(SERVICE_1, car, "car", ScaledOutPlatform.fresh("carol"));
        Mqtt5BlockingClient oldSession = platform.connect(BROKER_1, car, secret);
        await().atMost(WAIT)
                .until(() -> platform.thing(SERVICE_2, car).get("connected").asBoolean());

        Mqtt5BlockingClient newSession = platform.connect(BROKER_2, car, secret);
        // As on one broker, the newer connection takes the thing over: the old one is closed, not left running.
        await().atMost(WAIT).until(() -> !oldSession.getState().isConnected());
        assertThat(newSession.getState().isConnected()).isTrue();

        JsonNode thing = platform.thing(SERVICE_2, car);
        assertThat(thing.get("connected").asBoolean()).isTrue();
        long connectedAt = thing.get("lastConnectedAt").asLong();
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> {
            JsonNode now = platform.thing(SERVICE_1, car);
            assertThat(now.get("connected").asBoolean())
                    .as("connected after the old session ended")
                    .isTrue();
            assertThat(now.get("lastConnectedAt").asLong()).isEqualTo(connectedAt);
        });
        newSession.disconnect();
        await().atMost(WAIT)
                .until(() -> !platform.thing(SERVICE_1, car).get("connected").asBoolean());
    }

    @Test
    void everyServicesEventStreamSeesEveryChangeInOrderAndResumesOnTheOtherService() throws Exception {
        String owner = ScaledOutPlatform.fresh("dave");
        String car = ScaledOutPlatform.fresh("car");
        String secret = platform.provision(SERVICE_1, car, "car", owner);
        EventStream onService1 = EventStream.open(platform, SERVICE_1, "/api/v1/events?owner=" + owner, null);
        EventStream onService2 = EventStream.open(platform, SERVICE_2, "/api/v1/things/" + car + "/events", null);
        Mqtt5BlockingClient device = platform.connect(BROKER_2, car, secret);
        try {
            for (int i = 1; i <= 5; i++) {
                int service = i % 2 == 0 ? SERVICE_2 : SERVICE_1;
                assertThat(platform.rest(
                                        service,
                                        "PATCH",
                                        "/api/v1/things/" + car + "/shadow",
                                        "{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"targetTemperature\":"
                                                + (16 + i) + "}}}}}")
                                .statusCode())
                        .isEqualTo(200);
            }
            List<Event> seen1 = onService1.shadowEvents(5);
            List<Event> seen2 = onService2.shadowEvents(5);
            assertThat(seen1).extracting(Event::version).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(seen2)
                    .extracting(Event::id)
                    .containsExactlyElementsOf(seen1.stream().map(Event::id).toList());

            // A client that read up to version 2 on service 1 resumes on service 2 and misses nothing.
            EventStream resumed = EventStream.open(
                    platform,
                    SERVICE_2,
                    "/api/v1/events?owner=" + owner,
                    seen1.get(1).id());
            assertThat(resumed.shadowEvents(3)).extracting(Event::version).containsExactly(3L, 4L, 5L);
            resumed.close();
        } finally {
            device.disconnect();
            onService1.close();
            onService2.close();
        }
    }

    @Test
    void aPendingDeltaReachesTheThingWhenItReconnectsToTheOtherBroker() throws Exception {
        String fridge = ScaledOutPlatform.fresh("fridge");
        String secret = platform.provision(SERVICE_1, fridge, "fridge", ScaledOutPlatform.fresh("erin"));
        Mqtt5BlockingClient first = platform.connect(BROKER_1, fridge, secret);
        first.disconnect();
        assertThat(platform.rest(
                                SERVICE_2,
                                "PATCH",
                                "/api/v1/things/" + fridge + "/shadow",
                                "{\"state\":{\"desired\":{\"superCool\":{\"isOn\":true}}}}")
                        .statusCode())
                .isEqualTo(200);

        Mqtt5BlockingClient again = platform.connect(BROKER_2, fridge, secret);
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = again.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            again.subscribeWith()
                    .topicFilter("things/" + fridge + "/shadow/update/delta")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            JsonNode delta = payload(receive(inbox, "the pending delta"));
            assertThat(delta.at("/state/superCool/isOn").asBoolean()).isTrue();
        } finally {
            again.disconnect();
        }
    }

    /** Grants {@code grantee} writing the heater of {@code target} through {@code service}; answers the grant's id. */
    private static String grantHeater(int service, String owner, String grantee, String target) throws Exception {
        HttpResponse<String> created = platform.rest(
                service,
                "POST",
                "/api/v1/owners/" + owner + "/grants",
                "{\"grantee\":\"" + grantee + "\",\"target\":\"" + target + "\",\"write\":[\"cabin.heater.**\"]}");
        assertThat(created.statusCode()).as("grant: %s", created.body()).isEqualTo(201);
        return SafeJson.read(created.body()).get("id").asText();
    }

    /**
     * The speaker writes the car's desired heater with {@code clientToken}; answers the {@code update/accepted} or
     * {@code update/rejected} payload carrying that token (others in the inbox are skipped).
     */
    private static JsonNode heaterAnswer(
            Mqtt5BlockingClient speaker,
            Mqtt5BlockingClient.Mqtt5Publishes inbox,
            String car,
            boolean on,
            String clientToken)
            throws Exception {
        speaker.publishWith()
                .topic("things/" + car + "/shadow/update")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(("{\"state\":{\"desired\":{\"cabin\":{\"heater\":{\"isOn\":" + on + "}}}},\"clientToken\":\""
                                + clientToken + "\"}")
                        .getBytes(StandardCharsets.UTF_8))
                .send();
        while (true) {
            Mqtt5Publish answer = receive(inbox, "the answer to " + clientToken);
            JsonNode json = payload(answer);
            String topic = answer.getTopic().toString();
            if ((topic.endsWith("/update/accepted") || topic.endsWith("/update/rejected"))
                    && clientToken.equals(json.path("clientToken").asText())) {
                return json;
            }
        }
    }

    private static List<ProcessHandle> children(String commandPart) {
        return platform.up()
                .toHandle()
                .children()
                .filter(child -> commandLine(child).contains(commandPart))
                .toList();
    }

    /** ProcessHandle.Info leaves a long command line out; /proc has it whole (the ITs run on Linux). */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(
                    Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
        } catch (java.io.IOException gone) {
            return "";
        }
    }

    private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes inbox, String what)
            throws InterruptedException {
        return inbox.receive(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no " + what));
    }

    private static JsonNode payload(Mqtt5Publish publish) throws Exception {
        return SafeJson.read(publish.getPayloadAsBytes());
    }

    /**
     * A household's car on broker 1, provisioned through service 1 and subscribed to its deltas, and its speaker on
     * broker 2, provisioned through service 2 and subscribed to the car's {@code things/C/shadow/<speakerFilters>}.
     */
    static final class CarAndSpeaker implements AutoCloseable {
        final String owner;
        final String car = ScaledOutPlatform.fresh("car");
        final String speaker = ScaledOutPlatform.fresh("speaker");
        final Mqtt5BlockingClient carClient;
        final Mqtt5BlockingClient speakerClient;
        final Mqtt5BlockingClient.Mqtt5Publishes carInbox;
        final Mqtt5BlockingClient.Mqtt5Publishes speakerInbox;

        CarAndSpeaker(String ownerPrefix, String... speakerFilters) throws Exception {
            owner = ScaledOutPlatform.fresh(ownerPrefix);
            carClient = platform.connect(BROKER_1, car, platform.provision(SERVICE_1, car, "car", owner));
            speakerClient =
                    platform.connect(BROKER_2, speaker, platform.provision(SERVICE_2, speaker, "speaker", owner));
            carInbox = carClient.publishes(MqttGlobalPublishFilter.SUBSCRIBED);
            speakerInbox = speakerClient.publishes(MqttGlobalPublishFilter.SUBSCRIBED);
            carClient
                    .subscribeWith()
                    .topicFilter("things/" + car + "/shadow/update/delta")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            for (String filter : speakerFilters) {
                speakerClient
                        .subscribeWith()
                        .topicFilter("things/" + car + "/shadow/" + filter)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
            }
        }

        @Override
        public void close() {
            carInbox.close();
            speakerInbox.close();
            carClient.disconnect();
            speakerClient.disconnect();
        }
    }

    record Event(String id, String type, JsonNode data) {
        long version() {
            return data.at("/current/version").asLong();
        }
    }

    /** An SSE stream read on a thread of its own into a queue of events. */
    static final class EventStream implements AutoCloseable {
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;

        private EventStream(CompletableFuture<HttpResponse<Stream<String>>> response) {
            this.response = response;
        }

        static EventStream open(ScaledOutPlatform platform, int service, String path, String lastEventId)
                throws Exception {
            var request = platform.events(service, path);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            CompletableFuture<HttpResponse<Stream<String>>> response =
                    HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            EventStream stream = new EventStream(response);
            HttpResponse<Stream<String>> started = response.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(started.statusCode()).isEqualTo(200);
            Thread reader = new Thread(() -> stream.read(started.body()), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            return stream;
        }

        private void read(Stream<String> lines) {
            String[] current = new String[3];
            try {
                lines.forEach(line -> {
                    if (line.startsWith("id:")) {
                        current[0] = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        current[1] = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        current[2] = line.substring(5).trim();
                    } else if (line.isEmpty() && current[2] != null) {
                        try {
                            events.add(new Event(current[0], current[1], SafeJson.read(current[2])));
                        } catch (MalformedJsonException e) {
                            throw new AssertionError("an event's data is not JSON: " + current[2], e);
                        }
                        current[0] = current[1] = current[2] = null;
                    }
                });
            } catch (RuntimeException closed) {
                // The stream ended.
            }
        }

        /** The next {@code count} shadow events (others skipped), waiting for each at most {@link #WAIT}. */
        List<Event> shadowEvents(int count) throws InterruptedException {
            List<Event> shadow = new ArrayList<>();
            while (shadow.size() < count) {
                Event event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (event == null) {
                    throw new AssertionError("only " + shadow.size() + " of " + count + " shadow events: " + shadow);
                }
                if ("shadow".equals(event.type())) {
                    shadow.add(event);
                }
            }
            return shadow;
        }

        @Override
        public void close() {
            response.thenAccept(started -> started.body().close())
                    // A request that failed has no stream to close, and its failure is the test's, not close()'s.
                    .exceptionally(failed -> null);
        }
    }

    /**
     * A grant change reaches the other processes on the change feed, within milliseconds; a request that reaches a
     * broker before it heard of the change is decided on the grants as they were (docs/protocol.md). The test waits
     * out that window, generously for a loaded 2-core machine, so that what it checks is the next request after.
     */
    private static void awaitFeedAtBrokers() throws InterruptedException {
        Thread.sleep(500);
    }
}
