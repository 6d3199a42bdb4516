package io.shadowmq.service.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowmq.model.json.SafeJson;
import io.shadowmq.model.thing.Owner;
import io.shadowmq.model.thing.ThingId;
import io.shadowmq.service.Api;
import io.shadowmq.service.ServiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    static final ServiceExtension service = new ServiceExtension();

    private final Api api = service.api();

    @Test
    void aPatchArrivesAsAShadowEventWithTheDocumentsPayload() throws Exception {
        String car = api.provision("car", "car", "alice");
        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + car + "/events")) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.contentType()).startsWith("text/event-stream");

            patch(car, 18);

            SseTestClient.Event event = events.next(WAIT);
            assertThat(event).isNotNull();
            assertThat(event.name()).isEqualTo("shadow");
            assertThat(event.id()).matches("\\d+-\\d+");
            JsonNode data = SafeJson.read(event.data());
            assertThat(data.get("thingId").asText()).isEqualTo(car);
            assertThat(data.at("/previous/version").asLong()).isZero();
            assertThat(data.at("/current/version").asLong()).isEqualTo(1);
            assertThat(data.at("/current/state/desired/cabin/heater/targetTemperature")
                            .asInt())
                    .isEqualTo(18);
        }
    }

    @Test
    void presenceArrivesAsAPresenceEvent() throws Exception {
        String car = api.provision("car", "car", "alice");
        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + car + "/events")) {
            service.store()
                    .presence()
                    .connected(ThingId.of(car), Owner.of("alice"), "s-1", 1_700_000_000_000L)
                    .toCompletableFuture()
                    .join();

            SseTestClient.Event event = events.next(WAIT);

            assertThat(event).isNotNull();
            assertThat(event.name()).isEqualTo("presence");
            assertThat(SafeJson.read(event.data()))
                    .isEqualTo(SafeJson.read(
                            "{\"thingId\":\"" + car + "\",\"connected\":true,\"timestamp\":1700000000000}"));
        }
    }

    @Test
    void aThingStreamOnlyCarriesThatThing() throws Exception {
        String car = api.provision("car", "car", "alice");
        String otherCar = api.provision("car", "car", "alice");
        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + car + "/events")) {
            patch(otherCar, 17);
            patch(car, 19);

            SseTestClient.Event got = events.next(WAIT);

            assertThat(got.data()).contains(car).doesNotContain(otherCar);
            assertThat(events.next(QUIET)).isNull();
        }
    }

    @Test
    void resumingWithLastEventIdDeliversExactlyTheMissedEvents() throws Exception {
        String car = api.provision("car", "car", "alice");
        String lastSeen;
        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + car + "/events")) {
            patch(car, 16);
            SseTestClient.Event first = events.next(WAIT);
            assertThat(first).isNotNull();
            lastSeen = first.id();
        } // the connection drops

        patch(car, 17);
        patch(car, 18);
        patch(car, 19);

        try (SseTestClient resumed = SseTestClient.connect(
                api, api.adminToken(), "/api/v1/things/" + car + "/events", "Last-Event-ID", lastSeen)) {
            List<SseTestClient.Event> missed = resumed.take(3, WAIT);
            patch(car, 20);
            List<SseTestClient.Event> live = resumed.take(1, WAIT);
            List<SseTestClient.Event> extra = resumed.take(1, QUIET);

            assertThat(missed).extracting(event -> version(event)).containsExactly(2L, 3L, 4L);
            assertThat(live).extracting(event -> version(event)).containsExactly(5L);
            assertThat(extra).as("no duplicates").isEmpty();
        }
    }

    @Test
    void resumingWhileUpdatesKeepComingHasNoGapsOrDuplicates() throws Exception {
        String car = api.provision("car", "car", "alice");
        patch(car, 16);
        String start;
        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + car + "/events")) {
            patch(car, 17);
            start = events.next(WAIT).id();
        }
        for (int i = 0; i < 20; i++) {
            patch(car, 16 + i % 10);
        }
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                patch(car, 16 + i % 10);
            }
        });

        try (SseTestClient resumed = SseTestClient.connect(
                api, api.adminToken(), "/api/v1/things/" + car + "/events", "Last-Event-ID", start)) {
            writer.start(); // live updates race the replay
            writer.join();
            List<SseTestClient.Event> got = resumed.take(40, WAIT.multipliedBy(2));

            assertThat(got)
                    .extracting(EventsApiTest::version)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(3, 42)
                            .boxed()
                            .toList());
        }
    }

    @Test
    void aHouseholdStreamCarriesEveryThingOfTheHousehold() throws Exception {
        String household = Api.fresh("family");
        String car = api.provision("car", "car", household);
        String fridge = api.provision("fridge", "fridge", household);
        String strangersCar = api.provision("car", "car", Api.fresh("stranger"));
        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), "/api/v1/events?owner=" + household)) {
            patch(car, 20);
            patch(strangersCar, 20);
            assertThat(api.send(
                                    "PATCH",
                                    "/api/v1/things/" + fridge + "/shadow",
                                    "{\"state\":{\"desired\":{\"targetTemperature\":4}}}")
                            .status())
                    .isEqualTo(200);

            List<SseTestClient.Event> got = events.take(2, WAIT);

            assertThat(events.next(QUIET)).as("nothing of the stranger's car").isNull();
            assertThat(got)
                    .extracting(
                            event -> SafeJson.read(event.data()).get("thingId").asText())
                    .containsExactly(car, fridge);
        }
    }

    @Test
    void deletionsArriveAndEndAThingStream() throws Exception {
        String car = api.provision("car", "car", "alice");
        patch(car, 20);
        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + car + "/events")) {
            api.send("DELETE", "/api/v1/things/" + car + "/shadow", null);
            api.send("DELETE", "/api/v1/things/" + car, null);

            List<SseTestClient.Event> got = events.take(2, WAIT);

            assertThat(got).extracting(SseTestClient.Event::name).containsExactly("shadow-deleted", "thing-deleted");
            assertThat(SafeJson.read(got.get(0).data()).get("version").asLong()).isEqualTo(1);
            assertThat(events.ended(WAIT))
                    .as("the stream of a deleted thing ends")
                    .isTrue();
        }
    }

    @Test
    void heartbeatsKeepAnIdleStreamAlive() throws Exception {
        String car = api.provision("car", "car", "alice");
        try (SseTestClient events = SseTestClient.connect(api, api.adminToken(), "/api/v1/things/" + car + "/events")) {
            assertThat(events.nextComment(WAIT)).isEqualTo("connected");
            assertThat(events.nextComment(WAIT)).isEqualTo("heartbeat");
        }
    }

    @Test
    void aKeyForAliceGetsNoEventsOfBob() throws Exception {
        String bob = Api.fresh("bob");
        String alice = Api.fresh("alice");
        String bobsCar = api.provision("car", "car", bob);
        String aliceKey = api.key("[\"things:read\"]", "[\"" + alice + "\"]");

        Api.Response byThing = api.sendAs(aliceKey, "GET", "/api/v1/things/" + bobsCar + "/events", null);
        Api.Response byHousehold = api.sendAs(aliceKey, "GET", "/api/v1/events?owner=" + bob, null);

        assertThat(byThing.status()).isEqualTo(404);
        assertThat(byHousehold.status()).isEqualTo(404);
        try (SseTestClient own = SseTestClient.connect(api, aliceKey, "/api/v1/events?owner=" + alice)) {
            assertThat(own.status()).isEqualTo(200);
            patch(bobsCar, 21);
            assertThat(own.next(QUIET)).isNull();
        }
    }

    @Test
    void aRevokedKeysStreamEnds() throws Exception {
        String car = api.provision("car", "car", "alice");
        Api.Response created = api.send(
                "POST", "/api/v1/keys", "{\"name\":\"sse\",\"scopes\":[\"things:read\"],\"owners\":[\"alice\"]}");
        try (SseTestClient events =
                SseTestClient.connect(api, created.json().get("token").asText(), "/api/v1/things/" + car + "/events")) {
            assertThat(events.status()).isEqualTo(200);

            api.send("DELETE", "/api/v1/keys/" + created.json().get("id").asText(), null);

            assertThat(events.ended(WAIT)).isTrue();
        }
    }

    @Test
    void badStreamRequestsAreProblems() {
        Api.Response noOwner = api.get("/api/v1/events");
        Api.Response badId = api.get("/api/v1/things/a%20b/events");
        Api.Response badResume = api.get(
                "/api/v1/things/" + api.provision("car", "car", "alice") + "/events", "Last-Event-ID", "yesterday");
        Api.Response missing = api.get("/api/v1/things/nothing-" + System.nanoTime() + "/events");

        assertThat(noOwner.status()).isEqualTo(400);
        assertThat(badId.status()).isEqualTo(422);
        assertThat(badResume.status()).isEqualTo(400);
        assertThat(missing.status()).isEqualTo(404);
    }

    private void patch(String car, int targetTemperature) {
        api.patchHeaterTarget(car, targetTemperature);
    }

    private static long version(SseTestClient.Event event) {
        try {
            return SafeJson.read(event.data()).at("/current/version").asLong();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
